// What the sync tests read from a phone and from the server: the header line, the outbox
// size and the events held in the phone's IndexedDB, the events the server holds.
import type { Page } from 'playwright-core';

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

/** Ids of the field events (not server-written ones) the phone holds, own and pulled. */
export async function phoneEvents(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('events').objectStore('events').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as { id: string; type: string }[]).filter((e) => e.type !== 'case.numbered').map((e) => e.id));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

export interface ServerEvent {
  id: string;
  type: string;
  seq: number;
  subjectId: string;
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

export async function serverEvents(serverUrl: string, token: string): Promise<string[]> {
  return (await serverEventList(serverUrl, token)).map((e) => e.id);
}

/** Saves a sweep on the phone. */
export async function recordSweep(page: Page, input: { households: number; note: string; orgUnitId: string }): Promise<string> {
  return page.evaluate(
    (input) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const id = crypto.randomUUID();
          const event = {
            id,
            type: 'sweep.recorded',
            subjectId: crypto.randomUUID(),
            orgUnitId: input.orgUnitId,
            occurredAt: new Date().toISOString(),
            recordedAt: new Date().toISOString(),
            deviceId: 'injected',
            deviceSeq: 1,
            data: { households: input.households, disputesFound: 0, note: input.note },
          };
          const tx = db.transaction(['events', 'outbox'], 'readwrite');
          tx.objectStore('events').put(event);
          tx.objectStore('outbox').put({ id, event, queuedAt: Date.now(), attempts: 0, status: 'pending' });
          tx.oncomplete = () => {
            db.close();
            resolve(id);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    input,
  );
}
