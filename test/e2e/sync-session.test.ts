// The session on a phone: logged in once, it opens offline; after idling it asks the PIN; a
// revoked login sends the user back to 登录 with the unsent records kept and sent afterwards;
// logout warns about unsent records and then wipes the phone.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, unlockInUi, type SeededTown } from './support/session.ts';
import { outboxSize, phoneSweeps, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

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

async function revokeDevices(userId: string): Promise<void> {
  const headers = { Authorization: `Bearer ${town.adminToken}` };
  const r = await fetch(`${server.url}/api/admin/devices?userId=${userId}`, { headers });
  const { devices } = (await r.json()) as { devices: { id: string }[] };
  expect(devices.length).toBeGreaterThan(0);
  for (const d of devices) expect((await fetch(`${server.url}/api/admin/devices/${d.id}`, { method: 'DELETE', headers })).status).toBe(200);
}

test('a phone logged in once works offline, locks when idle, survives a revoked login and wipes on logout', async () => {
  const { page, context } = phone;
  const user = town.gridWorker;
  await page.goto(server.url);
  await waitForServiceWorker(page);

  // Login needs the network, and says so.
  await context.setOffline(true);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('需要网络');
  await context.setOffline(false);

  await loginInUi(page, user.username, user.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);

  // Offline, the app reopens straight into the screens with the cached session.
  await context.setOffline(true);
  await page.reload();
  await expect.poll(() => syncStatus(page), { timeout: 10_000 }).toMatch(/^离线/);
  await recordSweepInUi(page, { gridId: town.gridId, households: 9, note: '离线时记录' });

  // Idle longer than the PIN timeout (5 min by default): the PIN is asked, offline.
  await page.evaluate(() => localStorage.setItem('taizhang.lastActiveAt', String(Date.now() - 10 * 60_000)));
  await page.reload();
  await page.getByLabel('PIN', { exact: true }).fill('1111');
  await page.getByRole('button', { name: '解锁' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('PIN 不对');
  await unlockInUi(page);
  expect(await outboxSize(page)).toBe(1);

  // The admin revokes the phone's login while it is offline; back online, the next sync gets
  // 401: the user logs in again, the record waits and then goes out. (The `online` event
  // starts that sync by itself.)
  await revokeDevices(user.id);
  await context.setOffline(false);
  await page.getByLabel('用户名').waitFor();
  expect(await page.locator('.session-note').first().textContent()).toContain('登录已失效');
  expect(await outboxSize(page)).toBe(1);
  await loginInUi(page, user.username, user.password);
  await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
  expect((await serverSweeps(server.url, town.adminToken)).map((e) => e.note)).toEqual(['离线时记录']);

  // Logout with an unsent record: a warning first; confirmed, the phone is wiped.
  await context.setOffline(true);
  await recordSweepInUi(page, { gridId: town.gridId, households: 3, note: '还没上传' });
  await page.locator('section[aria-label="同步状态"] .sync-text').click();
  // The way out for a phone that cannot sync: a file of the unsent records.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出未上传数据' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^法治台账-未上传-\d+\.json$/);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { events: { event: { data: { note?: string } } }[] };
  expect(exported.events.map((e) => e.event.data.note)).toEqual(['还没上传']);
  // 退出登录 is in the header's account button, on every screen.
  await page.getByRole('button', { name: /^账户：/ }).click();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('1 条记录没有上传');
  // The warning offers the export it names, in place.
  const [fromWarning] = await Promise.all([page.waitForEvent('download'), page.getByRole('alert').getByRole('button', { name: '导出未上传数据' }).click()]);
  expect(fromWarning.suggestedFilename()).toMatch(/^法治台账-未上传-\d+\.json$/);
  expect(await outboxSize(page)).toBe(1);
  await page.getByRole('button', { name: '仍然退出并清除本机数据' }).click();
  await page.getByLabel('用户名').waitFor();
  expect(await outboxSize(page)).toBe(0);
  expect(await phoneSweeps(page)).toEqual([]);
  await context.setOffline(false);
});
