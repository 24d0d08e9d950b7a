// PIN: chosen once after the first login, asked when the phone was idle. Works offline.
import { useSignal } from '@preact/signals';
import type { SessionController } from './controller.ts';
import { currentUser } from './state.ts';
import './session.css';

export function PinScreen(props: { controller: SessionController; mode: 'set' | 'unlock' }) {
  const pin = useSignal('');
  const repeat = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const setting = props.mode === 'set';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    try {
      const result = setting ? await props.controller.setPin(pin.value, repeat.value) : await props.controller.unlock(pin.value);
      error.value = result.ok ? undefined : result.message;
      if (!result.ok) pin.value = '';
    } catch {
      error.value = '本机存储不可用，请重试';
    } finally {
      busy.value = false;
    }
  };

  const field = (label: string, value: typeof pin, name: string) => (
    <label>
      {label}
      <input
        name={name}
        type="password"
        inputMode="numeric"
        autocomplete="off"
        maxLength={6}
        value={value.value}
        onInput={(e) => (value.value = e.currentTarget.value.replace(/\D/g, ''))}
      />
    </label>
  );

  return (
    <main class="session-screen">
      <h1>法治台账</h1>
      <h2>{setting ? '设置 PIN' : '输入 PIN 解锁'}</h2>
      <p class="session-note">
        {setting
          ? '请设置 4 到 6 位数字的 PIN。手机一段时间没有操作后，用 PIN 解锁，不需要网络。'
          : `${currentUser()?.displayName ?? ''} 您好，手机一段时间没有操作，请输入 PIN。`}
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {field('PIN', pin, 'pin')}
        {setting && field('再次输入 PIN', repeat, 'pin-repeat')}
        {error.value && (
          <p class="session-error" role="alert">
            {error.value}
          </p>
        )}
        <button type="submit" class="session-primary" disabled={busy.value}>
          {setting ? '确定' : '解锁'}
        </button>
        {!setting && (
          <button type="button" class="session-secondary" onClick={() => void props.controller.forgetPin()}>
            忘记 PIN，用密码登录
          </button>
        )}
      </form>
    </main>
  );
}
