// The sync header as a pure view: what is waiting, whether it is moving, what went wrong, and
// the two things a user can do about it (立即同步, 导出未上传数据). SyncStatus.tsx feeds it.
import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { eventTypeLabel } from '#shared/codes';
import type { SyncState } from './engine.ts';
import { clockWarning, failureText, formatSince, headerText, retryText } from './format.ts';
import './sync.css';

export interface RejectedEntry {
  id: string;
  event: { type: string; subjectId: string; orgUnitId: string; occurredAt: string };
  error?: { code: string; message: string };
}

export interface SyncStatusViewProps {
  state: SyncState;
  pending: number;
  rejected: number;
  online: boolean;
  now: number;
  onSyncNow(): void;
  onExport(): Promise<void>;
  loadRejected(): Promise<RejectedEntry[]>;
  onRetry(id: string): Promise<void>;
  describeOrgUnit?(id: string): string;
  /** Where a rejected record can be fixed, if the app has a screen for it. */
  linkFor?(entry: RejectedEntry): string | undefined;
  /** Extra content for the details panel (the account section). */
  children?: ComponentChildren;
}

export function SyncStatusView(props: SyncStatusViewProps) {
  const open = useSignal(false);
  const showRejected = useSignal(false);
  const rejectedList = useSignal<RejectedEntry[] | undefined>(undefined);
  const exportError = useSignal<string | undefined>(undefined);
  // 立即同步 tapped without a network: nothing can go, and a tap that changes nothing reads as broken.
  const tappedOffline = useSignal(false);
  const { state } = props;
  const text = headerText({ state, pending: props.pending, online: props.online, now: props.now });
  const clock = clockWarning(state);
  const failure = failureText(state);
  const nextTry = retryText(state, props.now);
  const synced = text.startsWith('已同步');

  const toggleRejected = async () => {
    showRejected.value = !showRejected.value;
    if (showRejected.value) rejectedList.value = await props.loadRejected();
  };
  const retry = async (id: string) => {
    await props.onRetry(id);
    rejectedList.value = await props.loadRejected();
  };
  const exportOutbox = async () => {
    exportError.value = undefined;
    try {
      await props.onExport();
    } catch {
      exportError.value = '导出失败，请重试';
    }
  };

  return (
    <section class="sync-status" aria-label="同步状态">
      <div class="sync-bar">
        <button type="button" class={`sync-text${synced ? ' sync-ok' : ''}`} aria-expanded={open.value} onClick={() => (open.value = !open.value)}>
          <span role="status">{text}</span>
        </button>
        {props.rejected > 0 && (
          <button type="button" class="sync-rejected" aria-expanded={showRejected.value} onClick={() => void toggleRejected()}>
            {props.rejected} 条未通过
          </button>
        )}
        <button
          type="button"
          class="sync-now"
          disabled={state.running}
          onClick={() => {
            tappedOffline.value = !props.online;
            props.onSyncNow();
          }}
        >
          立即同步
        </button>
      </div>
      {tappedOffline.value && !props.online && (
        <p class="sync-hint sync-offline-note" role="status">
          现在没有网络，记录都已保存在本机，联网后会自动上传。
        </p>
      )}
      {clock && (
        <p class="sync-clock" role="alert">
          {clock}
        </p>
      )}
      {showRejected.value && (
        <div class="sync-panel">
          <h2>未通过的记录</h2>
          <p class="sync-hint">服务器没有接收这些记录。请按原因修改后重新上传；其他记录不受影响。</p>
          {rejectedList.value === undefined ? (
            <p>正在读取…</p>
          ) : rejectedList.value.length === 0 ? (
            <p>没有未通过的记录。</p>
          ) : (
            <ul class="sync-rejected-list">
              {rejectedList.value.map((entry) => {
                const link = props.linkFor?.(entry);
                return (
                  <li key={entry.id}>
                    <strong>{eventTypeLabel(entry.event.type)}</strong>
                    <span>
                      {entry.event.occurredAt.slice(0, 10)} · {props.describeOrgUnit?.(entry.event.orgUnitId) ?? entry.event.orgUnitId}
                    </span>
                    <span class="sync-reason">原因：{entry.error?.message ?? '未说明'}</span>
                    <span class="sync-actions">
                      {link && <a href={link}>查看记录</a>}
                      <button type="button" onClick={() => void retry(entry.id)}>
                        重新上传
                      </button>
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
      {open.value && (
        <div class="sync-panel">
          <p>
            待上传 {props.pending} 条{props.rejected > 0 ? `，未通过 ${props.rejected} 条` : ''}
            {state.lastSyncedAt !== undefined ? `；上次同步：${formatSince(state.lastSyncedAt, props.now)}` : ''}
          </p>
          {failure && <p class="sync-failure">{failure}</p>}
          {state.refusedBlobs > 0 && <p class="sync-failure">有 {state.refusedBlobs} 张照片服务器无法接收，记录已先上传。</p>}
          {nextTry && props.pending > 0 && <p class="sync-hint">{nextTry}（自动）。点“立即同步”可以马上试一次。</p>}
          <button type="button" class="sync-export" onClick={() => void exportOutbox()}>
            导出未上传数据
          </button>
          <p class="sync-hint">手机要交回或更换时，先导出未上传的数据，交给办公室导入。</p>
          <a class="sync-log-link" href="/sync-log">
            查看同步记录
          </a>
          {exportError.value && <p class="sync-failure">{exportError.value}</p>}
          {props.children}
        </div>
      )}
    </section>
  );
}
