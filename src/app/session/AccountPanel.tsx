// 账户: who is logged in and for which grid, how long the phone may sit idle before the PIN,
// lock now, the sync log, and logout. Logging out wipes the phone and the next login needs the
// network, so it is never one tap: with records unsent it warns and offers their export, with
// none it asks first. Opened from the header's account button on every screen (AccountMenu).
import { useSignal } from '@preact/signals';
import { countOutbox } from '../storage/outbox.ts';
import { sessionController } from './instance.ts';
import { grantedUnitLabels } from './org-units.ts';
import { currentUser } from './state.ts';
import './session.css';

const IDLE_CHOICES = [1, 5, 15, 30, 60];

export function AccountPanel(props: { onNavigate?: () => void }) {
  const user = currentUser();
  const units = grantedUnitLabels();
  const idle = useSignal(sessionController.idleMinutes());
  const unsent = useSignal<{ pending: number; rejected: number } | undefined>(undefined);
  const confirming = useSignal(false);
  const busy = useSignal(false);
  const exported = useSignal<string | undefined>(undefined);
  if (!user) return null;

  // The sync engine's download (a lazy chunk): the same file as 导出未上传数据 in the sync panel.
  const exportUnsent = async () => {
    try {
      await (await import('../sync/index.ts')).downloadOutbox();
      exported.value = '已导出。请把文件交给办公室导入。';
    } catch {
      exported.value = '导出失败，请重试';
    }
  };

  const logout = async (force: boolean) => {
    busy.value = true;
    try {
      const result = await sessionController.logout(force);
      confirming.value = false;
      unsent.value = result.ok ? undefined : { pending: result.pending, rejected: result.rejected };
    } finally {
      busy.value = false;
    }
  };

  // The first tap only asks: what is unsent is named, else what logging out costs in a village without signal.
  const askLogout = async () => {
    busy.value = true;
    try {
      const { pending, rejected } = await countOutbox();
      if (pending + rejected > 0) unsent.value = { pending, rejected };
      else confirming.value = true;
    } finally {
      busy.value = false;
    }
  };

  return (
    <div class="account-panel">
      <p>
        当前用户：<strong>{user.displayName}</strong>（{user.username}）
      </p>
      {units.length > 0 && <p>网格 / 单位：{units.join('、')}</p>}
      <label>
        多久不操作后需要输入 PIN
        <select
          value={String(idle.value)}
          onChange={(e) => {
            idle.value = Number(e.currentTarget.value);
            void sessionController.setIdleMinutes(idle.value);
          }}
        >
          {IDLE_CHOICES.map((m) => (
            <option key={m} value={String(m)}>
              {m} 分钟
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="session-secondary" onClick={() => sessionController.lockNow()}>
        立即锁定
      </button>
      <a class="session-secondary account-link" href="/sync-log" onClick={() => props.onNavigate?.()}>
        同步记录
      </a>
      <a class="session-secondary account-link" href="/about" onClick={() => props.onNavigate?.()}>
        关于本机（版本、存储）
      </a>
      {unsent.value ? (
        <div role="alert" class="session-note">
          <p>
            本机还有 {unsent.value.pending + unsent.value.rejected} 条记录没有上传
            {unsent.value.rejected > 0 ? `（其中 ${unsent.value.rejected} 条未通过）` : ''}
            {'。退出登录会清除本机数据，这些记录将丢失。请先联网同步，或先导出未上传数据，把文件交给办公室导入。'}
          </p>
          <button type="button" class="session-secondary" disabled={busy.value} onClick={() => void exportUnsent()}>
            导出未上传数据
          </button>
          {exported.value && <p role="status">{exported.value}</p>}
          <button type="button" class="session-danger" disabled={busy.value} onClick={() => void logout(true)}>
            仍然退出并清除本机数据
          </button>
          <button type="button" class="session-secondary" onClick={() => (unsent.value = undefined)}>
            取消
          </button>
        </div>
      ) : confirming.value ? (
        <div role="alert" class="session-note">
          <p>本机的记录都已上传。退出登录会清除这台手机上的数据，再次登录需要联网：在没有信号的地方退出后，要到有信号时才能再用。</p>
          <button type="button" class="session-danger" disabled={busy.value} onClick={() => void logout(false)}>
            确定退出
          </button>
          <button type="button" class="session-secondary" onClick={() => (confirming.value = false)}>
            取消
          </button>
        </div>
      ) : (
        <button type="button" class="session-danger" disabled={busy.value} onClick={() => void askLogout()}>
          退出登录
        </button>
      )}
    </div>
  );
}
