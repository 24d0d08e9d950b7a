// 撤并 in Chromium: the admin closes a grid from today at desk size (1366×768); a sweep the
// mediator recorded there offline before knowing comes back 未通过 with the Chinese reason; the
// tree shows the grid as 已撤并 with its date; the phone's pickers then stop offering it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { ADMIN, loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { openAppOnline, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;
const phones: Phone[] = [];

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
});
afterAll(async () => {
  for (const p of phones) await p.close();
  await server?.stop();
});

test('a grid closed by the admin refuses the new sweep with its reason and leaves the pickers', async () => {
  const phone = await openPhone();
  phones.push(phone);
  const { page, context } = phone;
  await openAppOnline(page, server.url, town.mediator);
  await context.setOffline(true);
  await recordSweepInUi(page, { gridId: town.otherGridId, households: 30, note: '撤并前不知情的排查' });

  // The admin closes the second grid at the desk.
  const desk = await openPhone();
  phones.push(desk);
  const a = desk.page;
  await a.setViewportSize({ width: 1366, height: 768 });
  a.on('dialog', (d) => void d.accept());
  await a.goto(server.url);
  await loginInUi(a, ADMIN.username, ADMIN.password);
  await a.getByRole('link', { name: '管理', exact: true }).click();
  await a.getByRole('link', { name: '组织架构', exact: true }).click();
  const tree = a.getByRole('tree', { name: '组织架构' });
  await tree.getByRole('button', { name: /网格 第二网格/ }).click();
  await a.getByRole('button', { name: '撤并…' }).click();
  await a.getByLabel('撤并日期').waitFor();
  await a.getByRole('button', { name: '撤销该单位' }).click();
  await a.getByRole('status').filter({ hasText: '“第二网格”已自' }).waitFor();
  const today = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(new Date())
    .reduce((s, p) => s + (p.type === 'year' ? `${p.value}年` : p.type === 'month' ? `${p.value}月` : p.type === 'day' ? `${p.value}日` : ''), '');
  expect(await tree.getByRole('button', { name: /网格 第二网格/ }).textContent()).toContain(`已撤并 · ${today}起`);

  // The phone comes back: the sweep is refused with the reason, and stays on the phone.
  await context.setOffline(false);
  const rejectedButton = page.getByRole('button', { name: '1 条未通过' });
  await rejectedButton.waitFor({ timeout: 30_000 });
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);
  await rejectedButton.click();
  const item = page.locator('.sync-rejected-list li');
  await item.waitFor();
  expect(await item.textContent()).toMatch(/原因：第二网格已于.*撤并，请改记在现在负责该地的单位后再上传/);
  expect(await serverSweeps(server.url, town.adminToken)).toEqual([]);

  // A phone logged in after the close is not offered the closed grid.
  const later = await openPhone();
  phones.push(later);
  await openAppOnline(later.page, server.url, town.mediator);
  await later.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '排查' }).click();
  const grids = later.page.getByLabel(/^网格/);
  await grids.waitFor();
  const offered = await grids.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(offered).toContain(town.gridId);
  expect(offered).not.toContain(town.otherGridId);
});
