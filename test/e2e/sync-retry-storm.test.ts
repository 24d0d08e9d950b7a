// The server is down but the phone has a network: the connection is refused, a proxy answers
// 502, or a captive portal answers every request with its own page. The phone must not hammer
// it: a handful of tries in 20 s (backoff with jitter), the header says when the next try is,
// and 立即同步 makes exactly one try at once. Counted at the proxy, with the real service worker
// (whose Background Sync wake-up, registered by each failed run, fed the storm).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startFaultProxy, type Fault, type FaultProxy } from './support/fault-proxy.ts';
import { freePort, startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

let server: RunningServer;
let proxy: FaultProxy;
let town: SeededTown;
let phone: Phone;

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  proxy = await startFaultProxy(server.url, await freePort());
  phone = await openPhone();
  await phone.page.goto(proxy.url);
  await waitForServiceWorker(phone.page);
  await loginInUi(phone.page, town.gridWorker.username, town.gridWorker.password);
});
afterAll(async () => {
  await phone?.close();
  await proxy?.close();
  await server?.stop();
});

const WATCH_MS = 20_000;

/** The app's tries among the proxy's requests: Chromium's own resends on reset connections start within milliseconds of the first. */
function tries(requests: FaultProxy['log']): number {
  let count = 0;
  let start = -Infinity;
  for (const r of requests) {
    if (r.startedAt - start > 50) {
      count++;
      start = r.startedAt;
    }
  }
  return count;
}

test('the phone syncs through the proxy while the server is up', async () => {
  await expect.poll(() => syncStatus(phone.page), { timeout: 20_000 }).toMatch(/^已同步/);
});

test.each<[Fault, string]>([
  ['drop-before', 'connection refused'],
  ['bad-gateway', 'a 502 from the proxy'],
  ['captive-portal', "a captive portal's 200 HTML"],
])('%s (%s): a handful of tries in 20 s, the next try shown, 立即同步 tries exactly once', async (fault) => {
  const { page } = phone;
  proxy.hold(fault);
  try {
    await watchTheStorm(page, fault);
  } finally {
    proxy.hold(undefined);
  }
});

async function watchTheStorm(page: Phone['page'], fault: Fault): Promise<void> {
  const before = proxy.log.length;
  const note = `服务器不通时记录 ${fault}`;
  await recordSweepInUi(page, { gridId: town.gridId, households: 8, note });
  await page.waitForTimeout(WATCH_MS);
  const requests = proxy.log.slice(before);
  expect(tries(requests)).toBeGreaterThanOrEqual(1);
  expect(tries(requests)).toBeLessThanOrEqual(5);
  // Chromium itself resends a request once per pooled connection that is reset: a few extra within milliseconds.
  expect(requests.length).toBeLessThanOrEqual(15);

  // The header tells the worker when it will try again.
  expect(await syncStatus(page)).toMatch(/1 条待上传 · (约 \d+ 秒后重试|下次尝试 \d\d:\d\d)$/);
  // However long, the state wraps inside its own button: 立即同步 stays beside it, not pushed under
  // it, so the sticky header does not grow over the form.
  const state = (await page.locator('section[aria-label="同步状态"] button:has([role="status"])').boundingBox())!;
  const syncNow = (await page.getByRole('button', { name: '立即同步' }).boundingBox())!;
  expect(syncNow.x).toBeGreaterThanOrEqual(state.x + state.width);
  expect(Math.abs(syncNow.y + syncNow.height / 2 - (state.y + state.height / 2))).toBeLessThan(4);

  // One tap, one try: not a reset into a storm.
  const beforeTap = proxy.log.length;
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect.poll(() => proxy.log.length - beforeTap, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  await page.waitForTimeout(3_000);
  expect(tries(proxy.log.slice(beforeTap))).toBe(1);
  expect(await outboxSize(page)).toBe(1);

  // The server is back: the record goes out at the next tap.
  proxy.hold(undefined);
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
  expect((await serverSweeps(server.url, town.adminToken)).map((s) => s.note)).toContain(note);
  await expect.poll(() => syncStatus(page), { timeout: 10_000 }).toMatch(/^已同步/);
}
