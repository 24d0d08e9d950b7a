// Two phones of the same village, each logged in through the UI, work offline, come back
// and converge with the server: each holds (and lists) the other's record, both outboxes
// are empty and both headers say 已同步.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, phoneSweeps, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;
let phones: Phone[] = [];

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  phones = [await openPhone(), await openPhone()];
});
afterAll(async () => {
  for (const p of phones) await p.close();
  await server?.stop();
});

const notes = (list: { note: string }[]) => list.map((s) => s.note).sort();

test('two phones offline, then online: both converge with the server', async () => {
  const [a, b] = phones as [Phone, Phone];
  for (const [phone, user] of [
    [a, town.gridWorker],
    [b, town.mediator],
  ] as const) {
    await phone.page.goto(server.url);
    await waitForServiceWorker(phone.page);
    await loginInUi(phone.page, user.username, user.password);
    await expect.poll(() => syncStatus(phone.page), { timeout: 20_000 }).toMatch(/^已同步/);
  }

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await recordSweepInUi(a.page, { gridId: town.gridId, households: 12, note: '王网格离线排查' });
  await recordSweepInUi(b.page, { gridId: town.gridId, households: 7, note: '赵调解离线排查' });
  expect(await outboxSize(a.page)).toBe(1);
  expect(await outboxSize(b.page)).toBe(1);
  await expect.poll(() => syncStatus(a.page)).toBe('离线 · 1 条待上传');
  await expect.poll(() => syncStatus(b.page)).toBe('离线 · 1 条待上传');

  // Back in signal: the `online` event sends by itself, nobody taps anything. The phone that
  // synced first pulls the other's record on its next trigger: that is 立即同步 here.
  await a.context.setOffline(false);
  await b.context.setOffline(false);
  await expect.poll(() => outboxSize(a.page), { timeout: 30_000 }).toBe(0);
  await expect.poll(() => outboxSize(b.page), { timeout: 30_000 }).toBe(0);
  for (const phone of [a, b]) await phone.page.getByRole('button', { name: '立即同步' }).click();

  const both = ['王网格离线排查', '赵调解离线排查'];
  for (const phone of [a, b]) {
    await expect.poll(async () => notes(await phoneSweeps(phone.page)), { timeout: 30_000 }).toEqual(both);
    await expect.poll(() => syncStatus(phone.page), { timeout: 20_000 }).toMatch(/^已同步/);
  }
  // The other's sweep shows in the list too (走访 12 户 on B, 走访 7 户 on A).
  await expect.poll(() => a.page.getByText('走访 7 户').count(), { timeout: 10_000 }).toBe(1);
  await expect.poll(() => b.page.getByText('走访 12 户').count(), { timeout: 10_000 }).toBe(1);
  expect(notes(await serverSweeps(server.url, town.adminToken))).toEqual(both);
});
