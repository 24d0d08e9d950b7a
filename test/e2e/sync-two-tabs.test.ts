// Two tabs of the app on one phone: however often both are asked to sync, only one sends at a
// time (the Web Lock 'taizhang-sync'), and each record reaches the server once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { freePort, startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

let server: RunningServer;
let proxy: FaultProxy;
let town: SeededTown;
let phone: Phone;

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  proxy = await startFaultProxy(server.url, await freePort(), 1_500);
  phone = await openPhone();
});
afterAll(async () => {
  await phone?.close();
  await proxy?.close();
  await server?.stop();
});

test('two tabs never send at the same time', async () => {
  const first = phone.page;
  await first.goto(proxy.url);
  await waitForServiceWorker(first);
  await loginInUi(first, town.gridWorker.username, town.gridWorker.password);
  const second = await phone.context.newPage();
  await second.goto(proxy.url);
  await second.getByRole('button', { name: '立即同步' }).waitFor();

  await phone.context.setOffline(true);
  for (let i = 0; i < 3; i++) await recordSweepInUi(first, { gridId: town.gridId, households: i + 1, note: `标签页一 ${i + 1}` });
  for (let i = 0; i < 3; i++) await recordSweepInUi(second, { gridId: town.gridId, households: i + 1, note: `标签页二 ${i + 1}` });
  // Every sync request is slow, so two senders would overlap if both were allowed to run.
  proxy.arm(Array.from({ length: 12 }, () => 'slow' as const));
  const logStart = proxy.log.length;
  await phone.context.setOffline(false);
  for (let i = 0; i < 4; i++) {
    await Promise.all(
      [first, second].map((p) =>
        p
          .getByRole('button', { name: '立即同步' })
          .click({ timeout: 5_000 })
          .catch(() => undefined),
      ),
    );
    await first.waitForTimeout(300);
  }
  await expect.poll(() => outboxSize(first), { timeout: 60_000 }).toBe(0);
  await expect
    .poll(async () => (await syncStatus(first)).startsWith('正在同步') || (await syncStatus(second)).startsWith('正在同步'), { timeout: 30_000 })
    .toBe(false);

  const requests = proxy.log.slice(logStart);
  expect(requests.length).toBeGreaterThan(1);
  for (const [i, a] of requests.entries()) {
    for (const b of requests.slice(i + 1)) {
      const overlap = a.startedAt < (b.endedAt ?? Infinity) && b.startedAt < (a.endedAt ?? Infinity);
      expect(overlap, `${a.method} ${a.path} overlaps ${b.method} ${b.path}`).toBe(false);
    }
  }
  const notes = (await serverSweeps(server.url, town.adminToken)).map((s) => s.note).sort();
  expect(notes).toEqual(['标签页一 1', '标签页一 2', '标签页一 3', '标签页二 1', '标签页二 2', '标签页二 3']);
});
