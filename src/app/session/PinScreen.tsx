// PIN: chosen once after the first login, asked when the phone was idle. Works offline, and so
// does everything a locked-out worker needs: after wrong PINs a cool-down (shown as it counts
// down), the login password checked on the phone, and, only as its own explicit act, wiping
// the phone after the unsent records were offered for export.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { SessionController } from './controller.ts';
import { waitText } from './controller.ts';
import { currentUser } from './state.ts';
import './session.css';

export interface PinScreenProps {
  controller: SessionController;
  mode: 'set' | 'unlock';
  /** Unsent records on the phone (for the wipe's warning). */
  countUnsent?: () => Promise<number>;
  /** Saves the unsent records as a file the office can import. */
  onExport?: () => Promise<void>;
}

export function PinScreen(props: PinScreenProps) {
  const pin = useSignal('');
  const repeat = useSignal('');
  const password = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const usePassword = useSignal(false);
  const retryAt = useSignal<number | undefined>(undefined);
  const now = useSignal(Date.now());
  const wipe = useSignal<{ unsent: number } | undefined>(undefined);
  const wipeNote = useSignal<string | undefined>(undefined);
  const setting = props.mode === 'set';
  const { controller } = props;

  useEffect(() => {
    // A restart during a cool-down shows it at once, not after one more guess.
    if (!setting) retryAt.value = controller.coolingDownUntil('pin');
  }, []);
  const waiting = retryAt.value !== undefined && retryAt.value > now.value;
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setInterval(() => (now.value = Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [waiting]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value || waiting) return;
    busy.value = true;
    // What was checked: a refusal clears only that, not digits typed while the check ran.
    const tried = { pin: pin.value, password: password.value };
    try {
      const result = setting
        ? await controller.setPin(pin.value, repeat.value)
        : usePassword.value
          ? await controller.unlockWithPassword(password.value)
          : await controller.unlock(pin.value);
      error.value = result.ok ? undefined : result.message;
      retryAt.value = !result.ok && result.code === 'cooling_down' ? result.retryAt : undefined;
      now.value = Date.now();
      if (!result.ok) {
        if (pin.value === tried.pin) pin.value = '';
        if (password.value === tried.password) password.value = '';
      }
    } catch {
      error.value = '本机存储不可用，请重试';
    } finally {
      busy.value = false;
    }
  };

  const switchTo = (passwordMode: boolean) => {
    usePassword.value = passwordMode;
    error.value = undefined;
    retryAt.value = controller.coolingDownUntil(passwordMode ? 'password' : 'pin');
    now.value = Date.now();
  };

  const askWipe = async () => {
    wipeNote.value = undefined;
    wipe.value = { unsent: (await props.countUnsent?.()) ?? 0 };
  };
  const exportUnsent = async () => {
    try {
      await props.onExport?.();
      wipeNote.value = '已导出。请把文件交给办公室导入。';
    } catch {
      wipeNote.value = '导出失败，请重试';
    }
  };

  const field = (label: string, value: typeof pin, name: string) => (
    <label key={name}>
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

  const message =
    waiting && retryAt.value !== undefined
      ? `${error.value ?? (usePassword.value ? '密码错误次数过多。' : `PIN 错误次数过多${controller.canUnlockWithPassword() ? '，可以改用登录密码解锁' : ''}。`)}（还需等待 ${waitText(retryAt.value - now.value)}）`
      : error.value;

  return (
    <main class="session-screen">
      <h1>法治台账</h1>
      <h2>{setting ? '设置 PIN' : usePassword.value ? '用登录密码解锁' : '输入 PIN 解锁'}</h2>
      <p class="session-note">
        {setting
          ? '请设置 4 到 6 位数字的 PIN。一段时间没有操作后，用 PIN 解锁，不需要网络。'
          : usePassword.value
            ? '输入您登录时用的密码，在手机上核对，不需要网络。核对后请设置新的 PIN。'
            : `${currentUser()?.displayName ?? ''} 您好，已有一段时间没有操作，请输入 PIN。`}
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {usePassword.value ? (
          <label key="password">
            登录密码
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              value={password.value}
              onInput={(e) => (password.value = e.currentTarget.value)}
            />
          </label>
        ) : (
          field('PIN', pin, 'pin')
        )}
        {setting && field('再次输入 PIN', repeat, 'pin-repeat')}
        {message && (
          <p class="session-error" role="alert">
            {message}
          </p>
        )}
        <button type="submit" class="session-primary" disabled={busy.value || waiting}>
          {setting ? '确定' : usePassword.value ? '核对密码' : '解锁'}
        </button>
        {!setting &&
          (usePassword.value ? (
            <button type="button" class="session-secondary" onClick={() => switchTo(false)}>
              返回输入 PIN
            </button>
          ) : controller.canUnlockWithPassword() ? (
            <button type="button" class="session-secondary" onClick={() => switchTo(true)}>
              忘记 PIN？改用登录密码
            </button>
          ) : (
            <button type="button" class="session-secondary" onClick={() => void controller.forgetPin()}>
              忘记 PIN，联网用密码登录
            </button>
          ))}
      </form>
      {!setting && (
        <section class="session-wipe" aria-label="清除本机数据">
          {wipe.value ? (
            <div role="alert" class="session-note">
              <p>
                {wipe.value.unsent > 0
                  ? `本机还有 ${wipe.value.unsent} 条记录没有上传。清除后这些记录就没有了，请先导出，把文件交给办公室导入。`
                  : '本机没有未上传的记录。清除后需要联网重新登录。'}
              </p>
              {wipe.value.unsent > 0 && (
                <button type="button" class="session-secondary" onClick={() => void exportUnsent()}>
                  导出未上传数据
                </button>
              )}
              {wipeNote.value && <p>{wipeNote.value}</p>}
              <button type="button" class="session-danger" onClick={() => void controller.logout(true)}>
                确认清除本机数据
              </button>
              <button type="button" class="session-secondary" onClick={() => (wipe.value = undefined)}>
                取消
              </button>
            </div>
          ) : (
            <button type="button" class="session-link" onClick={() => void askWipe()}>
              不是本人 / 交回手机：清除本机数据…
            </button>
          )}
        </section>
      )}
    </main>
  );
}
