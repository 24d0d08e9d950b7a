// The header tells the truth. Offline, a case with two sessions and a sweep are 2 records
// (not 4 events) waiting; each record shows its own state; after the session ran out offline
// and the worker logs in again with the network back, the header never says 离线 while the
// records upload; the account button shows who and which grid, and opens the sync log.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { addSession, registerCase } from './support/pages.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { openAppOnline, outboxSize, recordSweepInUi, syncStatus } from './support/sync.ts';

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

test('records counted, each with its state; after a re-login the header never says 离线 while uploading; account and sync log', async () => {
  const { page, context } = phone;
  const user = town.gridWorker;
  await openAppOnline(page, server.url, user);

  await context.setOffline(true);
  const caseId = await registerCase(page, {
    disputeType: '03',
    source: 'application',
    orgUnitId: town.gridId,
    summary: '邻里因排水沟发生争执',
    parties: [{ name: '孙大河' }, { name: '周小溪' }],
  });
  await addSession(page, '第一次调解，双方各自陈述');
  await addSession(page, '第二次调解，约定共同清理');
  await recordSweepInUi(page, { gridId: town.gridId, households: 4, note: '离线排查' });
  expect(await outboxSize(page)).toBe(4);
  await expect.poll(() => syncStatus(page)).toBe('离线 · 2 条待上传');
  await page.goto(`${server.url}/cases/${caseId}`);
  await expect.poll(() => page.locator('.record-state').first().textContent()).toBe('待上传');

  // The cached session runs out while the phone is offline (30 days without the server); the
  // app reopens on the login screen, the network comes back there, and the worker logs in again.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          const store = tx.objectStore('meta');
          const get = store.get('session');
          get.onsuccess = () => {
            const rec = get.result as { key: string; value: { verifiedAt: number } };
            rec.value.verifiedAt -= 31 * 24 * 60 * 60_000;
            store.put(rec);
          };
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await page.getByLabel('用户名').waitFor();
  await context.setOffline(false);
  const seen: string[] = [];
  const watching = setInterval(() => {
    void syncStatus(page)
      .then((s) => s && seen.push(s))
      .catch(() => undefined);
  }, 50);
  try {
    await loginInUi(page, user.username, user.password);
    await expect.poll(() => outboxSize(page), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => syncStatus(page), { timeout: 10_000 }).toMatch(/^已同步/);
  } finally {
    clearInterval(watching);
  }
  expect(seen.filter((s) => s.startsWith('离线'))).toEqual([]);

  // The record shows it was uploaded, and when.
  await page.goto(`${server.url}/cases/${caseId}`);
  await expect.poll(() => page.locator('.record-state').first().textContent(), { timeout: 10_000 }).toMatch(/^已上传 \d{4}-\d\d-\d\d \d\d:\d\d$/);

  // The account button: who, which grid, and the way to the sync log.
  await page.getByRole('button', { name: /^账户：/ }).click();
  const account = page.getByRole('dialog', { name: '账户' });
  // The panel is a lazy part: its content follows the dialog by a moment.
  await expect.poll(() => account.textContent()).toContain(user.username);
  expect(await account.textContent()).toContain('网格 / 单位：石坝村 / 第一网格');
  await expect.poll(() => account.getByRole('button', { name: '立即锁定' }).isVisible()).toBe(true);
  await expect.poll(() => account.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);
  await account.getByRole('link', { name: '同步记录' }).click();
  await page.getByRole('heading', { name: '同步记录' }).waitFor();
  const runs = page.getByRole('list', { name: '最近的同步' });
  await expect.poll(() => runs.textContent()).toContain('成功');
  expect(await runs.textContent()).toMatch(/上传 4 条/);
});
