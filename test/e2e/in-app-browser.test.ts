// The link opened from a WeChat group: the app says how to open it in the phone's browser,
// offers the address to copy, and nothing can be logged into or recorded there.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

const WECHAT =
  'Mozilla/5.0 (Linux; Android 12; M2012K11AC Build/SKQ1.211006.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MMWEBID/2585 MicroMessenger/8.0.33.2320(0x2800213B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

let server: RunningServer;
let phone: Phone;

beforeAll(async () => {
  server = await startServer();
  phone = await openPhone({ userAgent: WECHAT });
});
afterAll(async () => {
  await phone?.close();
  await server?.stop();
});

test("in WeChat's browser: the guidance to open the phone's browser, the address to copy, no login and no capture", async () => {
  const { page, context } = phone;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  for (const path of ['/', '/sweep', '/cases/new']) {
    await page.goto(`${server.url}${path}`);
    await page.getByRole('heading', { name: '请用手机浏览器打开' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('现在是在微信里打开的');
    expect(await page.getByLabel('用户名').count()).toBe(0);
    expect(await page.getByLabel('走访户数').count()).toBe(0);
    expect(await page.getByRole('button', { name: /保存/ }).count()).toBe(0);
    expect(await page.getByLabel('本页地址').inputValue()).toBe(`${server.url}${path}`);
  }
  await page.getByRole('button', { name: '复制链接' }).click();
  await page.getByText('已复制').waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/cases/new`);
});
