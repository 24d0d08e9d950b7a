// The phone's /api goes through a proxy that drops connections (before and after the server
// committed), answers 500, 429, slowly, with a captive portal's HTML, or cuts the body off.
// Whatever happens, every record reaches the server exactly once and the outbox empties.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { freePort, startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, phoneSweeps, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

let server: RunningServer;
let proxy: FaultProxy;
let town: SeededTown;
let phone: Phone;

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  proxy = await startFaultProxy(server.url, await freePort(), 2_500);
  phone = await openPhone();
});
afterAll(async () => {
  await phone?.close();
  await proxy?.close();
  await server?.stop();
});

/** Taps 立即同步 until the armed faults are used up and the outbox is empty. */
async function syncThroughFaults(): Promise<void> {
  const { page } = phone;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proxy.remaining() === 0 && (await outboxSize(page)) === 0 && !(await syncStatus(page)).startsWith('正在同步')) return;
    const button = page.getByRole('button', { name: '立即同步' });
    if (await button.isEnabled()) await button.click();
    await page.waitForTimeout(400);
  }
  throw new Error(`did not converge: ${JSON.stringify(proxy.log)}`);
}

test('dropped, refused, slow, cut-off and fake answers lose nothing and duplicate nothing', async () => {
  const { page } = phone;
  await page.goto(proxy.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.gridWorker.username, town.gridWorker.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);

  const recorded: string[] = [];
  const rounds: Parameters<FaultProxy['arm']>[0][] = [
    ['captive-portal', 'error-500', 'drop-after', 'truncated', 'rate-limit'],
    ['drop-before', 'slow', 'drop-after', 'captive-portal', 'truncated', 'error-500'],
  ];
  for (const [round, faults] of rounds.entries()) {
    proxy.arm(faults);
    for (let i = 0; i < 4; i++) {
      const note = `第 ${round + 1} 轮 第 ${i + 1} 条`;
      await recordSweepInUi(page, { gridId: town.gridId, households: 10 + i, note });
      recorded.push(note);
    }
    await syncThroughFaults();
  }

  // Every fault was met by a sync request, and pushes were among them.
  expect(proxy.remaining()).toBe(0);
  const faulted = proxy.log.filter((l) => l.fault !== 'pass');
  expect(faulted).toHaveLength(11);
  expect(faulted.some((l) => l.path.startsWith('/api/sync/push') && l.fault === 'drop-after')).toBe(true);

  // Exactly once each: not lost, and not stored twice under two ids either.
  const onServer = (await serverSweeps(server.url, town.adminToken)).map((e) => e.note);
  expect(onServer.sort()).toEqual([...recorded].sort());
  expect(await outboxSize(page)).toBe(0);
  expect((await phoneSweeps(page)).map((e) => e.note).sort()).toEqual([...recorded].sort());
  await expect.poll(() => syncStatus(page), { timeout: 10_000 }).toMatch(/^已同步/);
});

test('a tab closed after the push reached the server, before the answer came back: no loss, no duplicate', async () => {
  const { context } = phone;
  const page = phone.page;
  const before = (await serverSweeps(server.url, town.adminToken)).length;
  proxy.arm(['hang-after']);
  // Saving starts a sync by itself; its push reaches the server, the answer never comes.
  await recordSweepInUi(page, { gridId: town.gridId, households: 5, note: '关页前记录' });
  await expect.poll(() => proxy.log.some((l) => l.fault === 'hang-after' && l.status === 200), { timeout: 20_000 }).toBe(true);
  expect((await serverSweeps(server.url, town.adminToken)).map((s) => s.note)).toContain('关页前记录');
  expect(await outboxSize(page)).toBe(1);
  await page.close();

  const reopened = await context.newPage();
  phone.page = reopened;
  await reopened.goto(proxy.url);
  // The record is still queued on the phone and goes out again; the server knows its id.
  await expect.poll(() => outboxSize(reopened), { timeout: 30_000 }).toBe(0);
  const onServer = (await serverSweeps(server.url, town.adminToken)).map((s) => s.note);
  expect(onServer).toHaveLength(before + 1);
  expect(onServer.filter((n) => n === '关页前记录')).toHaveLength(1);
  await expect.poll(() => syncStatus(reopened), { timeout: 10_000 }).toMatch(/^已同步/);
});
