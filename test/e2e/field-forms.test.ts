// The phone's forms in the worker's hands at 360×740, through the built app: a failed save
// scrolls to and focuses the first invalid field and lists it at the top; a date after today is
// refused at the field, an odd one asked about; 零报告 takes two taps from 首页, with a warning on
// the second; 更正 changes the 受理日期 and the grid with old → new in the timeline; the 调解记录
// form fits the screen; a grid worker's own cases show the parties' names and a phone number finds them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPhone, PHONE, type Phone } from './support/browser.ts';
import { fillCaseForm, openTab, registerCase } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, serverEventList } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
});
afterAll(async () => {
  await server?.stop();
});

/** Whether an element is entirely on the screen (no scrolling needed to see it). */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return r !== undefined && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
  }, selector);
}

async function focusedField(page: Page): Promise<{ label: string; invalid: string | null; message: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const label = el?.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '') : '';
    const describedBy = el?.getAttribute('aria-describedby');
    const r = el?.getBoundingClientRect();
    return {
      label: label.replace(/\s*\*$/, ''),
      invalid: el?.getAttribute('aria-invalid') ?? null,
      message: describedBy ? (document.getElementById(describedBy)?.textContent ?? '') : '',
      visible: r !== undefined && r.top >= 0 && r.bottom <= window.innerHeight,
    };
  });
}

describe('a mediator’s phone', () => {
  let phone: Phone;
  beforeAll(async () => {
    phone = await openPhone();
    await phone.page.goto(server.url);
    await loginInUi(phone.page, town.mediator.username, town.mediator.password);
    await phone.page.waitForFunction(
      () => /^已同步/.test(document.querySelector('section[aria-label="同步状态"] [role="status"]')?.textContent ?? ''),
      undefined,
      { timeout: 20_000 },
    );
  });
  afterAll(async () => {
    await phone?.close();
  });

  test('a failed save scrolls to and focuses the first invalid field, marks it and lists it at the top', async () => {
    const { page } = phone;
    await openTab(page, '案件');
    await page.getByRole('link', { name: '登记案件' }).first().click();
    // Everything but the first party's name, far down the form.
    await fillCaseForm(page, {
      disputeType: '03',
      source: 'application',
      orgUnitId: town.gridId,
      summary: '宅基地边界争执',
      parties: [{ name: ' ' }, { name: '李小河' }],
    });
    await page.getByRole('button', { name: '保存登记' }).click();
    await expect.poll(() => focusedField(page)).toEqual({ label: '当事人1 姓名', invalid: 'true', message: '请填写当事人姓名', visible: true });
    const summary = page.getByRole('group', { name: '需要修改的内容' });
    expect(await summary.getByRole('link', { name: '当事人1 姓名：请填写当事人姓名' }).count()).toBe(1);
    // The list's link takes the worker back to the field after scrolling away.
    await page.evaluate(() => window.scrollTo(0, 0));
    await summary.getByRole('link').first().click();
    await expect.poll(() => focusedField(page).then((f) => f.label)).toBe('当事人1 姓名');
    expect(await outboxSize(page)).toBe(0);

    // 结案 with a written agreement: a wrong ID number is marked at its field (it is saved as a correction).
    await page.getByLabel('当事人1 姓名').fill('张大山');
    await page.getByRole('button', { name: '保存登记' }).click();
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await page.getByRole('group', { name: '案件操作' }).getByRole('button', { name: '结案' }).click();
    await page.getByLabel('调解结果').selectOption('success');
    await page.getByLabel('协议形式').selectOption('written');
    await page.getByLabel('协议内容').fill('以界桩为准');
    await page.getByLabel('当事人1 身份证号').fill('1234');
    await page.getByRole('button', { name: '保存结案' }).click();
    await expect.poll(() => focusedField(page)).toEqual({ label: '当事人1 身份证号', invalid: 'true', message: '身份证号格式不对', visible: true });
    expect(await page.getByRole('group', { name: '需要修改的内容' }).textContent()).toContain('当事人1 身份证号：身份证号格式不对');
  });

  test('a date after today is refused at the field, a session before the acceptance is asked about', async () => {
    const { page } = phone;
    await openTab(page, '案件');
    await page.getByRole('link', { name: '登记案件' }).first().click();
    await fillCaseForm(page, {
      disputeType: '02',
      source: 'application',
      orgUnitId: town.gridId,
      summary: '排水沟纠纷',
      parties: [{ name: '陈某' }, { name: '林某' }],
    });
    await page.getByLabel('受理日期').fill('2099-03-01');
    await page.getByRole('button', { name: '保存登记' }).click();
    await expect.poll(() => focusedField(page)).toMatchObject({ label: '受理日期', invalid: 'true', message: expect.stringContaining('受理日期晚于今天') });
    await page.getByLabel('纠纷发生日期').fill('2024-05-03');
    await page.getByLabel('受理日期').fill('2024-05-02');
    await page.getByRole('button', { name: '保存登记' }).click();
    await expect.poll(() => focusedField(page)).toMatchObject({ label: '纠纷发生日期', invalid: 'true', message: '纠纷发生日期不能晚于受理日期' });
    // Nothing saved: still on the form, not on a new case.
    expect(new URL(page.url()).pathname).toBe('/cases/new');
    await page.getByLabel('纠纷发生日期').fill('2024-04-28');
    await page.getByRole('button', { name: '保存登记' }).click();

    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    expect(await page.locator('.facts').textContent()).toContain('受理日期2024-05-02纠纷发生日期2024-04-28');

    // A session dated before the acceptance: asked, saved only after 仍然保存.
    await page.getByRole('group', { name: '案件操作' }).getByRole('button', { name: '添加调解记录' }).click();
    // The 调解记录 form fits 360 px: nothing to scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.getByLabel('调解日期').fill('2024-05-01');
    await page.getByLabel('调解情况').fill('现场调解，次日补登');
    await page.getByRole('button', { name: '保存调解记录' }).click();
    const ask = page.getByRole('alertdialog', { name: '请确认' });
    await ask.waitFor();
    expect(await ask.textContent()).toContain('调解日期早于受理日期（2024-05-02）');
    await ask.getByRole('button', { name: '仍然保存' }).click();
    await page.getByRole('status').filter({ hasText: '调解记录已保存' }).waitFor();
  });

  test('更正 changes the 受理日期 and the grid, with old → new in the timeline and on the server', async () => {
    const { page } = phone;
    const caseId = await registerCase(page, {
      disputeType: '03',
      source: 'application',
      orgUnitId: town.gridId,
      summary: '登记错了网格',
      parties: [{ name: '周某' }, { name: '吴某' }],
    });
    const today = (await page.locator('.facts dd').nth(3).textContent()) ?? '';
    await page.getByRole('group', { name: '案件操作' }).getByRole('button', { name: '更正' }).click();
    await page.getByLabel('村（社区）/网格').selectOption(town.otherGridId);
    await page.getByLabel('受理日期').fill('2024-06-03');
    await page.getByLabel('更正说明').fill('受理日期和网格登记错误');
    await page.getByRole('button', { name: '保存更正' }).click();
    await page.getByRole('status').filter({ hasText: '更正已保存' }).waitFor();
    const facts = (await page.locator('.facts').textContent()) ?? '';
    expect(facts).toContain('第二网格');
    expect(facts).toContain('受理日期2024-06-03');
    const timeline = (await page.locator('.timeline').textContent()) ?? '';
    expect(timeline).toContain(`受理日期：${today} → 2024-06-03`);
    expect(timeline).toMatch(/村（社区）\/网格：[^→]*第一网格 → [^→]*第二网格/);
    expect(timeline).toContain('更正说明：受理日期和网格登记错误');
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
    const events = await serverEventList(server.url, town.adminToken);
    const update = events.find((e) => e.subjectId === caseId && e.type === 'case.updated') as { data?: { changes?: Record<string, unknown> } } | undefined;
    expect(update?.data?.changes).toMatchObject({ orgUnitId: town.otherGridId, acceptedOn: '2024-06-03' });
  });
});

describe('a grid worker’s phone', () => {
  let phone: Phone;
  beforeAll(async () => {
    phone = await openPhone();
    await phone.page.goto(server.url);
    await loginInUi(phone.page, town.gridWorker.username, town.gridWorker.password);
    await phone.page.waitForFunction(
      () => /^已同步/.test(document.querySelector('section[aria-label="同步状态"] [role="status"]')?.textContent ?? ''),
      undefined,
      { timeout: 20_000 },
    );
  });
  afterAll(async () => {
    await phone?.close();
  });

  test('零报告 in two taps from 首页, the confirmation on screen; a second one for the grid and day asks first', async () => {
    const { page } = phone;
    await openTab(page, '首页');
    await page.getByRole('button', { name: '零报告', exact: true }).click();
    await page.getByRole('button', { name: '确认零报告' }).click();
    const done = page.getByRole('status').filter({ hasText: '零报告已保存' });
    await done.waitFor();
    expect(await done.textContent()).toContain('第一网格');
    expect(await onScreen(page, '.zero-quick .saved')).toBe(true);
    expect(await outboxSize(page)).toBe(1);

    await page.getByRole('button', { name: '零报告', exact: true }).click();
    const warning = page.getByRole('group', { name: '零报告确认' }).getByRole('alert');
    expect(await warning.textContent()).toContain('已为该网格报过零报告');
    expect(await page.getByRole('button', { name: '确认零报告' }).count()).toBe(0);
    expect(await onScreen(page, '.zero-quick button.primary')).toBe(true);
    await page.getByRole('button', { name: '取消' }).click();
    expect(await outboxSize(page)).toBe(1);
  });

  test('the worker’s own cases show the parties by name, and a phone number finds the case', async () => {
    const { page } = phone;
    await registerCase(page, {
      disputeType: '02',
      source: 'application',
      orgUnitId: town.gridId,
      summary: '刘家兄弟分家',
      parties: [{ name: '刘大山', phone: '13800001111' }, { name: '刘小山' }],
    });
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
    await page.reload();
    await openTab(page, '案件');
    await page.getByLabel('搜索当事人、电话或纠纷情况').fill('138 0000 1111');
    const list = page.locator('.record-list');
    await expect.poll(() => list.textContent()).toContain('刘大山、刘小山');
    expect(await page.getByRole('status').filter({ hasText: '共 1 件' }).count()).toBe(1);
  });
});
