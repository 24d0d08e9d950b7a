// 留痕 on a grid worker's phone at 360×740: the location is taken only when the worker taps
// 记录位置 and is stored with the sweep, the outreach record and its photos; photos are added
// through 拍照 / 从相册选择 and open full screen; a sweep registers the case it found, and
// each shows the other.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { makePhoto, openTab } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, serverEventList, syncStatus } from './support/sync.ts';

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

interface Seen {
  type: string;
  subjectId: string;
  data: { location?: { lat: number; lng: number; accuracy: number; at: string }; photos?: { takenAt?: string; location?: unknown }[]; sweepId?: string };
}

test('location on tap, photos full screen, and a sweep linked to the case it produced', async () => {
  const { page, context } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.gridWorker.username, town.gridWorker.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);

  // Without permission the tap says why, and the record can still be saved without a place.
  await openTab(page, '排查');
  await page.getByRole('button', { name: '记录位置' }).click();
  await page.getByRole('alert').filter({ hasText: '未允许定位' }).waitFor();

  await context.grantPermissions(['geolocation'], { origin: server.url });
  await context.setGeolocation({ latitude: 27.712345, longitude: 108.851234, accuracy: 20 });
  await page.getByLabel('走访户数').fill('20');
  await page.getByLabel('发现纠纷数').fill('1');
  await page.getByLabel('备注').fill('三组张家与李家排水沟纠纷');
  await page.getByRole('button', { name: '记录位置' }).click();
  await page.getByText('已记录：27.712345, 108.851234（±20 米）').waitFor();
  await page.getByRole('button', { name: '保存排查' }).click();
  await page.getByText('排查已保存').waitFor();

  await page.getByRole('link', { name: '由此排查登记案件' }).first().click();
  await page.getByText('由排查登记').waitFor();
  expect(await page.getByLabel('村（社区）/网格').inputValue()).toBe(town.gridId);
  await page.getByLabel('纠纷类型').selectOption('02');
  await page.getByLabel('案件来源').selectOption('application');
  await page.getByLabel('纠纷简要情况').fill('张家与李家因排水沟堵塞发生争执');
  await page.getByLabel('当事人1 姓名').fill('张三');
  await page.getByLabel('当事人2 姓名').fill('李四');
  await page.getByRole('button', { name: '保存登记' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  await page.getByRole('link', { name: /排查（走访 20 户）/ }).waitFor();
  await openTab(page, '排查');
  await page.getByRole('link', { name: /由此登记：.*张家与李家/ }).click();
  expect(page.url()).toContain(caseId);

  await openTab(page, '普法');
  await page.getByRole('link', { name: '登记普法活动' }).click();
  await page.getByLabel('活动名称').fill('反诈宣传进院坝');
  await page.getByLabel('村（社区）/网格').selectOption(town.gridId);
  await page.getByLabel('宣传形式').selectOption('courtyard');
  await page.getByLabel('受众人次').fill('40');
  expect(await page.getByLabel('拍照').getAttribute('capture')).toBe('environment');
  await page.getByRole('button', { name: '记录位置' }).click();
  await page.getByText(/已记录：27\.712345/).waitFor();
  const photos = [await makePhoto(page, 800, 600), await makePhoto(page, 600, 800)];
  await page.getByLabel('从相册选择').setInputFiles(photos.map((buffer, i) => ({ name: `p${i}.png`, mimeType: 'image/png', buffer })));
  await page.getByRole('list', { name: '已选照片' }).getByRole('img').nth(1).waitFor();
  // Nothing sticks out sideways at 360 px (the hidden file inputs included).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.getByRole('button', { name: '查看照片 1' }).click();
  const viewer = page.getByRole('dialog', { name: '照片 1 / 2' });
  await viewer.getByRole('img', { name: '照片 1' }).waitFor();
  await viewer.getByRole('button', { name: '下一张' }).click();
  await page.getByRole('dialog', { name: '照片 2 / 2' }).waitFor();
  await page.keyboard.press('ArrowRight');
  await page.getByRole('dialog', { name: '照片 1 / 2' }).waitFor();
  await page.getByRole('button', { name: '关闭' }).click();
  expect(await page.getByRole('dialog').count()).toBe(0);
  await page.getByRole('button', { name: '保存普法活动' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();

  await page.getByRole('link', { name: /反诈宣传进院坝/ }).click();
  await page.getByText(/27\.712345, 108\.851234/).waitFor();
  await page.getByRole('button', { name: '查看现场照片 2' }).click();
  await page
    .getByRole('dialog', { name: '照片 2 / 2' })
    .getByText(/拍摄于 .*位置 27\.712345/)
    .waitFor();
  await page.getByRole('button', { name: '关闭' }).click();

  await expect.poll(() => outboxSize(page), { timeout: 30_000 }).toBe(0);
  const events = (await serverEventList(server.url, town.adminToken)) as unknown as Seen[];
  const sweep = events.find((e) => e.type === 'sweep.recorded')!;
  expect(sweep.data.location).toMatchObject({ lat: 27.712345, lng: 108.851234, accuracy: 20 });
  expect(events.find((e) => e.type === 'case.opened' && e.subjectId === caseId)?.data.sweepId).toBe(sweep.subjectId);
  const outreach = events.find((e) => e.type === 'outreach.recorded')!;
  expect(outreach.data.location).toMatchObject({ lat: 27.712345 });
  expect(outreach.data.photos).toHaveLength(2);
  for (const p of outreach.data.photos!) {
    expect(p.takenAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(p.location).toMatchObject({ lng: 108.851234 });
  }
});
