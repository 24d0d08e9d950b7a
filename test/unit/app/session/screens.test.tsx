// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, test, vi } from 'vitest';
import { createSessionController, type SessionDeps } from '../../../../src/app/session/controller.ts';
import { LoginScreen } from '../../../../src/app/session/LoginScreen.tsx';
import { PinScreen } from '../../../../src/app/session/PinScreen.tsx';
import { gate, session } from '../../../../src/app/session/state.ts';
import { json, scriptedFetch, type Script } from '../sync/fakes.ts';

const host = () => document.body.querySelector('#host') ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'host' }));
afterEach(() => {
  render(null, host());
  session.value = null;
  gate.value = { status: 'loading' };
});

function controllerWith(script: Script) {
  let saved: unknown;
  let last: number | undefined;
  const deps: SessionDeps = {
    fetch: scriptedFetch(script).fetch,
    load: async () => saved,
    save: async (v) => {
      saved = v;
    },
    deviceId: async () => 'device-1',
    countOutbox: async () => ({ pending: 0, rejected: 0 }),
    wipeDevice: async () => undefined,
    lastActive: { get: () => last, set: (at) => (last = at) },
  };
  return createSessionController(deps);
}

/** A controller logged in as 张三 on a fresh phone: the PIN is still to be chosen. */
async function loggedIn() {
  const controller = controllerWith((call) =>
    call.url === '/api/auth/login'
      ? json({ token: 't', user: { id: 'u', username: 'zhang', displayName: '张三', roles: [] } })
      : json({ user: { id: 'u', username: 'zhang', displayName: '张三', roles: [] }, orgUnits: [] }),
  );
  await controller.init();
  await controller.login('zhang', 'pass');
  return controller;
}

function fill(label: string, value: string) {
  const field = [...host().querySelectorAll('label')].find((l) => l.firstChild?.textContent?.trim() === label)?.querySelector('input');
  if (!field) throw new Error(`no field ${label}`);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
const button = (name: string) => [...host().querySelectorAll('button')].find((b) => b.textContent?.trim() === name)!;
const settle = () => new Promise((r) => setTimeout(r, 20));

test('the login screen shows the Chinese reason of a refused login next to the form', async () => {
  const controller = controllerWith(() => json({ error: { code: 'invalid_credentials', message: '用户名或密码不对' } }, 401));
  await controller.init();
  void act(() => render(<LoginScreen controller={controller} />, host()));
  fill('用户名', 'zhang');
  fill('密码', 'wrong');
  await act(async () => {
    button('登录').click();
    await settle();
  });
  expect(host().querySelector('[role=alert]')?.textContent).toBe('用户名或密码不对');
});

test('the login screen says why the user is here again', () => {
  const controller = controllerWith(() => json({}));
  void act(() =>
    render(<LoginScreen controller={controller} reason="expired" previousUser={{ id: 'u', username: 'zhang', displayName: '张三', roles: [] }} />, host()),
  );
  expect(host().textContent).toContain('登录已超过 30 天');
  expect((host().querySelector('input[name=username]') as HTMLInputElement).value).toBe('zhang');
});

test('choosing a PIN: mismatched entries are refused, matching ones open the app', async () => {
  const controller = await loggedIn();
  expect(gate.value.status).toBe('set_pin');
  void act(() => render(<PinScreen controller={controller} mode="set" />, host()));
  fill('PIN', '1357');
  fill('再次输入 PIN', '1358');
  await act(async () => {
    button('确定').click();
    await settle();
  });
  expect(host().querySelector('[role=alert]')?.textContent).toBe('两次输入的 PIN 不一致');
  fill('PIN', '1357');
  fill('再次输入 PIN', '1357');
  await act(async () => {
    button('确定').click();
    // PBKDF2 takes a moment, more on a loaded machine.
    await vi.waitFor(() => expect(gate.value.status).toBe('open'), { timeout: 5_000 });
  });
});

test('a wrong PIN answered late clears only what was tried, not digits typed meanwhile', async () => {
  const controller = await loggedIn();
  expect((await controller.setPin('1357', '1357')).ok).toBe(true);
  controller.lockNow();
  // The check of the first guess takes its time (PBKDF2 on a slow phone).
  let answer!: () => void;
  const answered = new Promise<void>((r) => (answer = r));
  const unlock = controller.unlock;
  const slow = { ...controller, unlock: async (p: string) => answered.then(() => unlock(p)) };
  void act(() => render(<PinScreen controller={slow} mode="unlock" />, host()));
  const pinField = () => host().querySelector<HTMLInputElement>('input[name=pin]')!;
  fill('PIN', '2468');
  await act(async () => {
    button('解锁').click();
    await settle();
  });
  fill('PIN', '13');
  answer();
  await vi.waitFor(() => expect(host().querySelector('[role=alert]')?.textContent).toMatch(/PIN/), { timeout: 5_000 });
  expect(pinField().value).toBe('13');

  // A wrong guess with nothing typed after it is cleared for the next one.
  fill('PIN', '1111');
  button('解锁').click();
  await vi.waitFor(() => expect(pinField().value).toBe(''), { timeout: 5_000 });
}, 15_000);
