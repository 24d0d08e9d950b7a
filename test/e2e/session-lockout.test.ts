// A locked phone never cuts the worker off from their unsent work. Offline, with a record
// not yet uploaded: five wrong PINs bring a cool-down (not a password login that needs the
// network); the wipe offers the export first; the login password, checked on the phone,
// opens it; a new PIN is chosen; the record is still there and goes out once online.
import { readFileSync } from 'node:fs';
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

test('offline: wrong PINs → cool-down → the wipe offers the export → the password unlocks → the record syncs later', async () => {
  const { page, context } = phone;
  const user = town.gridWorker;
  await openAppOnline(page, server.url, user);

  await context.setOffline(true);
  await recordSweepInUi(page, { gridId: town.gridId, households: 6, note: '锁屏前记录' });
  expect(await outboxSize(page)).toBe(1);

  // Idle: the PIN is asked. Five wrong guesses.
  await page.evaluate(() => localStorage.setItem('taizhang.lastActiveAt', String(Date.now() - 10 * 60_000)));
  await page.reload();
  const pinField = page.getByLabel('PIN', { exact: true });
  for (let i = 1; i <= 5; i++) {
    await pinField.fill('1111');
    await page.getByRole('button', { name: '解锁' }).click();
    // This guess's own answer (the count goes down), not the last one's still on the screen: a
    // fill before that answer came was cleared with it, and an empty PIN is not a guess.
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(i < 5 ? `还可以再试 ${5 - i} 次` : '错误次数过多');
  }
  // A cool-down, still on the lock screen: no password login that needs the network.
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/错误次数过多.*还需等待 \d+ 秒/);
  expect(await page.getByRole('button', { name: '解锁' }).isDisabled()).toBe(true);
  expect(await page.getByLabel('用户名').count()).toBe(0);
  expect(await outboxSize(page)).toBe(1);
  // A reload does not clear the cool-down.
  await page.reload();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/还需等待/);

  // Wiping is its own act, and offers the unsent record for export first.
  await page.getByRole('button', { name: /清除本机数据…/ }).click();
  await expect.poll(() => page.getByRole('alert').last().textContent()).toContain('1 条记录没有上传');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出未上传数据' }).click()]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { events: { event: { data: { note?: string } } }[] };
  expect(exported.events.map((e) => e.event.data.note)).toEqual(['锁屏前记录']);
  await page.getByRole('button', { name: '取消' }).click();
  expect(await outboxSize(page)).toBe(1);

  // The login password, checked on the phone with no network; then a new PIN.
  await page.getByRole('button', { name: '忘记 PIN？改用登录密码' }).click();
  await page.getByLabel('登录密码').fill('not-the-password');
  await page.getByRole('button', { name: '核对密码' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('密码不对');
  await page.getByLabel('登录密码').fill(user.password);
  await page.getByRole('button', { name: '核对密码' }).click();
  await page.getByLabel('再次输入 PIN').waitFor();
  await page.getByLabel('PIN', { exact: true }).fill('8642');
  await page.getByLabel('再次输入 PIN').fill('8642');
  await page.getByRole('button', { name: '确定' }).click();
  await page.getByRole('button', { name: '立即同步' }).waitFor();
  expect(await outboxSize(page)).toBe(1);
  expect(await syncStatus(page)).toBe('离线 · 1 条待上传');

  // Back online, it goes out.
  await context.setOffline(false);
  await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
  expect((await serverSweeps(server.url, town.adminToken)).map((s) => s.note)).toContain('锁屏前记录');
  await expect.poll(() => syncStatus(page), { timeout: 10_000 }).toMatch(/^已同步/);
});
