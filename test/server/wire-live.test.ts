// The live channel, GET /api/sync/events: a client hears "new events for your scope up to seq N"
// as soon as a push commits, only for units it reads (another village's, another town's events are
// never announced), behind the same token; streams per user are capped, freed when a client goes,
// and kept open by heartbeats. On PostgreSQL, a push answered by one API process reaches a client
// of another.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/access/passwords.ts';
import { invalidateOrgTree } from '../../src/server/access/org-tree.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { MAX_STREAMS_PER_USER } from '../../src/server/routes/live.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { call, createFreshDatabase, startServerProcess, ADMIN_PASSWORD, type FreshDatabase, type ServerProcess } from './support/server-process.ts';
import { readSse, type SseReader } from './support/sse.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, G2, G3, PASSWORD, pullAll, push, seedTownship, type Township } from './support/sync-fixtures.ts';

const OTHER_TOWN = 'hs';
const OTHER_GRID = 'hs-g1';

async function listen(t: TestApp, token: string): Promise<SseReader> {
  const res = await t.request('GET', '/api/sync/events', { token });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const stream = readSse(res);
  expect((await stream.next()).event).toBe('ready');
  return stream;
}

/** The last seq a reader's pull serves (a case's registration brings its server-made case.numbered). */
const headOf = async (t: TestApp, token: string) => (await pullAll(t, token)).events.at(-1)!.seq;
const told = (seq: number) => ({ event: 'events', data: JSON.stringify({ seq }) });

describe.each(storeCases())('live channel on $name', (storeCase) => {
  let t: TestApp;
  let town: Township;
  let otherOffice: string;
  let otherGrid: string;
  beforeAll(async () => {
    t = await openTestApp(storeCase, {}, { live: { heartbeatMs: 50 } });
    town = await seedTownship(t);
    // A second town, with its own office and grid worker.
    const at = new Date();
    await t.store.insertOrgUnits(
      [
        { id: OTHER_TOWN, parentId: null, kind: 'town', name: '黄沙镇', code: null, shortName: '黄沙' },
        { id: OTHER_GRID, parentId: OTHER_TOWN, kind: 'grid', name: '黄沙镇第一网格', code: null, shortName: null },
      ],
      at,
    );
    invalidateOrgTree(t.store);
    const passwordHash = await hashPassword(PASSWORD);
    for (const [username, role, orgUnitId] of [
      ['hs-office', 'office', OTHER_TOWN],
      ['hs-grid', 'grid_worker', OTHER_GRID],
    ] as const) {
      await t.store.insertUser({ id: randomUUID(), username, displayName: username, passwordHash, roles: [{ role, orgUnitId }], createdAt: at });
    }
    otherOffice = await town.login('hs-office');
    otherGrid = await town.login('hs-grid');
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('announces a push at once to readers of its unit, and to no one else', async () => {
    const office = await listen(t, town.tokens.office!);
    const village2 = await listen(t, town.tokens.grid3!);
    const elsewhere = await listen(t, otherOffice);

    const inG1 = caseOpened(G1, '2024-05-01T09:00:00+08:00');
    expect((await push(t, town.tokens.grid1!, [inG1])).status).toBe(200);
    expect(await office.next()).toEqual(told(await headOf(t, town.tokens.office!)));

    // The look that told the office is done: had it named G1's seq to 青山村 or to 黄沙镇, that would be their next message.
    const inG3 = caseOpened(G3, '2024-05-02T09:00:00+08:00');
    expect((await push(t, town.tokens.grid3!, [inG3])).status).toBe(200);
    const g3Head = await headOf(t, town.tokens.grid3!);
    expect(await village2.next()).toEqual(told(g3Head));
    expect(await office.next()).toEqual(told(g3Head));

    const inOtherTown = caseOpened(OTHER_GRID, '2024-05-03T09:00:00+08:00');
    expect((await push(t, otherGrid, [inOtherTown])).status).toBe(200);
    expect(await elsewhere.next()).toEqual(told(await headOf(t, otherOffice)));

    // 江口镇's clients hear nothing of 黄沙镇: their next message is the next push in their own town.
    const again = caseOpened(G1, '2024-05-04T09:00:00+08:00');
    await push(t, town.tokens.grid1!, [again]);
    expect(await office.next()).toEqual(told(await headOf(t, town.tokens.office!)));
    await Promise.all([office.close(), village2.close(), elsewhere.close()]);
  });

  it('asks for a token, and keeps the stream open with heartbeats', async () => {
    const anonymous = await t.json('GET', '/api/sync/events');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'unauthorized' } });
    const res = await t.request('GET', '/api/sync/events', { token: town.tokens.grid2! });
    const stream = readSse(res);
    await stream.next();
    // Heartbeats every 50 ms here: a push a little later still arrives on the same stream.
    const event = caseOpened(G2, '2024-05-07T09:00:00+08:00');
    await new Promise((r) => setTimeout(r, 300));
    await push(t, town.tokens.grid2!, [event]);
    expect((await stream.next()).event).toBe('events');
    expect(stream.comments).toBeGreaterThan(0);
    await stream.close();
  });

  it(`caps a user at ${MAX_STREAMS_PER_USER} streams and frees a slot when a client goes`, async () => {
    const token = town.tokens.mediator1!;
    const streams = await Promise.all(Array.from({ length: MAX_STREAMS_PER_USER }, () => listen(t, token)));
    const refused = await t.json('GET', '/api/sync/events', { token });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('实时通知连接过多') } });
    await streams.pop()!.close();
    // The server notices the client went on its next turn; the slot is then free.
    let status = 429;
    for (let i = 0; i < 100 && status === 429; i++) {
      const res = await t.request('GET', '/api/sync/events', { token });
      status = res.status;
      if (status === 200) streams.push(readSse(res));
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
    await Promise.all(streams.map((s) => s.close()));
  });
});

const databaseUrl = process.env.DATABASE_URL || undefined;
describe.skipIf(!databaseUrl)('live channel across two API processes on one PostgreSQL database', () => {
  let db: FreshDatabase;
  const procs: ServerProcess[] = [];
  beforeAll(async () => {
    db = await createFreshDatabase(databaseUrl!);
    const store = await openPostgresStore(db.url);
    await store.insertOrgUnits([{ id: 'T', parentId: null, kind: 'town', name: '江口镇', code: null, shortName: '江口' }], new Date());
    await store.close();
    for (let i = 0; i < 2; i++) procs.push(await startServerProcess({ DATABASE_URL: db.url, TAIZHANG_LOG: 'off' }));
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.dispose()));
    await db?.drop();
  });

  it('tells a client of process A about a push answered by process B', async () => {
    const login = async (p: ServerProcess) =>
      (await call<{ token: string }>(`${p.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD })).body.token;
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const tokenA = await login(a);
    const res = await fetch(`${a.url}/api/sync/events`, { headers: { authorization: `Bearer ${tokenA}` } });
    expect(res.status).toBe(200);
    const stream = readSse(res);
    expect((await stream.next()).event).toBe('ready');
    const event = caseOpened('T', '2024-05-01T09:00:00+08:00');
    const pushed = await call<{ results: { status: string }[] }>(`${b.url}/api/sync/push`, 'POST', await login(b), { deviceId: 'dev-b', events: [event] });
    expect(pushed.body.results[0]!.status).toBe('applied');
    const message = await stream.next(15_000);
    expect(message.event).toBe('events');
    expect((JSON.parse(message.data) as { seq: number }).seq).toBeGreaterThan(0);
    await stream.close();
  });
});

describe('live channel on shutdown', () => {
  it('cuts open streams on SIGTERM instead of waiting out the grace period for them', async () => {
    // A minute of grace: the process can only exit within the test's time if it cut the stream.
    const proc = await startServerProcess({ TAIZHANG_LOG: 'off', TAIZHANG_SHUTDOWN_GRACE_MS: '60000' });
    try {
      const login = await call<{ token: string }>(`${proc.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD });
      const res = await fetch(`${proc.url}/api/sync/events`, { headers: { authorization: `Bearer ${login.body.token}` } });
      const stream = readSse(res);
      expect((await stream.next()).event).toBe('ready');
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      await expect(stream.next()).rejects.toThrow();
    } finally {
      await proc.dispose();
    }
  });
});
