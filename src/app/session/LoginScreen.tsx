// 登录: the one screen that needs the network. Says why when there is none, and why the
// user is here again (session ran out, revoked, too many PIN attempts), keeping the data.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { SessionController } from './controller.ts';
import type { SignedOutReason } from './state.ts';
import type { SessionUser } from '#shared/api/auth';
import './session.css';

const REASONS: Record<SignedOutReason, string> = {
  expired: '登录已超过 30 天，请联网重新登录。本机上的记录都还在。',
  unauthorized: '登录已失效（可能已在别处退出或账号被停用），请重新登录。本机上的记录都还在。',
  pin_attempts: 'PIN 错误次数过多，请用密码重新登录。本机上的记录都还在。',
  pin_forgotten: '请用密码重新登录，然后设置新的 PIN。本机上的记录都还在。',
  logged_out: '已退出登录，本机数据已清除。',
};

export function LoginScreen(props: { controller: SessionController; reason?: SignedOutReason; previousUser?: SessionUser }) {
  const username = useSignal(props.previousUser?.username ?? '');
  const password = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const online = useSignal(typeof navigator === 'undefined' || navigator.onLine);
  useEffect(() => {
    const update = () => (online.value = navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    error.value = undefined;
    try {
      const result = await props.controller.login(username.value, password.value);
      if (!result.ok) error.value = result.message;
      else password.value = '';
    } catch {
      error.value = '本机存储不可用，无法保存登录。请关闭浏览器的无痕模式，或清理手机空间后再试。';
    } finally {
      busy.value = false;
    }
  };

  return (
    <main class="session-screen">
      <h1>法治台账</h1>
      <h2>登录</h2>
      {props.reason && <p class="session-note">{REASONS[props.reason]}</p>}
      {!online.value && <p class="session-note">现在没有网络。登录需要联网；登录一次后，30 天内没有网络也能打开。</p>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label>
          用户名
          <input
            name="username"
            autocomplete="username"
            autocapitalize="off"
            value={username.value}
            onInput={(e) => (username.value = e.currentTarget.value)}
          />
        </label>
        <label>
          密码
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            value={password.value}
            onInput={(e) => (password.value = e.currentTarget.value)}
          />
        </label>
        {error.value && (
          <p class="session-error" role="alert">
            {error.value}
          </p>
        )}
        <button type="submit" class="session-primary" disabled={busy.value}>
          {busy.value ? '正在登录…' : '登录'}
        </button>
      </form>
    </main>
  );
}
