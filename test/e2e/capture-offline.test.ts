// The capture screens offline, for real: the service worker controls the page, the network is
// cut, the page reloads; a mediator registers a case, records a session, closes it with a
// written agreement and logs an outreach event with a photo. Another reload offline shows it
// all with the outbox counting it; back online it goes out. Then a new version of the app
// arrives while a draft is open: tapping "有新版本，点击更新" loses nothing.
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import {
  addSession,
  closeWithWrittenAgreement,
  fillCaseForm,
  homePendingCount,
  makePhoto,
  openTab,
  recordOutreach,
  registerCase,
  storedPhotoSizes,
} from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, syncStatus } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;
let phone: Phone;
let distCopy: string;

beforeAll(async () => {
  // A copy of the build, so that the test can publish a "new version" of it.
  distCopy = mkdtempSync(path.join(tmpdir(), 'taizhang-dist-'));
  cpSync('dist', distCopy, { recursive: true });
  server = await startServer({ DIST_DIR: distCopy });
  town = await seedTown(server.url);
  phone = await openPhone();
});
afterAll(async () => {
  await phone?.close();
  await server?.stop();
  rmSync(distCopy, { recursive: true, force: true });
});

test('a case from registration to written agreement, and an outreach event with a photo, all offline', async () => {
  const { page, context } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.mediator.username, town.mediator.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);

  await context.setOffline(true);
  await page.reload();
  await expect.poll(() => syncStatus(page), { timeout: 10_000 }).toMatch(/^离线/);

  // Invalid input: a Chinese message next to the field, nothing saved.
  await openTab(page, '案件');
  await page.getByRole('link', { name: '登记案件' }).first().click();
  await fillCaseForm(page, { disputeType: '02', source: 'application', orgUnitId: town.gridId, summary: '   ', parties: [{ name: '张大山' }] });
  await page.getByRole('button', { name: '保存登记' }).click();
  await expect.poll(() => page.getByText('请填写纠纷简要情况', { exact: true }).isVisible()).toBe(true);
  expect(await outboxSize(page)).toBe(0);

  const caseId = await registerCase(page, {
    disputeType: '03',
    source: 'application',
    orgUnitId: town.gridId,
    summary: '张大山与李小河因宅基地边界发生争执',
    parties: [{ name: '张大山', phone: '13800000001' }, { name: '李小河' }],
    mediators: '赵调解',
  });
  await expect.poll(() => page.getByText('待编号').isVisible()).toBe(true);
  await addSession(page, '双方到村委会陈述意见，约定重新丈量');
  await closeWithWrittenAgreement(page, { terms: '以重新丈量的界桩为准，李小河三日内拆除越界围墙', deadline: '2030-01-31', idNumbers: ['500235199001011234'] });
  await expect.poll(() => page.getByText('调解成功').first().isVisible()).toBe(true);

  const photo = await makePhoto(page);
  expect(photo.length).toBeGreaterThan(300 * 1024);
  await recordOutreach(page, {
    title: '民法典进院坝',
    form: 'courtyard',
    audience: 65,
    orgUnitId: town.villageId,
    themes: ['民法典', '反诈'],
    photos: [{ name: 'site.png', mimeType: 'image/png', buffer: photo }],
  });
  const sizes = await storedPhotoSizes(page);
  expect(sizes).toHaveLength(1);
  expect(sizes[0]).toBeLessThanOrEqual(300 * 1024);

  // Reload, still offline: everything is there and the outbox counts it.
  // opened + session + correction (ID number for the agreement) + closed + outreach
  await page.reload();
  expect(await outboxSize(page)).toBe(5);
  // 首页 and the header count records, not events: the case and the outreach event.
  expect(await homePendingCount(page)).toBe(2);
  await expect.poll(() => syncStatus(page)).toBe('离线 · 2 条待上传');

  await openTab(page, '案件');
  await page.getByRole('link', { name: /房屋宅基地纠纷/ }).click();
  expect(page.url()).toContain(caseId);
  await page.getByRole('heading', { name: '办理经过' }).waitFor();
  for (const step of ['登记受理', '调解记录', '结案']) expect(await page.getByRole('listitem').filter({ hasText: step }).count()).toBeGreaterThan(0);

  await page.getByRole('link', { name: '打印调解协议书' }).click();
  await page.getByRole('heading', { name: '人民调解协议书' }).waitFor();
  const agreement = (await page.locator('.print-page').textContent()) ?? '';
  for (const text of ['张大山', '500235199001011234', '以重新丈量的界桩为准', '2030年1月31日', '当事人（签名/按指印）', '人民调解员（签名）', '（印章）']) {
    expect(agreement).toContain(text);
  }

  await openTab(page, '普法');
  await page.getByText('民法典进院坝').waitFor();
  // The thumbnail comes from the photo kept in IndexedDB, not from the network.
  await page.getByRole('img', { name: /民法典进院坝/ }).waitFor();

  // Back online, the records go out and the server's case number comes back.
  await context.setOffline(false);
  await expect.poll(() => outboxSize(page), { timeout: 30_000 }).toBe(0);
  await page.goto(`${server.url}/cases/${caseId}`);
  await expect.poll(() => page.locator('.case-number').textContent(), { timeout: 20_000 }).toMatch(/人调字第/);
});

test('a new version while a draft is open: the update tap saves the draft, and it is back after the reload', async () => {
  const { page } = phone;
  await openTab(page, '案件');
  await page.getByRole('link', { name: '登记案件' }).first().click();
  await fillCaseForm(page, { summary: '更新前写了一半的纠纷情况', parties: [{ name: '王半句' }] });

  // Publish a new version: the service worker script changes; the server restarts on it.
  appendFileSync(path.join(distCopy, 'sw.js'), '\n// v2\n');
  await server.kill();
  await server.restart();
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
  const banner = page.getByRole('button', { name: '有新版本，点击更新' });
  await banner.waitFor({ timeout: 30_000 });
  // Tap at once, before the draft's debounce could have saved the last keystrokes.
  await page.getByLabel('当事人2 姓名').fill('刚输入的名字');
  await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), banner.click()]);

  await page.getByLabel('纠纷简要情况').waitFor();
  expect(await page.getByLabel('纠纷简要情况').inputValue()).toBe('更新前写了一半的纠纷情况');
  expect(await page.getByLabel('当事人1 姓名').inputValue()).toBe('王半句');
  expect(await page.getByLabel('当事人2 姓名').inputValue()).toBe('刚输入的名字');
  await expect.poll(() => page.getByText('已恢复上次未保存的内容').isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: '有新版本，点击更新' }).count()).toBe(0);
});
