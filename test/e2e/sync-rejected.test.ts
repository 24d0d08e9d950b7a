// A record the server refuses (here: recorded offline in a grid the user was moved away from)
// is shown as 未通过 with the server's reason in Chinese; the other record goes through; once
// the office puts the user's scope right, 重新上传 sends it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { seedTown, type SeededTown } from './support/session.ts';
import { openAppOnline, outboxSize, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

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

async function setRoles(userId: string, roles: { role: string; orgUnitId: string }[]): Promise<void> {
  const r = await fetch(`${server.url}/api/admin/users/${userId}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${town.adminToken}` },
    body: JSON.stringify({ roles }),
  });
  expect(r.status).toBe(200);
}

test('a refused record is marked 未通过 with its reason, does not hold back the other, and can be resent', async () => {
  const { page, context } = phone;
  const user = town.mediator;
  await openAppOnline(page, server.url, user);

  await context.setOffline(true);
  await recordSweepInUi(page, { gridId: town.gridId, households: 20, note: '第一网格排查' });
  await recordSweepInUi(page, { gridId: town.otherGridId, households: 30, note: '第二网格排查' });
  // Meanwhile the office narrows the user to the first grid.
  await setRoles(user.id, [{ role: 'grid_worker', orgUnitId: town.gridId }]);
  await context.setOffline(false);

  const rejectedButton = page.getByRole('button', { name: '1 条未通过' });
  await rejectedButton.waitFor({ timeout: 30_000 });
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);
  expect((await serverSweeps(server.url, town.adminToken)).map((s) => s.note)).toEqual(['第一网格排查']);

  await rejectedButton.click();
  const item = page.locator('.sync-rejected-list li');
  await item.waitFor();
  expect(await item.textContent()).toContain('矛盾排查');
  expect(await item.textContent()).toMatch(/原因：.*无权在该单位登记/);
  expect(await outboxSize(page)).toBe(1);

  // The office gives the village back; the user resends.
  await setRoles(user.id, [{ role: 'mediator', orgUnitId: town.committeeId }]);
  await item.getByRole('button', { name: '重新上传' }).click();
  await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
  await expect.poll(() => rejectedButton.count()).toBe(0);
  expect((await serverSweeps(server.url, town.adminToken)).map((s) => s.note).sort()).toEqual(['第一网格排查', '第二网格排查']);
});
