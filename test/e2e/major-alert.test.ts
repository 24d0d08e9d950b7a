// 重大矛盾纠纷 end to end: a mediator flags a case 重大 at registration on a phone (360×740) with
// no network; nothing reaches the office until the phone syncs; then the office user at
// 1366×768 sees the alert with when it was flagged and received, prints the 快报 (the PDF
// Chromium prints holds the facts and the measures) and acknowledges it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { fillCaseForm, openTab } from './support/pages.ts';
import { textMargins } from './support/pdf.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { createUser, loginInUi, seedTown, type Account, type SeededTown } from './support/session.ts';
import { openAppOnline, outboxSize, syncStatus } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;
let office: Account;
let phone: Phone;
let desk: Phone;
const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-major-'));
// Screenshots for a person to look at, outside the project (SHOTS_DIR), when asked for.
const shots = process.env.SHOTS_DIR;
if (shots) mkdirSync(shots, { recursive: true });
const shot = async (p: Phone, name: string) => {
  if (shots) await p.page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
};

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  office = await createUser(server.url, town.adminToken, {
    username: 'zongzhi',
    password: 'office-pass-123',
    displayName: '综治办小李',
    roles: [{ role: 'office', orgUnitId: town.townId }],
  });
  phone = await openPhone();
  desk = await openPhone();
  await desk.page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(async () => {
  await phone?.close();
  await desk?.close();
  await server?.stop();
});

test('a case flagged 重大 offline reaches the office as an alert on the next sync; the office prints the 快报 and signs for it', async () => {
  const { page, context } = phone;
  await openAppOnline(page, server.url, town.mediator);
  await context.setOffline(true);
  await page.reload();
  await waitForServiceWorker(page);
  await expect.poll(() => syncStatus(page), { timeout: 10_000 }).toMatch(/^离线/);

  await openTab(page, '案件');
  await page.getByRole('link', { name: '登记案件' }).first().click();
  await fillCaseForm(page, {
    disputeType: '07',
    source: 'self_initiated',
    orgUnitId: town.gridId,
    summary: '石坝村两个村民小组因山林界址争执，双方三十余人聚集',
    parties: [{ name: '张大山' }, { name: '李小河' }],
    mediators: '赵调解',
  });
  await page.getByLabel('这是重大矛盾纠纷（同步后镇里立即收到预警）').check();
  // Flagged without a criterion: the message is at the field and nothing is saved.
  await page.getByRole('button', { name: '保存登记' }).click();
  await expect.poll(() => page.getByText('请至少选择一项重大纠纷认定情形').first().isVisible()).toBe(true);
  expect(await outboxSize(page)).toBe(0);
  await page.getByLabel('人数多（5户或10人以上）').check();
  await page.getByLabel('有激化、暴力风险').check();
  await page.getByLabel('已采取的措施').fill('村调委会已分开双方，派出所民警到场维持秩序');
  await page.getByLabel('责任领导').fill('李副镇长');
  await shot(phone, 'phone-register-major');
  await page.getByRole('button', { name: '保存登记' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(caseId).toBeDefined();
  await page.getByText('重大矛盾纠纷', { exact: true }).first().waitFor();
  expect(await page.locator('.stage-chain li.done').count()).toBe(2);
  expect(await outboxSize(page)).toBe(2);
  await shot(phone, 'phone-case-major');

  // The office sees nothing while the phone is offline.
  const d = desk.page;
  await d.goto(`${server.url}/office/alerts?orgUnitId=${town.townId}`);
  await loginInUi(d, office.username, office.password);
  await d.getByText('目前没有重大矛盾纠纷').waitFor({ timeout: 20_000 });

  // Back in signal: the phone sends its outbox, and the alert is on the office's screen.
  await context.setOffline(false);
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);
  expect(await outboxSize(page)).toBe(0);
  await d.reload();
  const alert = d.getByRole('listitem', { name: /重大预警/ });
  await alert.waitFor({ timeout: 20_000 });
  await expect.poll(() => alert.getByText('未签收').isVisible()).toBe(true);
  await expect.poll(() => alert.getByText('山林界址争执').isVisible()).toBe(true);
  for (const label of ['标记时间', '手机保存', '到达服务器']) await expect.poll(() => alert.getByText(label).isVisible()).toBe(true);
  await shot(desk, 'office-alerts-open');

  // The 快报, as Chromium prints it on A4.
  await alert.getByRole('link', { name: '打印快报' }).click();
  await d.locator('.flash-title').waitFor();
  await shot(desk, 'office-flash-report');
  const file = path.join(dir, 'flash.pdf');
  writeFileSync(file, await d.pdf({ format: 'A4', preferCSSPageSize: true }));
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const expected of [
    '重大矛盾纠纷快报',
    '山林界址争执',
    '派出所民警到场维持秩序',
    '人数多',
    '有激化、暴力风险',
    '李副镇长',
    '张**',
    '排查',
    '预警',
    '调处',
  ]) {
    expect(text).toContain(expected);
  }
  expect(text).not.toContain('张大山');
  expect(text).not.toContain('打印');
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  expect(pages).toBe(1);
  // On the 快报's own margins (16 mm sides, 18 mm top), not the annual report's (28 mm, 37 mm) of the
  // same stylesheet; the top line's glyphs reach about 3 mm above its box.
  const margins = textMargins(file);
  expect(margins.left).toBeCloseTo(16, 0);
  expect(margins.right).toBeCloseTo(16, 0);
  expect(margins.top).toBeLessThan(20);

  // Signed for: the alert stays listed, 已签收 with who.
  await d.getByRole('link', { name: '返回预警' }).click();
  await d
    .getByRole('listitem', { name: /重大预警/ })
    .getByRole('button', { name: '签收' })
    .click();
  await d.getByRole('status').filter({ hasText: '已签收（综治办小李）' }).waitFor();
  // The list is read again after the 签收: polled, not read at one instant.
  await expect
    .poll(() =>
      d
        .getByRole('listitem', { name: /重大预警/ })
        .getByText('已签收')
        .first()
        .isVisible(),
    )
    .toBe(true);
  await shot(desk, 'office-alerts-acked');
});
