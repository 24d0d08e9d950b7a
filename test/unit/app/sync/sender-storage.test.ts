// The sync run against the phone's real storage (fake-indexeddb): records saved through
// recordEvents leave the outbox only by the server's acks, a rejected one stays with its
// reason, and pulled pages land with their cursor.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as storage from '../../../../src/app/storage/index.ts';
import { runSync, type SyncContext } from '../../../../src/app/sync/sender.ts';
import { json, scriptedFetch, server, type Script } from './fakes.ts';

const uuid = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  await storage.closeDb();
});

async function saveSweeps(n: number): Promise<string[]> {
  const saved = await storage.recordEvents(
    Array.from({ length: n }, (_, i) => ({
      type: 'sweep.recorded' as const,
      subjectId: uuid(100 + i),
      orgUnitId: 'grid-1',
      occurredAt: '2025-03-01T09:00:00+08:00',
      data: { households: 5 + i, disputesFound: 0 },
    })),
  );
  return saved.map((e) => e.id);
}

function context(script: Script): SyncContext {
  const { fetch } = scriptedFetch(script);
  return { store: storage, fetch, token: 't', deviceId: 'device-1', timeoutMs: 200 };
}

test('an HTML answer leaves the stored outbox as it was; a real one empties it', async () => {
  const ids = await saveSweeps(3);
  const portal = await runSync(context(server({ push: () => new Response('<html>Wi-Fi 登录</html>', { headers: { 'content-type': 'text/html' } }) })));
  expect(portal.failure?.kind).toBe('bad_response');
  expect((await storage.pendingOutbox(10)).map((e) => e.id)).toEqual(ids);

  const ok = await runSync(context(server({})));
  expect(ok.failure).toBeUndefined();
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
});

test('partial and rejected answers: only acked ids leave, the rejected one keeps its reason', async () => {
  const [a, b, c] = await saveSweeps(3);
  const report = await runSync(
    context(
      server({
        push: () =>
          json({
            results: [
              { id: a, status: 'applied' },
              { id: b, status: 'rejected', error: { code: 'forbidden_org_unit', message: '不能在这个网格登记' } },
            ],
          }),
      }),
    ),
  );
  expect(report.partial).toBe(true);
  expect(await storage.countOutbox()).toEqual({ pending: 1, rejected: 1 });
  expect((await storage.pendingOutbox(10)).map((e) => e.id)).toEqual([c]);
  const rejected = (await storage.listOutbox()).find((e) => e.id === b);
  expect(rejected?.error?.message).toBe('不能在这个网格登记');
});

test('pulled pages are stored with their cursor', async () => {
  const [mine] = await saveSweeps(1);
  const theirs = {
    id: uuid(900),
    type: 'sweep.recorded',
    subjectId: uuid(901),
    orgUnitId: 'grid-1',
    occurredAt: '2025-03-02T09:00:00+08:00',
    recordedAt: '2025-03-02T01:00:00.000Z',
    deviceId: 'other',
    deviceSeq: 4,
    data: { households: 2, disputesFound: 0 },
    seq: 2,
    authorId: 'u2',
    receivedAt: '2025-03-02T01:00:01.000Z',
  };
  const pages = [
    { events: [theirs], cursor: 2, hasMore: true },
    { events: [], cursor: 2, hasMore: false },
  ];
  let page = 0;
  await runSync(context(server({ pull: () => json(pages[page++]) })));
  expect(await storage.getCursor()).toBe(2);
  expect((await storage.getEvents(uuid(901))).map((e) => e.id)).toEqual([uuid(900)]);
  expect(await storage.countOutbox()).toEqual({ pending: 0, rejected: 0 });
  expect(mine).toBeDefined();
});

test("a backfill page's resume is stored with it and names it to the next pull, in this run or the next", async () => {
  const theirs = {
    id: uuid(910),
    type: 'sweep.recorded',
    subjectId: uuid(911),
    orgUnitId: 'grid-1',
    occurredAt: '2025-03-02T09:00:00+08:00',
    recordedAt: '2025-03-02T01:00:00.000Z',
    deviceId: 'other',
    deviceSeq: 5,
    data: { households: 2, disputesFound: 0 },
    seq: 1,
    authorId: 'u2',
    receivedAt: '2025-03-02T01:00:01.000Z',
  };
  const urls: string[] = [];
  // The backfill's first page arrives; the answer to the next pull is lost behind a proxy's 502.
  const lossy = server({
    pull: (call) => {
      urls.push(call.url);
      return urls.length === 1 ? json({ events: [theirs], cursor: 3, hasMore: true, resume: 'offer-1' }) : new Response('Bad Gateway', { status: 502 });
    },
  });
  expect((await runSync(context(lossy))).failure).toBeDefined();
  const resumeOf = (url: string | undefined) => new URL(url ?? '', 'http://phone').searchParams.get('resume');
  expect(resumeOf(urls[0])).toBe('');
  expect(resumeOf(urls[1])).toBe('offer-1');
  expect(await storage.getPullResume()).toBe('offer-1');

  urls.length = 0;
  await runSync(context(server({ pull: (call) => (urls.push(call.url), json({ events: [], cursor: 3, hasMore: false })) })));
  expect(resumeOf(urls[0])).toBe('offer-1');
  // An ordinary page carries none: nothing is left to confirm.
  expect(await storage.getPullResume()).toBe('');

  await storage.applyPulled([], 3, undefined, 'offer-2');
  await storage.startOver('gen-2');
  expect(await storage.getPullResume()).toBe('');
});
