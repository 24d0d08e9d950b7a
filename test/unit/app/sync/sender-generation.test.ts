// A restore or failover on the server, as the phone's real storage (fake-indexeddb) lives it: a
// pull that names another generation of the log, or says the cursor is beyond its end, makes
// the phone offer again every event it made (acked long ago or not), its photos too, and pull
// from the start; the server's duplicates clear them again. A phone that first learns a
// generation (an app update) just records it.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { DomainEvent, StoredEvent } from '#shared/events';
import * as storage from '../../../../src/app/storage/index.ts';
import { runSync, type SyncContext } from '../../../../src/app/sync/sender.ts';
import { json, scriptedFetch, server, type Call } from './fakes.ts';

const uuid = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  await storage.closeDb();
});

/**
 * A server's log in memory: push applies unknown ids and answers duplicate for known ones,
 * pull pages by seq. `restore(n)` keeps the first n events and mints a new generation.
 */
function serverLog() {
  let log: StoredEvent[] = [];
  let generation = 'gen-1';
  const pushed: string[][] = [];
  const photos: string[] = [];
  const handlers = {
    push(call: Call) {
      const events = (call.body as { events: DomainEvent[] }).events;
      pushed.push(events.map((e) => e.id));
      const results = events.map((e) => {
        if (log.some((held) => held.id === e.id)) return { id: e.id, status: 'duplicate' };
        log.push({ ...e, seq: log.length + 1, authorId: 'u1', receivedAt: new Date().toISOString() });
        return { id: e.id, status: 'applied' };
      });
      return json({ results, serverTime: new Date().toISOString() });
    },
    pull(call: Call) {
      const cursor = Number(new URL(call.url, 'http://x').searchParams.get('cursor'));
      if (cursor > log.length) return json({ events: [], cursor: 0, hasMore: true, generation, restart: 'cursor_ahead' });
      const events = log.filter((e) => e.seq > cursor);
      return json({ events, cursor: events.at(-1)?.seq ?? cursor, hasMore: false, generation });
    },
    put(call: Call) {
      const sha = call.url.split('/').pop()!;
      photos.push(sha);
      return json({ sha256: sha, size: 1, status: 'created' }, 201);
    },
  };
  return {
    pushed,
    photos,
    ids: () => log.map((e) => e.id),
    add: (e: StoredEvent) => log.push({ ...e, seq: log.length + 1 }),
    restore(keep: number, opts: { sameGeneration?: boolean } = {}) {
      log = log.slice(0, keep);
      if (!opts.sameGeneration) generation = `gen-${Number(generation.slice(4)) + 1}`;
    },
    script: server(handlers),
  };
}

function context(script: ReturnType<typeof serverLog>['script']): SyncContext {
  const { fetch } = scriptedFetch(script);
  return { store: storage, fetch, token: 't', deviceId: 'device-1', timeoutMs: 500 };
}

async function saveSweeps(from: number, n: number): Promise<string[]> {
  const saved = await storage.recordEvents(
    Array.from({ length: n }, (_, i) => ({
      type: 'sweep.recorded' as const,
      subjectId: uuid(from + i),
      orgUnitId: 'grid-1',
      occurredAt: '2025-03-01T09:00:00+08:00',
      data: { households: 5 + i, disputesFound: 0 },
    })),
  );
  return saved.map((e) => e.id);
}

const theirs = (n: number): StoredEvent =>
  ({
    id: uuid(900 + n),
    type: 'sweep.recorded',
    subjectId: uuid(950 + n),
    orgUnitId: 'grid-1',
    occurredAt: '2025-03-02T09:00:00+08:00',
    recordedAt: '2025-03-02T01:00:00.000Z',
    deviceId: 'other-phone',
    deviceSeq: n,
    data: { households: 2, disputesFound: 0 },
    seq: 0,
    authorId: 'u2',
    receivedAt: '2025-03-02T01:00:01.000Z',
  }) as StoredEvent;

test('a new generation: every event this phone made is offered again, the lost ones come back, nothing stays queued', async () => {
  const log = serverLog();
  const before = await saveSweeps(100, 3);
  log.add(theirs(1));
  expect((await runSync(context(log.script))).failure).toBeUndefined();
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
  expect(await storage.getGeneration()).toBe('gen-1');

  // The backup held the first four events (other phone's + two of ours); then two more of ours were acked.
  const after = await saveSweeps(200, 2);
  expect((await runSync(context(log.script))).acked).toBe(2);
  expect(await storage.getCursor()).toBe(6);
  log.restore(3);
  log.pushed.length = 0;

  const report = await runSync(context(log.script));
  expect(report.failure).toBeUndefined();
  expect(report.startedOver).toBe(true);
  expect(report.reoffered).toBe(5);
  // Offered in the order they were made, the other phone's event not among them.
  expect(log.pushed.flat()).toEqual([...before, ...after]);
  expect(log.ids().sort()).toEqual([uuid(901), ...before, ...after].sort());
  expect(new Set(log.ids()).size).toBe(log.ids().length);
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
  expect(await storage.getGeneration()).toBe('gen-2');
  expect(await storage.getCursor()).toBe(6);

  // The next run is an ordinary one: nothing offered again.
  log.pushed.length = 0;
  const calm = await runSync(context(log.script));
  expect(calm.startedOver).toBe(false);
  expect(log.pushed).toEqual([]);
});

test('a cursor beyond the log end starts over too, and a photo already uploaded goes up again', async () => {
  const log = serverLog();
  const sha = 'a'.repeat(64);
  const [id] = (
    await storage.recordEvents(
      [
        {
          type: 'sweep.recorded',
          subjectId: uuid(300),
          orgUnitId: 'grid-1',
          occurredAt: '2025-03-01T09:00:00+08:00',
          data: { households: 5, disputesFound: 0 },
        },
      ],
      { blobs: [{ sha256: sha, blob: new Blob(['x']), mime: 'image/jpeg', size: 1, width: 1, height: 1, uploaded: false, createdAt: 1 }] },
    )
  ).map((e) => e.id);
  await runSync(context(log.script));
  expect(log.photos).toEqual([sha]);
  // Same generation, shorter log (a restore that forgot to mint one): the cursor is ahead.
  log.restore(0, { sameGeneration: true });
  const report = await runSync(context(log.script));
  expect(report.startedOver).toBe(true);
  expect(log.photos).toEqual([sha, sha]);
  expect(log.ids()).toEqual([id]);
  expect(await storage.getCursor()).toBe(1);
});

test('the first generation a phone hears of is recorded, not a reason to start over', async () => {
  const log = serverLog();
  await saveSweeps(400, 2);
  const pages = [
    { events: [], cursor: 0, hasMore: false },
    { events: [], cursor: 0, hasMore: false, generation: 'gen-1' },
  ];
  let page = 0;
  const older = server({ push: log.script, pull: () => json(pages[page++]) });
  await runSync(context(older));
  expect(await storage.getGeneration()).toBeUndefined();
  log.pushed.length = 0;
  const report = await runSync(context(older));
  expect(report.startedOver).toBe(false);
  expect(await storage.getGeneration()).toBe('gen-1');
  expect(log.pushed).toEqual([]);
});

test('a rejected entry keeps its reason through a start over; the server-made and other phones’ events are not offered', async () => {
  const log = serverLog();
  const [refused, fine] = await saveSweeps(500, 2);
  const numbered = { ...theirs(2), type: 'case.numbered', deviceId: 'server' } as unknown as StoredEvent;
  const first = server({
    push: () =>
      json({
        results: [
          { id: refused, status: 'rejected', error: { code: 'forbidden_org_unit', message: '不能在这个网格登记' } },
          { id: fine, status: 'applied' },
        ],
      }),
    pull: () => json({ events: [theirs(3), numbered], cursor: 2, hasMore: false, generation: 'gen-1' }),
  });
  await runSync(context(first));
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 1 });

  log.restore(0);
  log.pushed.length = 0;
  await runSync(context(log.script));
  expect(log.pushed.flat()).toEqual([fine]);
  const kept = (await storage.listOutbox()).find((e) => e.id === refused);
  expect(kept?.status).toBe('rejected');
  expect(kept?.error?.message).toBe('不能在这个网格登记');
});

test('the sealed number of a case this phone registered goes back just before the registration; an unsealed one and other cases’ do not', async () => {
  const log = serverLog();
  const register = async (n: number) =>
    (
      await storage.recordEvents([
        {
          type: 'case.opened',
          subjectId: uuid(n),
          orgUnitId: 'grid-1',
          occurredAt: '2025-03-01T09:00:00+08:00',
          data: { disputeType: '02', source: 'application', summary: '排水沟堵塞', parties: [{ role: 'applicant', name: '张某' }] },
        },
      ])
    )[0]!;
  const sealedCase = await register(700);
  const [session] = await storage.recordEvents([
    { type: 'case.session', subjectId: uuid(700), orgUnitId: 'grid-1', occurredAt: '2025-03-02T09:00:00+08:00', data: { content: '第一次调解' } },
  ]);
  const oldCase = await register(702);
  expect((await runSync(context(log.script))).failure).toBeUndefined();
  const numbered = (subjectId: string, n: number, seal?: string): StoredEvent =>
    ({
      ...theirs(10 + n),
      type: 'case.numbered',
      subjectId,
      deviceId: 'server',
      authorId: 'system',
      data: { caseNumber: `（2025）红星村人调字第00${n}号`, year: 2025, committeeId: 'committee-1', sequence: n, ...(seal ? { seal } : {}) },
    }) as unknown as StoredEvent;
  const ours = numbered(uuid(700), 1, 'S'.repeat(43));
  log.add(ours);
  // Another phone's case, sealed; and a number from before the server sealed them: neither goes back.
  log.add(numbered(uuid(701), 2, 'T'.repeat(43)));
  log.add(numbered(uuid(702), 3));
  expect((await runSync(context(log.script))).failure).toBeUndefined();
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });

  log.restore(0);
  log.pushed.length = 0;
  const report = await runSync(context(log.script));
  expect(report.failure).toBeUndefined();
  // Three records of the worker's offered again, and the case number given back before its registration.
  expect(report.reoffered).toBe(3);
  expect(log.pushed.flat()).toEqual([ours.id, sealedCase.id, session!.id, oldCase.id]);
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
});

test('a number the server refuses to take back leaves the outbox quietly, and the phone shows none until the pull brings one', async () => {
  const log = serverLog();
  const [opened] = await storage.recordEvents([
    {
      type: 'case.opened',
      subjectId: uuid(800),
      orgUnitId: 'grid-1',
      occurredAt: '2025-03-01T09:00:00+08:00',
      data: { disputeType: '02', source: 'application', summary: '排水沟堵塞', parties: [{ role: 'applicant', name: '张某' }] },
    },
  ]);
  await runSync(context(log.script));
  const sealed = {
    ...theirs(40),
    type: 'case.numbered',
    subjectId: uuid(800),
    deviceId: 'server',
    authorId: 'system',
    data: { caseNumber: '（2025）红星村人调字第007号', year: 2025, committeeId: 'committee-1', sequence: 7, seal: 'K'.repeat(43) },
  } as unknown as StoredEvent;
  log.add(sealed);
  await runSync(context(log.script));
  expect((await storage.getRecord(uuid(800)))?.state).toMatchObject({ caseNumber: '（2025）红星村人调字第007号' });

  // A restore from a backup older than the key: the seal no longer checks, the push refuses it.
  log.restore(0);
  const refusing = server({
    push: (call) =>
      json({
        results: (call.body as { events: DomainEvent[] }).events.map((e) =>
          e.type === 'case.numbered'
            ? { id: e.id, status: 'rejected', error: { code: 'forbidden_type', message: '无权上传' } }
            : { id: e.id, status: 'applied' },
        ),
      }),
    pull: () => json({ events: [], cursor: 0, hasMore: false, generation: 'gen-2' }),
  });
  await storage.startOver('gen-2');
  expect((await storage.getRecord(uuid(800)))?.state).not.toHaveProperty('caseNumber', expect.anything());
  await runSync(context(refusing));
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
  expect((await storage.listOutbox()).map((e) => e.id)).not.toContain(opened!.id);
});
