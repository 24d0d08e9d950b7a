// A revoked token loses its live stream (GET /api/sync/events) within a poll, not at the stream's
// ten-minute end: a logout, an admin revoking the device, disabling the user, a password reset,
// and a new login on the same device each end the open streams of the tokens they revoke, and
// no other stream. So do a change of the user's roles and a change of the org tree, whose
// scope the stream was opened with: the client reconnects with the scope as it is now. That holds
// for a change landing while the stream's request is between building its scope and subscribing,
// too: the stream is judged by the scope it holds, not by the one it would hold now. On PostgreSQL a revocation made through one API process ends a stream held
// by another. The streams here send heartbeats every 50 ms: a stream that stays open shows as
// "no live message in time", one that was ended as "live stream ended".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESCOPED_SPREAD_MS } from '../../src/server/routes/live.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { call, createFreshDatabase, startServerProcess, ADMIN_PASSWORD, type FreshDatabase, type ServerProcess } from './support/server-process.ts';
import { readSse, type SseReader } from './support/sse.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, G2, PASSWORD, push, seedTownship, type Township } from './support/sync-fixtures.ts';

/** Long enough for several polls of the token check (every 100 ms here, 1 s by default). */
const ENDS_WITHIN_MS = 5_000;

async function listen(t: TestApp, token: string): Promise<SseReader> {
  const res = await t.request('GET', '/api/sync/events', { token });
  expect(res.status).toBe(200);
  const stream = readSse(res);
  expect((await stream.next()).event).toBe('ready');
  return stream;
}

/**
 * Like listen, with `change` committed after the request built its scope and before the stream
 * subscribes. A request first caches the org tree: the tree's version is then the last read.
 */
async function listenAcross(t: TestApp, token: string, change: () => Promise<unknown>): Promise<SseReader> {
  expect((await t.json('GET', '/api/me', { token })).status).toBe(200);
  const orgVersion = t.store.orgVersion;
  t.store.orgVersion = async () => {
    t.store.orgVersion = orgVersion;
    const version = await orgVersion();
    await change();
    return version;
  };
  try {
    return await listen(t, token);
  } finally {
    t.store.orgVersion = orgVersion;
  }
}

async function expectEnded(stream: SseReader): Promise<void> {
  await expect(stream.next(ENDS_WITHIN_MS)).rejects.toThrow('live stream ended');
}

/** Still open: it hears the next push in its units. */
async function expectOpen(t: TestApp, stream: SseReader, pusher: string): Promise<void> {
  expect((await push(t, pusher, [caseOpened(G1, '2024-06-01T09:00:00+08:00')])).status).toBe(200);
  expect((await stream.next(ENDS_WITHIN_MS)).event).toBe('events');
}

describe.each(storeCases())('live streams of revoked tokens on $name', (storeCase) => {
  let t: TestApp;
  let town: Township;
  beforeAll(async () => {
    t = await openTestApp(storeCase, {}, { live: { pollMs: 100, heartbeatMs: 50 } });
    town = await seedTownship(t);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('ends the stream of a token that logged out, and leaves the user other streams', async () => {
    const phone = await town.login('grid1', 'phone-logout');
    const tablet = await town.login('grid1', 'tablet-logout');
    const [onPhone, onTablet] = [await listen(t, phone), await listen(t, tablet)];
    expect((await t.json('POST', '/api/auth/logout', { token: phone })).status).toBe(200);
    await expectEnded(onPhone);
    // A revoked token comes back at once, to its 401: the wait the stream opened with.
    expect(onPhone.retry).toBe(3_000);
    await expectOpen(t, onTablet, tablet);
    expect((await t.json('GET', '/api/sync/events', { token: phone })).status).toBe(401);
    await onTablet.close();
  });

  it('ends the stream of a device the admin revoked', async () => {
    const phone = await town.login('grid2', 'phone-revoked');
    const stream = await listen(t, phone);
    const sessions = await t.store.listLiveTokens(new Date(), town.userIds.grid2!);
    const session = sessions.find((s) => s.deviceId === 'phone-revoked')!;
    expect((await t.json('DELETE', `/api/admin/devices/${session.id}`, { token: town.tokens.admin! })).status).toBe(200);
    await expectEnded(stream);
  });

  it('ends every stream of a user the admin disabled, and of one whose password was reset', async () => {
    const disabled = await listen(t, town.tokens.mediator1!);
    const reset = await listen(t, town.tokens.grid3!);
    const bystander = await listen(t, town.tokens.office!);
    const patch = await t.json('PATCH', `/api/admin/users/${town.userIds.mediator1}`, { token: town.tokens.admin!, body: { disabled: true } });
    expect(patch.status).toBe(200);
    const password = await t.json('POST', `/api/admin/users/${town.userIds.grid3}/password`, {
      token: town.tokens.admin!,
      body: { password: 'a-new-pass-for-grid3' },
    });
    expect(password.status).toBe(200);
    await expectEnded(disabled);
    await expectEnded(reset);
    await expectOpen(t, bystander, town.tokens.grid1!);
    await bystander.close();
  });

  it('ends the streams of a user whose roles changed, and every stream when the org tree changes', async () => {
    const phone = await town.login('grid2', 'phone-roles');
    const other = await town.login('grid1', 'phone-bystander');
    const [onPhone, onOther] = [await listen(t, phone), await listen(t, other)];
    const roles = [{ role: 'grid_worker' as const, orgUnitId: G1 }];
    expect(await t.store.updateUser(town.userIds.grid2!, { roles }, new Date())).toBe('ok');
    await expectEnded(onPhone);
    await expectOpen(t, onOther, other);
    // Opened again, it hears of its new grid's events.
    const again = await listen(t, phone);
    await expectOpen(t, again, other);
    expect((await onOther.next(ENDS_WITHIN_MS)).event).toBe('events');

    expect(await t.store.updateOrgUnit(G1, { name: '红星村一组网格' })).toBe('ok');
    await expectEnded(again);
    await expectEnded(onOther);
    // Every stream of the county ends at once: each is told to come back at its own moment of the spread.
    for (const ended of [again, onOther]) {
      expect(ended.retry).toBeGreaterThan(3_000);
      expect(ended.retry).toBeLessThanOrEqual(3_000 + RESCOPED_SPREAD_MS);
    }
    expect(await t.store.updateUser(town.userIds.grid2!, { roles: [{ role: 'grid_worker', orgUnitId: G2 }] }, new Date())).toBe('ok');
  });

  it('ends a stream opened with the roles from before a change that landed as it subscribed', async () => {
    const phone = await town.login('grid2', 'phone-roles-across');
    const moved = await listenAcross(t, phone, () => t.store.updateUser(town.userIds.grid2!, { roles: [{ role: 'grid_worker', orgUnitId: G1 }] }, new Date()));
    await expectEnded(moved);
    // Opened again, it has the new grid.
    const again = await listen(t, phone);
    await expectOpen(t, again, town.tokens.grid1!);
    await again.close();
    expect(await t.store.updateUser(town.userIds.grid2!, { roles: [{ role: 'grid_worker', orgUnitId: G2 }] }, new Date())).toBe('ok');
  });

  it('ends a stream opened with the org tree from before a change that landed as it subscribed', async () => {
    const renamed = await listenAcross(t, town.tokens.grid1!, () => t.store.updateOrgUnit(G1, { name: '红星村第一网格' }));
    await expectEnded(renamed);
  });

  it('ends the stream of a device whose token a new login replaced', async () => {
    const first = await town.login('grid1', 'phone-relogin');
    const stream = await listen(t, first);
    const res = await t.json('POST', '/api/auth/login', { body: { username: 'grid1', password: PASSWORD, deviceId: 'phone-relogin' } });
    expect(res.status).toBe(200);
    await expectEnded(stream);
  });
});

const databaseUrl = process.env.DATABASE_URL || undefined;
describe.skipIf(!databaseUrl)('a logout through one API process ends the stream held by another (PostgreSQL)', () => {
  let db: FreshDatabase;
  const procs: ServerProcess[] = [];
  beforeAll(async () => {
    db = await createFreshDatabase(databaseUrl!);
    const store = await openPostgresStore(db.url);
    await store.close();
    for (let i = 0; i < 2; i++) procs.push(await startServerProcess({ DATABASE_URL: db.url, TAIZHANG_LOG: 'off' }));
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.dispose()));
    await db?.drop();
  });

  it('ends it within a poll of the other process', async () => {
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const login = await call<{ token: string }>(`${a.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    const token = login.body.token;
    const res = await fetch(`${a.url}/api/sync/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const stream = readSse(res);
    expect((await stream.next()).event).toBe('ready');
    expect((await call(`${b.url}/api/auth/logout`, 'POST', token)).status).toBe(200);
    // The server's heartbeat is 25 s: a stream left open would time out here, not end.
    await expect(stream.next(ENDS_WITHIN_MS)).rejects.toThrow('live stream ended');
  });
});
