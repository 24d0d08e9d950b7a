// The admin's tools in Chromium at desk size: the org tree from a sheet (template download,
// row-by-row Chinese errors with nothing imported, then a clean import from .xlsx), a grid
// worker's device revoked (the phone is signed out at its next sync, its records kept), a
// password reset, an account disabled, and the audit log filtered and exported as CSV.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { ADMIN, createUser, loginApi, loginInUi } from './support/session.ts';
import { syncStatus } from './support/sync.ts';

const GOOD_SHEET = [
  '编号,上级编号,类型,名称,简称',
  '500235110,,镇,江口镇,江口',
  '500235110201,500235110,村,向阳村,向阳',
  '500235110201-01,500235110201,网格,向阳村第一网格,',
  '500235110201-02,500235110201,网格,向阳村第二网格,',
  '500235110-twh,500235110,调委会,江口镇人民调解委员会,江口',
].join('\n');

/** The same sheet with two wrong rows: an unknown kind and a parent that does not exist. */
const BAD_SHEET = GOOD_SHEET.replace('500235110201,500235110,村,', '500235110201,500235110,乡村,').replace(
  '500235110201-02,500235110201,',
  '500235110201-02,x404,',
);

let server: RunningServer;
const phones: Phone[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const p of phones) await p.close();
  await server?.stop();
});

async function upload(page: Page, name: string, mimeType: string, buffer: Buffer) {
  await page.getByLabel('表格文件').setInputFiles({ name, mimeType, buffer });
  await page.getByRole('button', { name: '开始导入' }).click();
}

/** After a clean preview: what will be created is shown, and the admin confirms it. */
async function confirmImport(page: Page, creates: number) {
  await page.getByRole('region', { name: '导入预览' }).getByText(`将新建 ${creates} 个单位`).waitFor();
  await page.getByRole('button', { name: '确认导入' }).click();
}

/** The sheet as Excel saves it (.xlsx), numbers typed as numbers. */
async function asWorkbook(csv: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('组织架构');
  for (const line of csv.split('\n')) ws.addRow(line.split(',').map((f) => (/^\d+$/.test(f) ? Number(f) : f)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('sheet import, device revocation, password reset, disabling and the audit log', async () => {
  const desk = await openPhone();
  phones.push(desk);
  const a = desk.page;
  await a.setViewportSize({ width: 1280, height: 900 });
  a.on('dialog', (d) => void d.accept());
  await a.goto(server.url);
  await loginInUi(a, ADMIN.username, ADMIN.password);
  await a.getByRole('link', { name: '管理', exact: true }).click();
  await a.getByRole('heading', { name: '设置向导' }).waitFor();

  // --- The org tree from a sheet.
  await a.getByRole('link', { name: '组织架构', exact: true }).click();
  await a.getByRole('button', { name: '从表格导入' }).click();
  const [download] = await Promise.all([a.waitForEvent('download'), a.getByRole('button', { name: '下载导入模板' }).click()]);
  expect(download.suggestedFilename()).toBe('组织架构导入模板.xlsx');
  const template = new ExcelJS.Workbook();
  await template.xlsx.readFile((await download.path())!);
  const sheet = template.worksheets[0]!;
  expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['编号', '上级编号', '类型', '名称', '简称']);
  // The code columns are text: Excel keeps 500235110201 as typed, not 5.00235E+11.
  expect(sheet.getColumn(1).numFmt).toBe('@');
  expect(sheet.getCell('A3').value).toBe('500235110201');

  await upload(a, 'bad.csv', 'text/csv', Buffer.from(BAD_SHEET, 'utf8'));
  await a.getByRole('alert').filter({ hasText: '未导入任何数据' }).waitFor();
  const errors = a.getByRole('table', { name: '有错误的行' });
  expect(await errors.getByRole('row').allInnerTexts()).toEqual([
    expect.stringContaining('行'),
    expect.stringMatching(/第 3 行\s+类型\s+类型“乡村”不对/),
    // The grid under the refused village has no parent either.
    expect.stringMatching(/第 4 行\s+上级编号\s+找不到上级编号 500235110201/),
    expect.stringMatching(/第 5 行\s+上级编号\s+找不到上级编号 x404/),
  ]);
  // Nothing was imported: the tree is still empty.
  await a.getByText('还没有任何单位').waitFor();

  // Corrected, and saved from Excel as .xlsx this time.
  await upload(a, 'good.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await asWorkbook(GOOD_SHEET));
  await confirmImport(a, 5);
  await a.getByRole('status').filter({ hasText: '已导入 5 个单位' }).waitFor();
  const tree = a.getByRole('tree', { name: '组织架构' });
  await tree.getByRole('button', { name: /向阳村第二网格/ }).waitFor();
  await tree.getByRole('button', { name: /江口镇人民调解委员会/ }).waitFor();

  // --- A grid worker's phone, then its device revoked by the admin.
  const adminToken = await loginApi(server.url, ADMIN.username, ADMIN.password);
  await createUser(server.url, adminToken, {
    username: 'wang',
    password: 'field-pass-123',
    displayName: '王网格',
    roles: [{ role: 'grid_worker', orgUnitId: '500235110201-01' }],
  });
  const phone = await openPhone();
  phones.push(phone);
  const p = phone.page;
  await p.goto(server.url);
  await waitForServiceWorker(p);
  await loginInUi(p, 'wang', 'field-pass-123');
  await expect.poll(() => syncStatus(p), { timeout: 20_000 }).toMatch(/^已同步/);

  await a.getByRole('link', { name: '账号', exact: true }).click();
  await a.getByRole('button', { name: '管理 wang' }).click();
  const devices = a.locator('.admin-devices');
  await devices.getByRole('button', { name: '撤销' }).waitFor();
  expect(await devices.getByRole('listitem').count()).toBe(1);
  await devices.getByRole('button', { name: '撤销' }).click();
  await devices.getByText('没有已登录的设备。').waitFor();
  // The phone learns at its next sync that its login is over; the login screen says why.
  await p.getByRole('button', { name: '立即同步' }).click();
  await p.getByText('登录已失效').waitFor({ timeout: 20_000 });

  // --- Password reset: the old password stops working, the new one works.
  await a.getByLabel('新密码').fill('new-pass-456');
  await a.getByRole('button', { name: '重置密码' }).click();
  await a.getByRole('status').filter({ hasText: '密码已重置' }).waitFor();
  await expect(loginApi(server.url, 'wang', 'field-pass-123')).rejects.toThrow(/401/);
  expect(await loginApi(server.url, 'wang', 'new-pass-456')).toMatch(/.+/);

  // --- Disabling: the account shows as such and cannot log in.
  await a.getByRole('button', { name: '停用账号' }).click();
  await a.getByRole('status').filter({ hasText: '账号已停用' }).waitFor();
  await a.getByText('已停用', { exact: true }).waitFor();
  await expect(loginApi(server.url, 'wang', 'new-pass-456')).rejects.toThrow(/403.*account_disabled/);

  // --- The audit log: every change above, filterable, exportable.
  await a.getByRole('link', { name: '审计日志', exact: true }).click();
  const log = a.getByRole('table', { name: '审计记录' });
  await log.waitFor();
  const actions = async () => (await log.locator('tbody tr td:nth-child(3)').allInnerTexts()).sort();
  expect(await actions()).toEqual(expect.arrayContaining(['导入组织架构', '创建账号', '撤销设备', '重置密码', '停用账号', '登录']));
  await a.getByLabel('操作', { exact: true }).selectOption({ label: '撤销设备' });
  await a.getByRole('button', { name: '查询' }).click();
  await expect.poll(actions).toEqual(['撤销设备']);
  const [csv] = await Promise.all([a.waitForEvent('download'), a.getByRole('button', { name: '导出 CSV' }).click()]);
  expect(csv.suggestedFilename()).toBe('审计日志.csv');
  const lines = readFileSync((await csv.path())!, 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('device.revoked');
});
