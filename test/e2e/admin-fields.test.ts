// The account form in Chromium at desk size (1366×768): a weak password and a repeated role row
// are said at their field and row before anything is sent, the password field gets the cursor
// and is in view; then a unit closed by another admin while the form was open is refused by the
// server, and its message lands at that row's unit picker, focused. Nothing is created until
// the form is right.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { ADMIN, loginInUi, seedTown, type SeededTown } from './support/session.ts';

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

/** The message shown at a field, as its aria-describedby names it (its hint left out). */
async function errorAt(field: Locator): Promise<string | undefined> {
  return field.evaluate((el) => {
    const ids = el.getAttribute('aria-describedby')?.split(' ') ?? [];
    return ids.filter((id) => id.endsWith('-error')).map((id) => document.getElementById(id)?.textContent ?? '')[0];
  });
}
/** Whether the field has the cursor and is inside the window (not only somewhere in the page). */
async function focusedInView(page: Page, field: Locator): Promise<boolean> {
  const focused = await field.evaluate((el) => el === document.activeElement);
  const box = await field.boundingBox();
  const view = page.viewportSize()!;
  return focused && box !== null && box.y >= 0 && box.y + box.height <= view.height;
}

async function serverUsers(): Promise<string[]> {
  const r = await fetch(`${server.url}/api/admin/users`, { headers: { Authorization: `Bearer ${town.adminToken}` } });
  return ((await r.json()) as { users: { username: string }[] }).users.map((u) => u.username);
}

/** Today in the server's zone (Asia/Shanghai), as a close date. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

test('新建账号: a weak password and a bad role row are said at the field, focused; the server’s refusal of a row lands at that row', async () => {
  const desk = await openPhone();
  phones.push(desk);
  const a = desk.page;
  await a.setViewportSize({ width: 1366, height: 768 });
  await a.goto(server.url);
  await loginInUi(a, ADMIN.username, ADMIN.password);
  await a.getByRole('link', { name: '管理', exact: true }).click();
  await a.getByRole('link', { name: '账号', exact: true }).click();
  await a.getByRole('button', { name: '新建账号' }).click();
  const form = a.getByRole('form', { name: '新建账号' });
  await form.getByLabel('用户名（登录用）').fill('li01');
  await form.getByLabel('姓名').fill('李网格');
  await form.getByLabel('初始密码').fill('abcdefgh');
  const row = (n: number) => form.getByRole('group', { name: `第 ${n} 个角色` });
  await row(1).getByLabel('角色 1').selectOption('grid_worker');
  await row(1).getByLabel('网格员所在单位').selectOption(town.gridId);
  await form.getByRole('button', { name: '再加一个角色' }).click();
  await row(2).getByLabel('角色 2').selectOption('grid_worker');
  await row(2).getByLabel('网格员所在单位').selectOption(town.gridId);
  await form.getByRole('button', { name: '创建账号' }).click();

  const password = form.getByLabel('初始密码');
  await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
  expect(await errorAt(password)).toBe('密码不能是连续的数字或字母（如 12345678），请换一个不容易被猜到的密码');
  expect(await focusedInView(a, password)).toBe(true);
  // The message is announced (role=alert) and is right under the field, not in a banner.
  const passwordError = form.locator('.admin-field', { has: a.getByLabel('初始密码') }).getByRole('alert');
  expect(await passwordError.textContent()).toBe(await errorAt(password));
  expect(await errorAt(row(2).getByLabel('网格员所在单位'))).toBe('与第 1 个角色重复');
  expect(await errorAt(row(1).getByLabel('网格员所在单位'))).toBeUndefined();
  expect(await form.locator('.admin-error').count()).toBe(0);

  // Typing replaces the refused password (it is selected); the second row goes to the other grid.
  await a.keyboard.type('li-wangge-2025');
  expect(await password.inputValue()).toBe('li-wangge-2025');
  await row(2).getByLabel('网格员所在单位').selectOption(town.otherGridId);
  // Meanwhile another admin closes that grid: this form's list of units does not know it yet.
  const closed = await fetch(`${server.url}/api/admin/org-units/${town.otherGridId}/close`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${town.adminToken}` },
    body: JSON.stringify({ closedOn: today() }),
  });
  expect(closed.status).toBe(200);
  await form.getByRole('button', { name: '创建账号' }).click();
  const unit2 = row(2).getByLabel('网格员所在单位');
  await expect.poll(() => errorAt(unit2)).toMatch(/^第二网格.*撤并.*，不能再分配角色$/);
  expect(await errorAt(password)).toBeUndefined();
  expect(await focusedInView(a, unit2)).toBe(true);
  expect(await form.locator('.admin-error').count()).toBe(0);
  expect(await serverUsers()).not.toContain('li01');

  await form.getByRole('button', { name: '删除角色 2' }).click();
  await form.getByRole('button', { name: '创建账号' }).click();
  await a.getByRole('status').filter({ hasText: '已创建账号 li01（李网格）' }).waitFor();
  expect(await serverUsers()).toContain('li01');
});
