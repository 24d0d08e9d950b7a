// 同步记录: the phone's last sync runs, newest first, in words a worker can show the office:
// when, why it ran, what went up and came down, what went wrong. Also who and which phone.
import { currentUser, grantedUnitLabels } from '../../session/index.ts';
import { outboxCounts, syncEngine } from '../../sync/index.ts';
import { lastSuccessAt, syncLog, triggerLabel, type SyncLogEntry } from '../../sync/log.ts';
import { retryText } from '../../sync/format.ts';
import './sync-log.css';

function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** "上传 3 条，收到 12 条，照片 1 张" (only what happened). */
export function runSummary(e: SyncLogEntry): string {
  const parts = [`上传 ${e.sent} 条`];
  // Those the restored server already had count as sent too (answered duplicate).
  if (e.reoffered !== undefined) parts.unshift(`服务器数据已恢复，本机记录重新提交 ${e.reoffered} 条`);
  if (e.rejected > 0) parts.push(`未通过 ${e.rejected} 条`);
  parts.push(`收到 ${e.received} 条`);
  if (e.photos > 0) parts.push(`照片 ${e.photos} 张`);
  return parts.join('，');
}

export function SyncLog() {
  const user = currentUser();
  const state = syncEngine.state.value;
  const counts = outboxCounts.value;
  const next = retryText(state, Date.now());
  const units = grantedUnitLabels();
  // This start's, else the log's: a reload must not say 还没有 over a list of successful runs.
  const lastOk = state.lastSyncedAt ?? lastSuccessAt();
  return (
    <section class="sync-log">
      <h2>同步记录</h2>
      <dl class="sync-log-facts">
        <dt>用户</dt>
        <dd>{user ? `${user.displayName}（${user.username}）` : '未登录'}</dd>
        {units.length > 0 && (
          <>
            <dt>网格 / 单位</dt>
            <dd>{units.join('、')}</dd>
          </>
        )}
        <dt>待上传</dt>
        <dd>
          {counts.pending} 条{counts.rejected > 0 ? `，未通过 ${counts.rejected} 条` : ''}
        </dd>
        <dt>上次同步成功</dt>
        <dd>{lastOk !== undefined ? localTime(lastOk) : '还没有'}</dd>
        {next && (
          <>
            <dt>下次自动重试</dt>
            <dd>{next}</dd>
          </>
        )}
      </dl>
      {syncLog.value.length === 0 ? (
        <p>还没有同步记录。</p>
      ) : (
        <ol class="sync-log-runs" aria-label="最近的同步">
          {syncLog.value.map((e) => (
            <li key={`${e.at}-${e.trigger}`} class={e.ok ? 'ok' : 'failed'}>
              <p>
                <time>{localTime(e.at)}</time> · {triggerLabel(e.trigger)} · <strong>{e.ok ? '成功' : '没有完成'}</strong>
              </p>
              <p>{runSummary(e)}</p>
              {e.failure && <p class="sync-log-failure">原因：{e.failure}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
