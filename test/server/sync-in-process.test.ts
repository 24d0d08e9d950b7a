// The phone's real sync client (engine, sender, transport, its IndexedDB storage over
// fake-indexeddb) against the real server app in process, on every store: what a phone in the
// field does, without a browser. Records saved on the phone reach the server once each, a phone
// clock that is days slow shows on the office's device list, and a push whose answer was lost
// is sent again as duplicates, never stored twice; a backfill page whose answer was lost comes again.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '#shared/events';
import type { PushResult } from '#shared/protocol';
import { requestLogin } from '../../src/app/session/api.ts';
import * as storage from '../../src/app/storage/index.ts';
import { createSyncEngine, memoryLocks } from '../../src/app/sync/engine.ts';
import type { RunReport } from '../../src/app/sync/sender.ts';
import type { FetchLike } from '../../src/app/net/http.ts';
import { CLOCK_SKEW_LIMIT_MS } from '../../src/server/routes/sync.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, G3, outreach, PASSWORD, seedTownship, sweep, V1, V2, type Township } from './support/sync-fixtures.ts';

const DAY_MS = 86_400_000;

/** What the phone's capture forms hand to storage: the fixture event without its envelope. */
const draft = (e: DomainEvent): storage.NewEvent => ({ type: e.type, subjectId: e.subjectId, orgUnitId: e.orgUnitId, occurredAt: e.occurredAt, data: e.data });

describe.each(storeCases())('the phone syncing with the server in process on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
  });
  afterEach(async () => {
    await storage.closeDb();
  });

  // The server app is the phone's network: requests go to app.request as they would over HTTP.
  const serverFetch: FetchLike = async (input, init) => t().app.request(input, init);

  /** Logs the phone in as mediator1 (its own device id) through the app's login call. */
  async function logIn(fetch: FetchLike = serverFetch) {
    const deviceId = await storage.getDeviceId();
    const login = await requestLogin(fetch, { username: 'mediator1', password: PASSWORD, deviceId, deviceName: 'in-process phone' });
    if (!login.ok) throw new Error(`login failed: ${JSON.stringify(login.failure)}`);
    return { token: login.body.token, deviceId };
  }

  /** One run of the app's sync engine, as the sync button starts it; the engine is stopped after. */
  async function syncPhone(credentials: { token: string; deviceId: string }, fetch: FetchLike = serverFetch, now: () => number = Date.now) {
    let report: RunReport | undefined;
    const engine = createSyncEngine({
      store: storage,
      fetch,
      credentials: async () => credentials,
      locks: memoryLocks(),
      now,
      onSynced: (r) => (report = r),
      onFailed: (r) => (report = r),
    });
    engine.start();
    await vi.waitFor(() => expect(report).toBeDefined());
    engine.stop();
    return { report: report!, state: engine.state.value };
  }

  async function savedOnPhone(): Promise<DomainEvent[]> {
    return storage.recordEvents([
      draft(caseOpened(V1, '2025-04-01T09:00:00+08:00')),
      draft(sweep(G1, '2025-04-01T10:00:00+08:00')),
      draft(outreach(V1, '2025-04-01T11:00:00+08:00')),
    ]);
  }

  /** How many times each id is stored on the server. */
  async function serverCounts(ids: string[]): Promise<number[]> {
    const all = await t().store.pullEvents({ afterSeq: 0, limit: 100_000, units: 'all' });
    return ids.map((id) => all.filter((e) => e.id === id).length);
  }

  it('a case, a sweep and an outreach saved on the phone reach the server once each, and the outbox empties', async () => {
    const phone = await logIn();
    const saved = await savedOnPhone();
    const { report, state } = await syncPhone(phone);
    expect(report.failure).toBeUndefined();
    expect(report.acked).toBe(3);
    expect(state).toMatchObject({ failures: 0, clockSkewed: false });
    expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
    expect(await serverCounts(saved.map((e) => e.id))).toEqual([1, 1, 1]);
    // The pull brought the phone's own records back with the case number the server gave.
    const caseRecord = await storage.getRecord(saved[0]!.subjectId);
    expect(caseRecord).toMatchObject({ kind: 'case', pending: false, state: { caseNumber: expect.stringMatching(/^（2025）红星村人调字第\d{3}号$/) } });
  });

  it('a phone clock three days slow is flagged to the phone and on the office device list', async () => {
    const phone = await logIn();
    const [event] = await storage.recordEvents([draft(sweep(G1, '2025-04-02T10:00:00+08:00'))]);
    const slowClock = () => Date.now() - 3 * DAY_MS;
    const { report, state } = await syncPhone(phone, serverFetch, slowClock);
    expect(report.failure).toBeUndefined();
    expect(state.clockSkewed).toBe(true);
    expect(await serverCounts([event!.id])).toEqual([1]);
    // The records themselves carry a recordedAt from the storage clock: only the push's sentAt says the clock is slow.
    for (const token of [town.tokens.office!, town.tokens.admin!]) {
      const list = await t().json<{ devices: { deviceId: string; clockSkewMs: number | null; clockSkewed: boolean }[] }>('GET', '/api/devices', { token });
      expect(list.status).toBe(200);
      const device = list.body.devices.find((d) => d.deviceId === phone.deviceId);
      expect(device?.clockSkewed).toBe(true);
      expect(device!.clockSkewMs!).toBeLessThan(-CLOCK_SKEW_LIMIT_MS);
      expect(device!.clockSkewMs!).toBeGreaterThan(-3 * DAY_MS - 60_000);
    }
  });

  it('a push whose answer was lost is sent again and answered duplicate: nothing is stored twice', async () => {
    const phone = await logIn();
    const saved = await savedOnPhone();
    const answers: PushResult[][] = [];
    let loseNextPushAnswer = true;
    const flaky: FetchLike = async (input, init) => {
      const res = await serverFetch(input, init);
      if (!input.endsWith('/api/sync/push')) return res;
      const body = (await res.clone().json()) as { results: PushResult[] };
      answers.push(body.results);
      if (loseNextPushAnswer) {
        loseNextPushAnswer = false;
        // The server committed the batch; the connection dropped before the phone read the answer.
        throw new TypeError('network connection lost');
      }
      return res;
    };
    const lost = await syncPhone(phone, flaky);
    expect(lost.report.failure).toEqual({ kind: 'offline' });
    expect(await storage.countOutbox()).toEqual({ pending: 3, rejected: 0 });
    expect(await serverCounts(saved.map((e) => e.id))).toEqual([1, 1, 1]);

    const again = await syncPhone(phone, flaky);
    expect(again.report.failure).toBeUndefined();
    expect(answers.map((a) => a.map((r) => r.status))).toEqual([
      ['applied', 'applied', 'applied'],
      ['duplicate', 'duplicate', 'duplicate'],
    ]);
    expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
    expect(await serverCounts(saved.map((e) => e.id))).toEqual([1, 1, 1]);
  });

  it('a backfill page whose answer was lost comes again: the phone of a mediator given a village ends with all of it', async () => {
    const older = Array.from({ length: 7 }, (_, i) => sweep(G3, `2025-03-0${i + 1}T10:00:00+08:00`));
    expect((await t().json('POST', '/api/sync/push', { token: town.tokens.grid3!, body: { deviceId: 'grid3-phone', events: older } })).status).toBe(200);
    const phone = await logIn();
    await savedOnPhone();
    expect((await syncPhone(phone)).report.failure).toBeUndefined();
    expect(await storage.getCursor()).toBeGreaterThan(0);
    await t().store.updateUser(
      town.userIds.mediator1!,
      {
        roles: [
          { role: 'mediator', orgUnitId: V1 },
          { role: 'mediator', orgUnitId: V2 },
        ],
      },
      new Date(),
    );
    // Every backfill page's first answer is lost after the server sent it (a proxy's 502 on the way back).
    const dropped = new Set<string>();
    const lossy: FetchLike = async (input, init) => {
      const res = await serverFetch(input, init);
      if (!input.includes('/api/sync/pull')) return res;
      const { resume, events } = (await res.clone().json()) as { resume?: string; events: { id: string }[] };
      const page = events.map((e) => e.id).join();
      if (resume === undefined || dropped.has(page)) return res;
      dropped.add(page);
      return new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
    };
    let runs = 0;
    while ((await syncPhone(phone, lossy)).report.failure) expect(++runs).toBeLessThan(10);
    expect(dropped.size).toBeGreaterThan(0);
    const held = await Promise.all(older.map((e) => storage.getEvents(e.subjectId)));
    expect(held.map((events) => events.map((e) => e.id))).toEqual(older.map((e) => [e.id]));
    await t().store.updateUser(town.userIds.mediator1!, { roles: [{ role: 'mediator', orgUnitId: V1 }] }, new Date());
  });
});
