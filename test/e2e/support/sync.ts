// What the sync tests read from a phone and from the server: the header line, the outbox
// size and the events held in the phone's IndexedDB, the events the server holds.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { waitForServiceWorker } from './browser.ts';
import { loginInUi, type Account } from './session.ts';

/** The sync header's one line: "已同步 · 刚刚", "离线 · 2 条待上传", … */
export async function syncStatus(page: Page): Promise<string> {
  const status = page.locator('section[aria-label="同步状态"] [role="status"]');
  return (await status.count()) === 0 ? '' : ((await status.first().textContent()) ?? '');
}

/** Entries in the phone's outbox (pending and rejected). */
export async function outboxSize(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

export interface ServerEvent {
  id: string;
  type: string;
  seq: number;
  subjectId: string;
  data?: { note?: string; caseNumber?: string };
}

/** Every event the server serves to `token` (an admin sees all), following the cursor. */
export async function serverEventList(serverUrl: string, token: string): Promise<ServerEvent[]> {
  const out: ServerEvent[] = [];
  let cursor = 0;
  for (;;) {
    const r = await fetch(`${serverUrl}/api/sync/pull?cursor=${cursor}&limit=1000`, { headers: { Authorization: `Bearer ${token}` } });
    if (!r.ok) throw new Error(`pull → ${r.status}: ${await r.text()}`);
    const page = (await r.json()) as { events: ServerEvent[]; cursor: number; hasMore: boolean };
    out.push(...page.events);
    if (!page.hasMore) return out;
    cursor = page.cursor;
  }
}

/** Records a sweep through the 排查 screen, as a grid worker would; resolves once it is saved. */
export async function recordSweepInUi(page: Page, input: { gridId: string; households: number; disputesFound?: number; note: string }): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '排查' }).click();
  await page.getByLabel('走访户数').waitFor();
  await page.getByLabel(/^网格/).selectOption(input.gridId);
  await page.getByLabel('走访户数').fill(String(input.households));
  await page.getByLabel('发现纠纷数').fill(String(input.disputesFound ?? 0));
  await page.getByLabel('备注').fill(input.note);
  await page.getByRole('button', { name: '保存排查' }).click();
  await page.getByText('排查已保存').waitFor();
}

export interface SweepSeen {
  id: string;
  note: string;
}

/** The sweeps the phone holds (own and pulled), by their notes. */
export async function phoneSweeps(page: Page): Promise<SweepSeen[]> {
  return page.evaluate(
    () =>
      new Promise<{ id: string; note: string }[]>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('events').objectStore('events').getAll();
          all.onsuccess = () => {
            db.close();
            const events = all.result as { id: string; type: string; data: { note?: string } }[];
            resolve(events.filter((e) => e.type === 'sweep.recorded').map((e) => ({ id: e.id, note: e.data.note ?? '' })));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** The sweeps the server holds, by their notes (one entry per stored event). */
export async function serverSweeps(serverUrl: string, token: string): Promise<SweepSeen[]> {
  return (await serverEventList(serverUrl, token)).filter((e) => e.type === 'sweep.recorded').map((e) => ({ id: e.id, note: e.data?.note ?? '' }));
}

/** Opens the app online, waits for its service worker, logs in and waits for the first sync. */
export async function openAppOnline(page: Page, serverUrl: string, user: Pick<Account, 'username' | 'password'>): Promise<void> {
  await page.goto(serverUrl);
  await waitForServiceWorker(page);
  await loginInUi(page, user.username, user.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);
}
