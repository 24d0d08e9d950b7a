// Two phones of the same village, each logged in through the UI, work offline, come back
// and converge with the server: each holds the other's record, both outboxes are empty and
// both headers say 已同步.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { phoneEvents, outboxSize, recordSweep, serverEvents, syncStatus } from './support/sync.ts';

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
  await expect.poll(() => syncStatus(a.page)).toMatch(/^离线/);
  const fromA = await recordSweep(a.page, { households: 12, note: '王网格离线排查', orgUnitId: town.gridId });
  const fromB = await recordSweep(b.page, { households: 7, note: '赵调解离线排查', orgUnitId: town.gridId });
  expect(await outboxSize(a.page)).toBe(1);
  expect(await outboxSize(b.page)).toBe(1);

  await a.context.setOffline(false);
  await b.context.setOffline(false);
  // The `online` event sends by itself; nobody taps 立即同步. A phone that synced before the
  // other had sent may need its next trigger to pull the other's record: tap it then.
  await expect.poll(() => outboxSize(a.page), { timeout: 30_000 }).toBe(0);
  await expect.poll(() => outboxSize(b.page), { timeout: 30_000 }).toBe(0);
  for (const phone of [a, b]) await phone.page.getByRole('button', { name: '立即同步' }).click();

  for (const phone of [a, b]) {
    await expect.poll(async () => (await phoneEvents(phone.page)).sort(), { timeout: 30_000 }).toEqual([fromA, fromB].sort());
    await expect.poll(() => syncStatus(phone.page), { timeout: 20_000 }).toMatch(/^已同步/);
  }
  const onServer = await serverEvents(server.url, town.adminToken);
  expect(onServer.filter((id) => id === fromA || id === fromB).sort()).toEqual([fromA, fromB].sort());
});
