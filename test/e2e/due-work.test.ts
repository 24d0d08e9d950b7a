// Due work and long lists on a mediator's phone at 360×740: 首页 lists the 回访 and 履行期限
// falling due with their dates (first few, then 全部); the case list filters and sorts by due
// date and renders a page at a time (显示更多) when the phone holds a hundred and more cases;
// so does 普法.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { openTab } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginApi, loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { syncStatus } from './support/sync.ts';

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

const DAY = 86_400_000;
/** An instant `days` ago in Beijing time, with its offset. */
const beijing = (days: number) => `${new Date(Date.now() - days * DAY + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
const beijingDate = (days: number) => beijing(days).slice(0, 10);

test('首页 shows what falls due with its date; the case list filters, sorts and pages', async () => {
  const token = await loginApi(server.url, town.mediator.username, town.mediator.password);
  let seq = 0;
  const event = (type: string, subjectId: string, occurredAt: string, data: unknown) => ({
    id: randomUUID(),
    type,
    subjectId,
    orgUnitId: town.gridId,
    occurredAt,
    recordedAt: new Date().toISOString(),
    deviceId: 'desk-import',
    deviceSeq: ++seq,
    data,
  });
  const opened = (subjectId: string, days: number, summary: string) =>
    event('case.opened', subjectId, beijing(days), { disputeType: '02', source: 'application', summary, parties: [{ role: 'applicant', name: '张某' }] });
  // A: closed 10 days ago, deadline 3 days ago: 回访 and 履行期限 both overdue.
  // B: closed yesterday, deadline in 20 days: 回访 due in 6 days; its deadline is not due this week.
  const a = randomUUID();
  const b = randomUUID();
  const events = [
    opened(a, 20, '甲案：欠款'),
    event('case.closed', a, beijing(10), { result: 'success', agreementForm: 'written', terms: '还款', performanceDeadline: beijingDate(3) }),
    opened(b, 5, '乙案：排水沟'),
    event('case.closed', b, beijing(1), { result: 'success', agreementForm: 'written', terms: '疏通', performanceDeadline: beijingDate(-20) }),
    ...Array.from({ length: 118 }, (_, i) => opened(randomUUID(), 40 + (i % 30), `积案${i + 1}`)),
    ...Array.from({ length: 35 }, (_, i) => event('outreach.recorded', randomUUID(), beijing(i + 1), { title: `宣讲${i + 1}`, form: 'lecture', audience: 10 })),
  ];
  const pushed = await fetch(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ deviceId: 'desk-import', events }),
  });
  const results = ((await pushed.json()) as { results: { status: string }[] }).results;
  expect(results.filter((r) => r.status === 'applied')).toHaveLength(events.length);

  const { page } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.mediator.username, town.mediator.password);
  await expect.poll(() => syncStatus(page), { timeout: 30_000 }).toMatch(/^已同步/);
  await openTab(page, '首页');

  await page.getByRole('heading', { name: '到期工作（3）' }).waitFor();
  const due = page.getByRole('list', { name: '到期工作' }).getByRole('listitem');
  expect(await due.allTextContents()).toEqual([
    expect.stringMatching(new RegExp(`^回访 ${beijingDate(3)}已过期 3 天`)),
    expect.stringMatching(new RegExp(`^履行期限 ${beijingDate(3)}已过期 3 天`)),
    expect.stringMatching(new RegExp(`^回访 ${beijingDate(-6)}6 天后到期`)),
  ]);
  await page.getByRole('heading', { name: '超过 30 天未结（118）' }).waitFor();
  await page.getByRole('link', { name: '全部超期案件（118）' }).click();
  await page.getByRole('status').filter({ hasText: '共 118 件，显示前 50 件' }).waitFor();

  await openTab(page, '案件');
  await page.getByRole('status').filter({ hasText: '共 120 件，显示前 50 件' }).waitFor();
  const rows = page.locator('.record-list li');
  expect(await rows.count()).toBe(50);
  await page.getByRole('button', { name: '显示更多（还有 70 件）' }).click();
  // The next page is read from IndexedDB: it comes a moment after the tap.
  await expect.poll(() => rows.count()).toBe(100);

  await page.getByLabel('到期工作').selectOption('followup');
  await page.getByLabel('排序').selectOption('due');
  await page.getByRole('status').filter({ hasText: '共 2 件' }).waitFor();
  expect(await rows.allTextContents()).toEqual([
    expect.stringContaining(`回访 ${beijingDate(3)}（已过期 3 天）`),
    expect.stringContaining(`回访 ${beijingDate(-6)}（6 天后到期）`),
  ]);
  await page.getByLabel('到期工作').selectOption('performance');
  await page.getByRole('status').filter({ hasText: '共 2 件' }).waitFor();
  expect(await rows.allTextContents()).toEqual([
    expect.stringContaining(`履行期限 ${beijingDate(3)}`),
    expect.stringContaining(`履行期限 ${beijingDate(-20)}`),
  ]);

  await openTab(page, '普法');
  await page.getByRole('status').filter({ hasText: '共 35 场，350 人次' }).waitFor();
  expect(await rows.count()).toBe(30);
  // Newest first: the activity of yesterday heads the list.
  expect(await rows.first().textContent()).toContain('宣讲1');
  await page.getByRole('button', { name: '显示更多（还有 5 场）' }).click();
  expect(await rows.count()).toBe(35);
});
