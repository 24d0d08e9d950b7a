// The header's account button, on every screen: the logged-in person's name, opening the
// account panel (who, which grid, 立即锁定, 同步记录, 退出登录) where a person looks for them.
import { useSignal } from '@preact/signals';
import { lazyPart } from '../components/lazy-part.tsx';
import { currentUser } from './state.ts';

// Opened by a tap, never needed to start: a lazy chunk.
const AccountPanel = lazyPart(() => import('./AccountPanel.tsx').then((m) => m.AccountPanel));

export function AccountMenu() {
  const open = useSignal(false);
  const user = currentUser();
  if (!user) return null;
  return (
    <div class="account-menu">
      <button
        type="button"
        class="account-button"
        aria-expanded={open.value}
        aria-label={`账户：${user.displayName}`}
        onClick={() => (open.value = !open.value)}
      >
        {user.displayName} <span aria-hidden="true">▾</span>
      </button>
      {open.value && (
        <div class="account-sheet" role="dialog" aria-label="账户">
          <AccountPanel onNavigate={() => (open.value = false)} />
          <button type="button" class="session-secondary" onClick={() => (open.value = false)}>
            关闭
          </button>
        </div>
      )}
    </div>
  );
}
