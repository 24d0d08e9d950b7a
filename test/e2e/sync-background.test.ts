// Background Sync's path into the page: the service worker posts SYNC_NOW to open pages, and
// the page runs a sync at once (here it pulls a record someone else just sent).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginApi, loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { phoneSweeps, syncStatus } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;
let phone: Phone;

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  phone = await openPhone();
});
afterAll(async () => {
  await phone?.close();
  await server?.stop();
});

test("the service worker's SYNC_NOW makes the page sync", async () => {
  const { page, context } = phone;
  // The live channel (GET /api/sync/events) would bring the other phone's record at once; this
  // test is about the service worker's wake-up, so the channel is cut and only SYNC_NOW is left.
  await context.route('**/api/sync/events', (route) => route.abort());
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.mediator.username, town.mediator.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);

  // Another phone of the village sends a sweep; this page would only see it at its next
  // timer (minutes away) or trigger.
  const token = await loginApi(server.url, town.gridWorker.username, town.gridWorker.password);
  const now = new Date().toISOString();
  const event = {
    id: randomUUID(),
    type: 'sweep.recorded',
    subjectId: randomUUID(),
    orgUnitId: town.gridId,
    occurredAt: now,
    recordedAt: now,
    deviceId: 'other-phone',
    deviceSeq: 1,
    data: { households: 8, disputesFound: 0, note: '另一台手机的排查' },
  };
  const pushed = await fetch(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ deviceId: 'other-phone', events: [event] }),
  });
  expect(((await pushed.json()) as { results: { status: string }[] }).results[0]?.status).toBe('applied');
  await page.waitForTimeout(1_500);
  expect((await phoneSweeps(page)).map((s) => s.note)).toEqual([]);

  const [worker] = context.serviceWorkers();
  expect(worker).toBeDefined();
  await worker!.evaluate(async () => {
    const sw = self as unknown as { clients: { matchAll(o: { type: string }): Promise<{ postMessage(m: unknown): void }[]> } };
    for (const c of await sw.clients.matchAll({ type: 'window' })) c.postMessage({ type: 'SYNC_NOW' });
  });
  await expect.poll(async () => (await phoneSweeps(page)).map((s) => s.note), { timeout: 10_000 }).toEqual(['另一台手机的排查']);
});
