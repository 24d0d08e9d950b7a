// The 协议书 on paper and on the screen, at 360×740: a short agreement prints on one sheet, a
// long one on several with 第 x 页 共 y 页 and the parties' names on every sheet, the signature
// block never on a sheet without the performance terms; an offline print leaves the number
// blank; a voided case's prints say 已作废; a signature drawn on the phone is saved with the
// case, uploaded like a photo, and printed on its line. The 调解记录 prints each session on a
// sheet of its own, with its head, what was said and the lines its people sign.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { addSession, closeWithWrittenAgreement, registerCase } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, serverEventList, syncStatus } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;
let phone: Phone;
const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-print-'));

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  phone = await openPhone();
});
afterAll(async () => {
  await phone?.close();
  await server?.stop();
});

/** The print view as Chromium prints it: the text of each A4 sheet. */
async function printedPages(page: Page, name: string): Promise<string[]> {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const count = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  return Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''),
  );
}

async function openCase(page: Page, caseId: string, link: string): Promise<void> {
  await page.goto(`${server.url}/cases/${caseId}`);
  await page.getByRole('link', { name: link }).click();
  await page.locator('.print-page h1').first().waitFor();
}

test('short and long agreements print whole; offline the number is blank; void marks both prints', async () => {
  const { page, context } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.mediator.username, town.mediator.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);
  await context.setOffline(true);

  const short = await registerCase(page, {
    disputeType: '02',
    source: 'application',
    orgUnitId: town.gridId,
    summary: '排水沟堵塞',
    parties: [{ name: '张大山' }, { name: '李小河' }],
    mediators: '赵调解',
  });
  await closeWithWrittenAgreement(page, { terms: '李小河三日内疏通排水沟' });
  await openCase(page, short, '打印调解协议书');
  expect(await page.locator('.print-page').textContent()).not.toContain('待编号');
  const one = await printedPages(page, 'short');
  expect(one).toHaveLength(1);
  expect(one[0]).toContain('第1页共1页');
  expect(one[0]).toMatch(/编号：＿+/);
  for (const text of ['张大山', '李小河三日内疏通排水沟', '人民调解员（签名）', '（印章）']) expect(one[0]).toContain(text);

  const terms = Array.from({ length: 45 }, (_, i) => `第${i + 1}条　双方同意按照重新丈量的界桩划分宅基地边界，越界部分于约定期限内拆除并恢复原状。`).join('\n');
  const long = await registerCase(page, {
    disputeType: '03',
    source: 'application',
    orgUnitId: town.gridId,
    summary: '宅基地边界',
    parties: [{ name: '王长林' }, { name: '周秀英' }],
    mediators: '赵调解',
  });
  await closeWithWrittenAgreement(page, { terms, deadline: '2030-01-31' });
  await openCase(page, long, '打印调解协议书');
  const sheets = await printedPages(page, 'long');
  expect(sheets.length).toBeGreaterThanOrEqual(2);
  sheets.forEach((text, i) => {
    expect(text).toContain(`第${i + 1}页共${sheets.length}页`);
    expect(text).toContain('王长林、周秀英');
  });
  const signSheet = sheets.find((t) => t.includes('人民调解员（签名）'))!;
  // The signatures share their sheet with the performance terms and the clause they sign.
  for (const text of ['第45条', '履行地点', '本协议自各方当事人签名', '当事人（签名/按指印）']) expect(signSheet).toContain(text);
  expect(sheets.filter((t) => t.includes('当事人（签名/按指印）'))).toHaveLength(1);

  await page.goto(`${server.url}/cases/${long}`);
  await page.getByRole('group', { name: '案件操作' }).getByRole('button', { name: '作废' }).click();
  await page.getByLabel('作废原因').fill('重复登记');
  await page.getByRole('button', { name: '确认作废' }).click();
  await page.getByText('已作废').first().waitFor();
  await openCase(page, long, '打印受理登记表');
  for (const sheet of await printedPages(page, 'void-register')) expect(sheet).toContain('已作废');
  await openCase(page, long, '打印调解协议书');
  for (const sheet of await printedPages(page, 'void-agreement')) expect(sheet).toContain('已作废');
  await context.setOffline(false);
});

async function drawSignature(page: Page, label: string): Promise<void> {
  const pad = page.getByLabel(`${label}签名区`);
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 20 + i * 12, box.y + box.height * (0.7 - 0.4 * Math.sin(i / 3)));
  await page.mouse.up();
}

test('a party and the mediator sign on the screen; the signatures sync and print in place', async () => {
  const { page } = phone;
  const caseId = await registerCase(page, {
    disputeType: '02',
    source: 'application',
    orgUnitId: town.gridId,
    summary: '借款纠纷',
    parties: [{ name: '陈一' }, { name: '吴二' }],
    mediators: '赵调解',
  });
  await closeWithWrittenAgreement(page, { terms: '吴二于月底前归还借款五千元' });
  await openCase(page, caseId, '打印调解协议书');
  expect(await page.getByRole('img', { name: '陈一的签名' }).count()).toBe(0);

  await page.getByRole('button', { name: '在手机上签名' }).click();
  await page.getByRole('button', { name: '陈一 签名' }).click();
  expect(await page.getByRole('button', { name: '保存签名' }).isDisabled()).toBe(true);
  await drawSignature(page, '当事人 陈一');
  await page.getByRole('button', { name: '保存签名' }).click();
  await page.getByRole('status').filter({ hasText: '当事人 陈一的签名已保存' }).waitFor();
  await page.getByRole('button', { name: '赵调解 签名' }).click();
  await drawSignature(page, '调解员 赵调解');
  await page.getByRole('button', { name: '撤销一笔' }).click();
  expect(await page.getByRole('button', { name: '保存签名' }).isDisabled()).toBe(true);
  await drawSignature(page, '调解员 赵调解');
  await page.getByRole('button', { name: '保存签名' }).click();
  await page.getByRole('status').filter({ hasText: '调解员 赵调解的签名已保存' }).waitFor();

  for (const who of ['陈一', '赵调解']) {
    const img = page.locator('.signatures').getByRole('img', { name: `${who}的签名` });
    await img.waitFor();
    // Decoded a moment after the element is in place: 0 until then, on a loaded machine longer.
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth), { timeout: 10_000 }).toBe(600);
  }
  const sheets = await printedPages(page, 'signed');
  expect(sheets).toHaveLength(1);
  expect(sheets[0]).not.toContain('在手机上签名');

  await expect.poll(() => outboxSize(page), { timeout: 30_000 }).toBe(0);
  const events = (await serverEventList(server.url, town.adminToken)) as unknown as {
    type: string;
    subjectId: string;
    data: { signatures?: { name: string; image: { sha256: string } }[] };
  }[];
  const signed = events.filter((e) => e.type === 'case.signed' && e.subjectId === caseId);
  // The admin reads parties' names masked, the signature image in full.
  expect(signed.map((e) => e.data.signatures?.[0]?.name)).toEqual(['陈*', '赵调解']);
  for (const e of signed) {
    const held = await fetch(`${server.url}/api/attachments/${e.data.signatures![0]!.image.sha256}`, {
      headers: { Authorization: `Bearer ${town.adminToken}` },
    });
    expect(held.status).toBe(200);
    expect(held.headers.get('content-type')).toBe('image/png');
    expect((await held.arrayBuffer()).byteLength).toBeLessThan(30 * 1024);
  }
  await page.reload();
  await page.locator('.signatures').getByRole('img', { name: '陈一的签名' }).waitFor();

  // Another device of the committee (a desk PC) prints the agreement with the signatures it
  // never held: the images come from the server.
  const desk = await openPhone();
  try {
    await desk.page.goto(server.url);
    await loginInUi(desk.page, town.mediator.username, town.mediator.password);
    await expect.poll(() => syncStatus(desk.page), { timeout: 20_000 }).toMatch(/^已同步/);
    await desk.page.goto(`${server.url}/cases/${caseId}/print/agreement`);
    const img = desk.page.locator('.signatures').getByRole('img', { name: '赵调解的签名' });
    await img.waitFor();
    // Decoded a moment after the element is in place: 0 until then, on a loaded machine longer.
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth), { timeout: 10_000 }).toBe(600);
  } finally {
    await desk.close();
  }
});

test('调解记录: each session on a sheet of its own, with its time, place, people, content and signing lines', async () => {
  const { page } = phone;
  await page.goto(server.url);
  await page.getByRole('button', { name: '立即同步' }).waitFor();
  const caseId = await registerCase(page, {
    disputeType: '02',
    source: 'application',
    orgUnitId: town.gridId,
    summary: '邻里排水纠纷',
    parties: [{ name: '孙大海' }, { name: '钱小溪' }],
    mediators: '赵调解',
  });
  await page.getByRole('group', { name: '案件操作' }).getByRole('button', { name: '添加调解记录' }).click();
  await page.getByLabel('调解地点').fill('石坝村委会');
  await page.getByLabel('参加人员').fill('村民代表吴某');
  await page.getByLabel('调解情况').fill('告知双方权利义务，双方各自陈述排水沟堵塞经过。');
  await page.getByLabel('调解结果或下一步').fill('约定三日后现场查看');
  await page.getByRole('button', { name: '保存调解记录' }).click();
  await page.getByRole('status').filter({ hasText: '调解记录已保存' }).waitFor();
  await addSession(page, '现场查看后双方同意共同出资疏通排水沟。');

  await openCase(page, caseId, '打印调解记录');
  const sheets = await printedPages(page, 'record');
  expect(sheets).toHaveLength(2);
  sheets.forEach((text, i) => {
    expect(text).toContain(`第${i + 1}页共2页`);
    expect(text).toContain(`第${i + 1}次调解`);
    for (const line of ['人民调解记录', '孙大海（申请人）', '当事人（签名/按指印）', '人民调解员（签名）', '记录人（签名）', '（印章）'])
      expect(text).toContain(line);
  });
  for (const text of ['石坝村委会', '村民代表吴某', '告知双方权利义务', '约定三日后现场查看']) expect(sheets[0]).toContain(text);
  expect(sheets[1]).toContain('现场查看后双方同意共同出资疏通排水沟。');
  expect(sheets[1]).not.toContain('告知双方权利义务');
});
