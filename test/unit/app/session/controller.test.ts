import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { coolDownMs, createSessionController, type PersistedSession, type SessionDeps } from '../../../../src/app/session/controller.ts';
import { gate, session } from '../../../../src/app/session/state.ts';
import { json, scriptedFetch, type Script } from '../sync/fakes.ts';

const DAY = 24 * 60 * 60_000;
const user = (username: string) => ({
  id: `id-${username}`,
  username,
  displayName: username === 'zhang' ? '张三' : '李四',
  roles: [{ role: 'grid_worker', orgUnitId: 'g1' }],
});
const orgUnits = [{ id: 'g1', parentId: 'v1', kind: 'grid', name: '第一网格' }];

/** The account API as the server answers it: `zhang`/`right-pass` and `li`/`right-pass` exist. */
const accounts: Script = (call) => {
  if (call.url === '/api/auth/login') {
    const { username, password } = call.body as { username: string; password: string };
    if (password !== 'right-pass') return json({ error: { code: 'invalid_credentials', message: '用户名或密码不对' } }, 401);
    return json({ token: `token-${username}`, user: user(username) });
  }
  if (call.url === '/api/me') return json({ user: user('zhang'), orgUnits });
  if (call.url === '/api/auth/logout') return json({ ok: true });
  return json({ error: { code: 'not_found', message: '' } }, 404);
};

let clock: number;
let saved: unknown;
let lastActive: number | undefined;
let outbox: { pending: number; rejected: number };
let wiped: number;

function controllerWith(script: Script = accounts) {
  const { fetch, calls } = scriptedFetch(script);
  const deps: SessionDeps = {
    fetch,
    load: async () => saved,
    save: async (v: PersistedSession) => {
      saved = structuredClone(v);
    },
    deviceId: async () => 'device-1',
    countOutbox: async () => outbox,
    wipeDevice: async () => {
      wiped++;
      saved = undefined;
    },
    lastActive: { get: () => lastActive, set: (at) => (lastActive = at) },
    now: () => clock,
  };
  return { controller: createSessionController(deps), calls };
}

beforeEach(() => {
  clock = Date.parse('2025-03-01T08:00:00Z');
  saved = undefined;
  lastActive = undefined;
  outbox = { pending: 0, rejected: 0 };
  wiped = 0;
});
afterEach(() => {
  session.value = null;
  gate.value = { status: 'loading' };
});

async function loggedInWithPin(pin = '2468') {
  const { controller } = controllerWith();
  await controller.init();
  expect((await controller.login('zhang', 'right-pass')).ok).toBe(true);
  expect((await controller.setPin(pin, pin)).ok).toBe(true);
  return controller;
}

describe('login', () => {
  test('with no network explains that the first login needs one', async () => {
    const { controller } = controllerWith(() => Promise.reject(new TypeError('Failed to fetch')));
    await controller.init();
    const result = await controller.login('zhang', 'right-pass');
    expect(result).toMatchObject({ ok: false, code: 'offline' });
    expect(!result.ok && result.message).toContain('需要网络');
    expect(saved).toBeUndefined();
    expect(gate.value.status).toBe('signed_out');
  });

  test('a wrong password shows the server reason and stores nothing', async () => {
    const { controller } = controllerWith();
    await controller.init();
    expect(await controller.login('zhang', 'wrong')).toEqual({ ok: false, code: 'invalid', message: '用户名或密码不对' });
    expect(saved).toBeUndefined();
  });

  test('empty fields are caught before the network', async () => {
    const { controller, calls } = controllerWith();
    expect(await controller.login(' ', 'x')).toMatchObject({ message: '请填写用户名' });
    expect(await controller.login('zhang', '')).toMatchObject({ message: '请填写密码' });
    expect(calls).toHaveLength(0);
  });

  test('then a PIN is required; only its salted hash is kept', async () => {
    const { controller, calls } = controllerWith();
    await controller.init();
    await controller.login('zhang', 'right-pass');
    expect(calls[0]!.body).toMatchObject({ username: 'zhang', deviceId: 'device-1' });
    expect(gate.value.status).toBe('set_pin');
    expect(session.value?.user.displayName).toBe('张三');
    expect(session.value?.orgUnits).toEqual(orgUnits);
    expect(await controller.setPin('12', '12')).toMatchObject({ code: 'pin_format' });
    expect(await controller.setPin('1357', '1358')).toMatchObject({ code: 'pin_mismatch' });
    expect(await controller.setPin('135790', '135790')).toEqual({ ok: true });
    expect(gate.value.status).toBe('open');
    expect(JSON.stringify(saved)).not.toContain('135790');
    expect((saved as PersistedSession).pin?.salt).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the cached session', () => {
  test('opens without network after a restart, and asks the PIN only after the idle time', async () => {
    await loggedInWithPin();
    const offline = () => controllerWith(() => Promise.reject(new TypeError('offline'))).controller;
    clock += 60_000;
    await offline().init();
    expect(gate.value.status).toBe('open');
    clock += 6 * 60_000;
    const c = offline();
    await c.init();
    expect(gate.value.status).toBe('locked');
    expect(session.value?.token).toBe('token-zhang');
    expect(await c.unlock('2468')).toEqual({ ok: true });
    expect(gate.value.status).toBe('open');
  });

  test('locks while open once the phone was idle longer than configured', async () => {
    const c = await loggedInWithPin();
    await c.setIdleMinutes(2);
    clock += 90_000;
    c.checkIdle();
    expect(gate.value.status).toBe('open');
    clock += 60_000;
    c.checkIdle();
    expect(gate.value.status).toBe('locked');
  });

  test('runs out after 30 days without the server: log in again, data kept', async () => {
    await loggedInWithPin();
    clock += 31 * DAY;
    const { controller } = controllerWith();
    await controller.init();
    expect(gate.value).toMatchObject({ status: 'signed_out', reason: 'expired', previousUser: { username: 'zhang' } });
    expect(await controller.credentials()).toBeUndefined();
    expect(wiped).toBe(0);
  });

  test('解锁 with nothing typed asks for the PIN and costs no attempt', async () => {
    const c = await loggedInWithPin('2468');
    c.lockNow();
    for (let i = 0; i < 6; i++) expect(await c.unlock('')).toEqual({ ok: false, code: 'pin_wrong', message: '请输入 PIN' });
    // Four real wrong guesses still leave one before the cool-down: the blanks counted for nothing.
    for (let i = 0; i < 4; i++) expect(await c.unlock('0000')).toMatchObject({ code: 'pin_wrong' });
    expect(await c.unlock('2468')).toEqual({ ok: true });
  });

  test('five wrong PINs cost a growing cool-down, never the session; the data stays', async () => {
    const c = await loggedInWithPin('2468');
    c.lockNow();
    for (let i = 0; i < 4; i++) expect(await c.unlock('0000')).toMatchObject({ code: 'pin_wrong' });
    const fifth = await c.unlock('0000');
    expect(fifth).toMatchObject({ code: 'cooling_down', retryAt: clock + 30_000 });
    expect(!fifth.ok && fifth.message).toContain('用登录密码解锁');
    expect(gate.value.status).toBe('locked');
    expect(session.value).not.toBeNull();
    expect(await c.credentials()).toBeDefined();
    expect(wiped).toBe(0);
    // During the cool-down even the right PIN waits.
    clock += 10_000;
    expect(await c.unlock('2468')).toMatchObject({ code: 'cooling_down', retryAt: clock + 20_000 });
    // After it, one more wrong guess doubles the wait; a restart does not clear it.
    clock += 20_001;
    expect(await c.unlock('0000')).toMatchObject({ code: 'cooling_down', retryAt: clock + 60_000 });
    await controllerWith().controller.init();
    expect(gate.value.status).toBe('locked');
    clock += 60_001;
    expect(await c.unlock('2468')).toEqual({ ok: true });
    expect(gate.value.status).toBe('open');
    expect(coolDownMs(4)).toBe(0);
    expect(coolDownMs(40)).toBe(30 * 60_000);
  });

  test('the password unlocks offline against a verifier kept at login (never the password), then a new PIN is chosen', async () => {
    const { controller: c, calls } = controllerWith();
    await c.init();
    await c.login('zhang', 'right-pass');
    await c.setPin('2468', '2468');
    expect(JSON.stringify(saved)).not.toContain('right-pass');
    expect((saved as PersistedSession).passwordVerifier).toMatchObject({ iterations: expect.any(Number), salt: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(c.canUnlockWithPassword()).toBe(true);
    c.lockNow();
    for (let i = 0; i < 5; i++) await c.unlock('0000');
    const before = calls.length;
    expect(await c.unlockWithPassword('wrong-pass')).toMatchObject({ code: 'pin_wrong' });
    expect(await c.unlockWithPassword('right-pass')).toEqual({ ok: true });
    // No network was asked.
    expect(calls.length).toBe(before);
    expect(gate.value.status).toBe('set_pin');
    expect((await c.setPin('1357', '1357')).ok).toBe(true);
    c.lockNow();
    expect(await c.unlock('1357')).toEqual({ ok: true });
    expect(wiped).toBe(0);
  });

  test('wrong passwords cool down too', async () => {
    const c = await loggedInWithPin('2468');
    c.lockNow();
    for (let i = 0; i < 4; i++) expect(await c.unlockWithPassword('guess')).toMatchObject({ code: 'pin_wrong' });
    expect(await c.unlockWithPassword('guess')).toMatchObject({ code: 'cooling_down', retryAt: clock + 30_000 });
    expect(await c.unlockWithPassword('right-pass')).toMatchObject({ code: 'cooling_down' });
    expect(c.coolingDownUntil('password')).toBe(clock + 30_000);
    clock += 30_001;
    expect(await c.unlockWithPassword('right-pass')).toEqual({ ok: true });
  });

  test('a session saved before verifiers existed says so and keeps the network route', async () => {
    await loggedInWithPin('2468');
    saved = { ...(saved as PersistedSession), passwordVerifier: undefined };
    const { controller: old } = controllerWith();
    await old.init();
    expect(old.canUnlockWithPassword()).toBe(false);
    expect(await old.unlockWithPassword('right-pass')).toMatchObject({ code: 'no_offline_password' });
  });

  test('a 401 from the server ends the login but keeps the data and the PIN', async () => {
    const c = await loggedInWithPin();
    await c.endOnUnauthorized();
    expect(gate.value).toMatchObject({ status: 'signed_out', reason: 'unauthorized' });
    expect(await c.credentials()).toBeUndefined();
    expect(wiped).toBe(0);
    await c.login('zhang', 'right-pass');
    expect(gate.value.status).toBe('open');
  });
});

describe('another person on the same phone', () => {
  test("is refused while the first person's records are unsent", async () => {
    const c = await loggedInWithPin();
    await c.endOnUnauthorized();
    outbox = { pending: 3, rejected: 1 };
    const result = await c.login('li', 'right-pass');
    expect(result).toMatchObject({ ok: false, code: 'other_user_unsent' });
    expect(!result.ok && result.message).toContain('4 条未上传');
    expect(wiped).toBe(0);
  });

  test('gets a wiped phone when nothing is unsent', async () => {
    const c = await loggedInWithPin();
    await c.endOnUnauthorized();
    expect((await c.login('li', 'right-pass')).ok).toBe(true);
    expect(wiped).toBe(1);
    expect(gate.value.status).toBe('set_pin');
  });
});

describe('logout', () => {
  test('warns about unsent records and wipes only when confirmed', async () => {
    const { controller, calls } = controllerWith();
    await controller.init();
    await controller.login('zhang', 'right-pass');
    await controller.setPin('1234', '1234');
    outbox = { pending: 2, rejected: 1 };
    expect(await controller.logout()).toEqual({ ok: false, code: 'has_unsent', pending: 2, rejected: 1 });
    expect(wiped).toBe(0);
    expect(gate.value.status).toBe('open');
    expect(await controller.logout(true)).toEqual({ ok: true });
    expect(wiped).toBe(1);
    expect(calls.some((c) => c.url === '/api/auth/logout')).toBe(true);
    expect(gate.value).toMatchObject({ status: 'signed_out', reason: 'logged_out' });
    expect(session.value).toBeNull();
  });
});

describe('forgetting the PIN', () => {
  test('returns to the password login with the data kept; a new PIN is chosen after', async () => {
    const c = await loggedInWithPin();
    c.lockNow();
    await c.forgetPin();
    expect(gate.value).toMatchObject({ status: 'signed_out', reason: 'pin_forgotten' });
    expect((saved as PersistedSession).pin).toBeUndefined();
    expect(wiped).toBe(0);
    await c.login('zhang', 'right-pass');
    expect(gate.value.status).toBe('set_pin');
  });
});

test('while logging out, no sync run can get the credentials any more (it would refill the wiped phone)', async () => {
  let seenDuringWipe: unknown = 'not called';
  const { fetch } = scriptedFetch(accounts);
  const c = createSessionController({
    fetch,
    load: async () => saved,
    save: async (v) => {
      saved = structuredClone(v);
    },
    deviceId: async () => 'device-1',
    countOutbox: async () => outbox,
    wipeDevice: async () => {
      seenDuringWipe = await c.credentials();
    },
    lastActive: { get: () => lastActive, set: (at) => (lastActive = at) },
    now: () => clock,
  });
  await c.init();
  await c.login('zhang', 'right-pass');
  expect(await c.credentials()).toEqual({ token: 'token-zhang', deviceId: 'device-1' });
  await c.logout();
  expect(seenDuringWipe).toBeUndefined();
});

describe('keeping the cached session fresh', () => {
  test('each contact with the server slides the 30 days, as the server slides the token', async () => {
    const c = await loggedInWithPin();
    clock += 29 * DAY;
    await c.noteServerContact();
    clock += 2 * DAY;
    lastActive = clock;
    const { controller } = controllerWith();
    await controller.init();
    expect(gate.value.status).toBe('open');
    expect(await controller.credentials()).toMatchObject({ token: 'token-zhang' });
  });

  test('refresh takes the roles and org units the server has now', async () => {
    const moved = [{ id: 'g2', parentId: 'v1', kind: 'grid', name: '第二网格', writable: true }];
    const script: Script = (call) => (call.url === '/api/me' ? json({ user: user('zhang'), orgUnits: moved }) : accounts(call));
    const { controller } = controllerWith(script);
    await controller.init();
    await controller.login('zhang', 'right-pass');
    await controller.refresh(true);
    expect(session.value?.orgUnits.map((u) => u.id)).toEqual(['g2']);
    expect((saved as PersistedSession).orgUnits.map((u) => u.id)).toEqual(['g2']);
  });
});
