// A phone whose clock is days off still syncs (the server orders by its own seq), and the
// user is told plainly to set the clock right.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, recordSweepInUi, serverSweeps } from './support/sync.ts';

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

test('a clock three days slow is flagged in the header, and the record still goes through', async () => {
  const { page, context } = phone;
  await context.clock.setSystemTime(new Date(Date.now() - 3 * 24 * 3_600_000));
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.gridWorker.username, town.gridWorker.password);
  await recordSweepInUi(page, { gridId: town.gridId, households: 4, note: '时间不准的手机' });
  await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
  const warning = page.locator('.sync-clock[role="alert"]');
  await warning.waitFor({ timeout: 20_000 });
  expect(await warning.textContent()).toMatch(/手机时间比服务器慢约 3 天/);
  expect((await serverSweeps(server.url, town.adminToken)).map((s) => s.note)).toEqual(['时间不准的手机']);
});
