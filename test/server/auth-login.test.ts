// Login, tokens and their life: hashing, rate limits, expiry, revocation, disabled accounts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { TOKEN_TTL_MS } from '../../src/server/access/tokens.ts';
import { LOGIN_FAILURES_PER_ADDRESS, LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME, usernameDelayMs } from '../../src/server/routes/auth.ts';
import { ADMIN_PASSWORD, login, PASSWORD, seedTownship, type Township } from './access-fixtures.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';

const DAY = 24 * 60 * 60 * 1000;

/** The app over the same store with a clock the test moves. */
function withClock(t: TestApp, start = Date.now()) {
  const clock = { now: start };
  const app = buildApp({ store: t.store, config: { ...t.config, trustProxy: true }, clock: () => new Date(clock.now) });
  const call = async (method: string, url: string, { token, body, ip = '10.0.0.1' }: { token?: string; body?: unknown; ip?: string } = {}) => {
    const headers: Record<string, string> = { 'x-forwarded-for': ip };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { error?: { code: string; message: string } },
    };
  };
  return { clock, call };
}

describe.each(storeCases())('auth on $name', (storeCase) => {
  let t: TestApp;
  let town: Township;

  test('setup: a township with an admin, an office user, a mediator and grid workers', async () => {
    t = await openTestApp(storeCase);
    town = await seedTownship(t);
    expect(Object.keys(town.tokens)).toHaveLength(6);
  });

  test('login answers a token and the user with roles; an admin grant covers the whole tree (*)', async () => {
    const res = await t.json<{ token: string; user: { username: string; displayName: string; roles: unknown[] } }>('POST', '/api/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.user).toMatchObject({ username: 'admin', displayName: '管理员', roles: [{ role: 'admin', orgUnitId: '*' }] });
    const gw = await t.json<{ user: { roles: unknown[] } }>('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD } });
    expect(gw.body.user.roles).toEqual([{ role: 'grid_worker', orgUnitId: 'G1' }]);
  });

  test('usernames match regardless of case (phone keyboards capitalise), and are unique that way', async () => {
    expect((await t.json('POST', '/api/auth/login', { body: { username: 'GW1', password: PASSWORD } })).status).toBe(200);
    expect((await t.json('POST', '/api/auth/login', { body: { username: ' Gw1 ', password: PASSWORD } })).status).toBe(200);
    const dup = await t.json('POST', '/api/admin/users', {
      token: town.tokens.admin,
      body: { username: 'Gw1', password: PASSWORD, displayName: 'x', roles: [{ role: 'grid_worker', orgUnitId: 'G2' }] },
    });
    expect(dup.status).toBe(409);
  });

  test('a wrong password and an unknown user get the same 401, and cost about the same time', async () => {
    const wrong = await t.json('POST', '/api/auth/login', { body: { username: 'gw1', password: 'not-the-password' } });
    const unknown = await t.json('POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'whatever-123' } });
    const expected = { error: { code: 'invalid_credentials', message: '用户名或密码不对' } };
    expect([wrong.status, wrong.body]).toEqual([401, expected]);
    expect([unknown.status, unknown.body]).toEqual([401, expected]);
    const time = async (username: string) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++)
        await t.request('POST', '/api/auth/login', { body: { username, password: 'timing-check-1' }, headers: { 'x-forwarded-for': `timing-${i}` } });
      return performance.now() - start;
    };
    const [known, nobody] = [await time('mediator'), await time('nobody-else')];
    // Without the dummy scrypt an unknown user answers ~50x faster; allow generous noise.
    expect(nobody).toBeGreaterThan(known * 0.4);
  });

  test('passwords and tokens are not stored in plaintext', async () => {
    const user = await t.store.findUserByUsername('gw1');
    expect(user?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(user?.passwordHash).not.toContain(PASSWORD);
    const other = await t.store.findUserByUsername('gw3');
    expect(other?.passwordHash).not.toBe(user?.passwordHash); // same password, different salt
    if (storeCase.name === 'sqlite') {
      await t.json('GET', '/api/me', { token: town.tokens.gw1 }); // make sure WAL has seen traffic
      const files = readdirSync(t.dataDir).filter((f) => f.startsWith('taizhang.sqlite'));
      const raw = Buffer.concat(files.map((f) => readFileSync(path.join(t.dataDir, f))));
      expect(raw.includes(Buffer.from(PASSWORD))).toBe(false);
      expect(raw.includes(Buffer.from(ADMIN_PASSWORD))).toBe(false);
      expect(raw.includes(Buffer.from(town.tokens.gw1))).toBe(false);
    }
  });

  test('requests without a valid bearer token get 401 unauthorized', async () => {
    for (const authorization of [undefined, 'Bearer', 'Bearer x', `Basic ${town.tokens.gw1}`, `Bearer ${'A'.repeat(43)}`, `Bearer ${town.tokens.gw1}x`]) {
      const res = await t.json('GET', '/api/me', authorization ? { headers: { authorization } } : {});
      expect(res.status, String(authorization)).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: '请先登录' } });
    }
  });

  test('/api/me lists the readable units and their ancestors, marking where the user may record', async () => {
    const me = await t.json<{ user: { username: string }; orgUnits: { id: string; writable: boolean; parentId: string | null; name: string; kind: string }[] }>(
      'GET',
      '/api/me',
      {
        token: town.tokens.gw1,
      },
    );
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('gw1');
    expect(me.body.orgUnits.map((u) => [u.id, u.writable])).toEqual([
      ['G1', true],
      ['JK', false],
      ['V1', false],
    ]);
    expect(me.body.orgUnits[0]).toMatchObject({ parentId: 'V1', kind: 'grid', name: '向阳村第一网格' });
    const mediator = await t.json<{ orgUnits: { id: string; writable: boolean }[] }>('GET', '/api/me', { token: town.tokens.mediator });
    expect(mediator.body.orgUnits.filter((u) => u.writable).map((u) => u.id)).toEqual(['C1', 'G1', 'G2', 'V1']);
    const office = await t.json<{ orgUnits: { id: string; writable: boolean }[] }>('GET', '/api/me', { token: town.tokens.office });
    expect(office.body.orgUnits.map((u) => u.id)).toEqual(['C1', 'G1', 'G2', 'G3', 'JK', 'S1', 'TC', 'V1', 'V2']);
    expect(office.body.orgUnits.some((u) => u.writable)).toBe(false);
  });

  test("/api/me names the other units of the user's town, and no unit of another town", async () => {
    type Me = { orgUnits: { id: string }[]; unitNames: { id: string; parentId: string | null; kind: string; name: string }[] };
    const gw = await t.json<Me>('GET', '/api/me', { token: town.tokens.gw1 });
    // Where a 更正 may move one of gw1's cases: its own village's other grid, the town's other village.
    expect(gw.body.unitNames.map((u) => u.id).sort()).toEqual(['C1', 'G2', 'G3', 'S1', 'TC', 'V2']);
    expect(gw.body.unitNames.find((u) => u.id === 'G3')).toEqual({ id: 'G3', parentId: 'V2', kind: 'grid', name: '帆水村第一网格' });
    const office = await t.json<Me>('GET', '/api/me', { token: town.tokens.office });
    // The town's office reads every unit of the town already.
    expect(office.body.unitNames).toEqual([]);
    for (const me of [gw, office]) expect(me.body.unitNames.some((u) => ['OT', 'OV', 'OG'].includes(u.id))).toBe(false);
  });

  test('logout revokes the token it was called with, and only that one', async () => {
    const a = await login(t, 'gw3', PASSWORD, { deviceId: 'phone-a' });
    const b = await login(t, 'gw3', PASSWORD, { deviceId: 'phone-b' });
    expect((await t.json('POST', '/api/auth/logout', { token: a })).status).toBe(200);
    expect((await t.json('GET', '/api/me', { token: a })).status).toBe(401);
    expect((await t.json('GET', '/api/me', { token: b })).status).toBe(200);
  });

  test('a new login from the same device replaces that device’s older token', async () => {
    const first = await login(t, 'gw3', PASSWORD, { deviceId: 'phone-c', deviceName: '红米' });
    const second = await login(t, 'gw3', PASSWORD, { deviceId: 'phone-c', deviceName: '红米' });
    expect((await t.json('GET', '/api/me', { token: first })).status).toBe(401);
    expect((await t.json('GET', '/api/me', { token: second })).status).toBe(200);
  });

  test('an admin revokes a device: its token stops working', async () => {
    const token = await login(t, 'gw3', PASSWORD, { deviceId: 'lost-phone', deviceName: '丢失的手机' });
    const list = await t.json<{ devices: { id: string; deviceId: string; username: string; deviceName: string }[] }>(
      'GET',
      `/api/admin/devices?userId=${town.userIds.gw3}`,
      { token: town.tokens.admin },
    );
    const device = list.body.devices.find((d) => d.deviceId === 'lost-phone');
    expect(device).toMatchObject({ username: 'gw3', deviceName: '丢失的手机' });
    expect((await t.json('DELETE', `/api/admin/devices/${device!.id}`, { token: town.tokens.admin })).status).toBe(200);
    expect((await t.json('GET', '/api/me', { token })).status).toBe(401);
    expect((await t.json('DELETE', '/api/admin/devices/no-such-device', { token: town.tokens.admin })).status).toBe(404);
  });

  test('a disabled user cannot log in and their tokens stop working; re-enabled they log in again', async () => {
    const token = await login(t, 'gw3', PASSWORD);
    const off = await t.json('PATCH', `/api/admin/users/${town.userIds.gw3}`, { token: town.tokens.admin, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ disabled: true });
    expect((await t.json('GET', '/api/me', { token })).status).toBe(401);
    const denied = await t.json('POST', '/api/auth/login', { body: { username: 'gw3', password: PASSWORD } });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: { code: 'account_disabled', message: '账号已停用，请联系管理员' } });
    // A wrong password still says only "wrong": being disabled is not revealed to a guesser.
    expect((await t.json('POST', '/api/auth/login', { body: { username: 'gw3', password: 'guess-guess' } })).status).toBe(401);
    await t.json('PATCH', `/api/admin/users/${town.userIds.gw3}`, { token: town.tokens.admin, body: { disabled: false } });
    expect((await t.json('GET', '/api/me', { token })).status).toBe(401);
    town.tokens.gw3 = await login(t, 'gw3', PASSWORD);
  });

  test('a password reset: the old password fails, the new one works, every device is logged out', async () => {
    const before = await login(t, 'gw3', PASSWORD);
    const reset = await t.json('POST', `/api/admin/users/${town.userIds.gw3}/password`, { token: town.tokens.admin, body: { password: 'new-pass-456' } });
    expect(reset.status).toBe(200);
    expect((await t.json('GET', '/api/me', { token: before })).status).toBe(401);
    expect((await t.json('POST', '/api/auth/login', { body: { username: 'gw3', password: PASSWORD } })).status).toBe(401);
    town.tokens.gw3 = await login(t, 'gw3', 'new-pass-456');
    const short = await t.json('POST', `/api/admin/users/${town.userIds.gw3}/password`, { token: town.tokens.admin, body: { password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body).toEqual({ error: { code: 'invalid_body', message: 'password: 密码至少 8 位', field: 'password' } });
  });

  test('tokens expire after 30 days without use, and each use slides the expiry', async () => {
    const { clock, call } = withClock(t);
    const login1 = await call('POST', '/api/auth/login', { body: { username: 'mediator', password: PASSWORD } });
    const token = login1.body.token as string;
    expect(Date.parse(login1.body.expiresAt as string)).toBe(clock.now + TOKEN_TTL_MS);
    clock.now += 29 * DAY;
    expect((await call('GET', '/api/me', { token })).status).toBe(200);
    clock.now += 29 * DAY; // 58 days after login, 29 after the last use
    expect((await call('GET', '/api/me', { token })).status).toBe(200);
    clock.now += 30 * DAY + 1000;
    expect((await call('GET', '/api/me', { token })).status).toBe(401);
  });

  test('a username under attack from many addresses waits longer after each failure, up to 15 min, even with the right password', async () => {
    const { clock, call } = withClock(t);
    const delays: number[] = [];
    // Ten wrong passwords from ten addresses, each sent as soon as the server lets it.
    for (let i = 0; i < 10; i++) {
      let res = await call('POST', '/api/auth/login', { body: { username: 'office', password: `wrong-${i}-pass` }, ip: `10.1.0.${i}` });
      if (res.status === 429) {
        const wait = Number(res.headers.get('retry-after'));
        delays.push(wait);
        clock.now += wait * 1000;
        res = await call('POST', '/api/auth/login', { body: { username: 'office', password: `wrong-${i}-pass` }, ip: `10.1.0.${i}` });
      }
      expect(res.status).toBe(401);
    }
    // The first LOGIN_FREE_FAILURES_PER_USERNAME (4) are answered at once, then 30 s, 60 s, 2, 4, 8 min.
    expect(delays).toEqual([30, 60, 120, 240, 480]);
    const blocked = await call('POST', '/api/auth/login', { body: { username: 'office', password: PASSWORD }, ip: '10.1.1.1' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBe(15 * 60);
    expect(usernameDelayMs(10)).toBe(15 * 60 * 1000);
    // Case does not help a guesser.
    expect((await call('POST', '/api/auth/login', { body: { username: 'OFFICE', password: PASSWORD }, ip: '10.1.1.2' })).status).toBe(429);
    expect((await call('POST', '/api/auth/login', { body: { username: 'mediator', password: PASSWORD }, ip: '10.1.1.3' })).status).toBe(200);
    clock.now += retryAfter * 1000;
    expect((await call('POST', '/api/auth/login', { body: { username: 'office', password: PASSWORD }, ip: '10.1.1.4' })).status).toBe(200);
  });

  test('the locked-out owner still logs in from a device or an address that logged in before', async () => {
    const { clock, call } = withClock(t);
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD, deviceId: 'gw1-phone' }, ip: '10.4.0.1' })).status).toBe(200);
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD }, ip: '10.4.0.2' })).status).toBe(200);
    // Someone else makes the account wait 15 min.
    for (let i = 0; i < 10; i++) {
      const res = await call('POST', '/api/auth/login', { body: { username: 'gw1', password: `wrong-${i}-pass` }, ip: `10.4.1.${i}` });
      expect(res.status).toBe(401);
      if (i < 9) clock.now += usernameDelayMs(i + 1);
    }
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD }, ip: '10.4.2.1' })).status).toBe(429);
    // The owner's phone, on a new network: its deviceId had a token for gw1.
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD, deviceId: 'gw1-phone' }, ip: '10.4.2.2' })).status).toBe(200);
    // Another phone's deviceId does not pass.
    for (let i = 0; i < 10; i++) {
      expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: `wrong-${i}-again` }, ip: `10.4.3.${i}` })).status).toBe(401);
      if (i < 9) clock.now += usernameDelayMs(i + 1);
    }
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD, deviceId: 'not-gw1-phone' }, ip: '10.4.2.3' })).status).toBe(
      429,
    );
    // The office address the owner used before (without the phone's deviceId, e.g. a PC there).
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD }, ip: '10.4.0.2' })).status).toBe(200);
  });

  test('one address behind NAT: failures count per (address, username), and only a much higher ceiling locks the address', async () => {
    const { call } = withClock(t);
    const nat = '10.2.0.1';
    // gw1 logged in from the office before, so only the address limits apply to it there.
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD }, ip: nat })).status).toBe(200);
    // More than the old 30-per-address limit of typos by colleagues: nobody else is locked out.
    for (let i = 0; i < 40; i++) {
      expect((await call('POST', '/api/auth/login', { body: { username: `colleague-${i % 20}`, password: 'wrong-pass' }, ip: nat })).status).toBe(401);
    }
    expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD }, ip: nat })).status).toBe(200);
    // One username from one address: locked after 10, for that pair only.
    for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME; i++) {
      expect((await call('POST', '/api/auth/login', { body: { username: 'gw1', password: `wrong-${i}-pass` }, ip: nat })).status).toBe(401);
    }
    const pair = await call('POST', '/api/auth/login', { body: { username: 'gw1', password: PASSWORD }, ip: nat });
    expect(pair.status).toBe(429);
    expect(Number(pair.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('POST', '/api/auth/login', { body: { username: 'mediator', password: PASSWORD }, ip: nat })).status).toBe(200);
    // A username sprayer reaches the ceiling: then the address is locked for everyone, other addresses are not.
    for (let i = 50; i < LOGIN_FAILURES_PER_ADDRESS; i++) {
      expect((await call('POST', '/api/auth/login', { body: { username: `guess-${i}`, password: 'wrong-pass' }, ip: nat })).status).toBe(401);
    }
    const blocked = await call('POST', '/api/auth/login', { body: { username: 'mediator', password: PASSWORD }, ip: nat });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('POST', '/api/auth/login', { body: { username: 'mediator', password: PASSWORD }, ip: '10.2.0.2' })).status).toBe(200);
  });

  test('teardown', async () => {
    await t.dispose();
  });
});
