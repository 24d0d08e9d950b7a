// The device itself: its id (minted here and nowhere else, kept for good), wiping the phone at
// logout, and asking the browser to keep our data (navigator.storage.persist) so that a full
// disk does not evict unsent records.
import { signal } from '@preact/signals';
import { uuidv4 } from '#shared/uuid';
import { notifyStorageChanged, storageProblems } from './changes.ts';
import { META_DEVICE_ID, META_DEVICE_SEQ, META_PERSIST_ASKED, readMeta, writeMeta } from './meta.ts';
import { inWriteTx, type WriteTx } from './tx.ts';

/**
 * This phone's id inside a transaction that holds 'meta': the one held, or a new one written
 * in the same transaction (first use). recordEvents stamps events with it in its own commit.
 */
export async function deviceIdIn(tx: WriteTx): Promise<string> {
  const meta = tx.objectStore('meta');
  const held = (await meta.get(META_DEVICE_ID))?.value;
  if (typeof held === 'string' && held.length > 0) return held;
  const id = uuidv4();
  await meta.put({ key: META_DEVICE_ID, value: id });
  return id;
}

/** This phone's id, made on first use and kept for good (logout keeps it too). */
export function getDeviceId(): Promise<string> {
  return inWriteTx(['meta'], deviceIdIn);
}

/**
 * Logout: removes every record, photo, draft and the session. The device id and its event
 * counter stay, so events this phone writes later never reuse a (device, seq) pair.
 */
export async function wipeDevice(): Promise<void> {
  await inWriteTx(['events', 'records', 'summaries', 'caseTexts', 'outbox', 'drafts', 'blobs', 'meta'], async (tx) => {
    const meta = tx.objectStore('meta');
    const deviceId = await meta.get(META_DEVICE_ID);
    const deviceSeq = await meta.get(META_DEVICE_SEQ);
    await Promise.all([
      tx.objectStore('events').clear(),
      tx.objectStore('records').clear(),
      tx.objectStore('summaries').clear(),
      tx.objectStore('caseTexts').clear(),
      tx.objectStore('outbox').clear(),
      tx.objectStore('drafts').clear(),
      tx.objectStore('blobs').clear(),
      meta.clear(),
    ]);
    if (deviceId) await meta.put(deviceId);
    if (deviceSeq) await meta.put(deviceSeq);
  });
  storageProblems.value = [];
  notifyStorageChanged();
}

export type Persistence = 'unknown' | 'persisted' | 'not_persisted' | 'unsupported';

/** Whether the browser promised to keep our data; shown on 首页 and 设置. */
export const persistence = signal<Persistence>('unknown');

/**
 * Asks for persistent storage once per install (browsers remember the answer, asking again
 * only re-prompts), and reads the current state on every start.
 */
export async function requestPersistence(): Promise<Persistence> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage || typeof storage.persisted !== 'function') {
    persistence.value = 'unsupported';
    return persistence.value;
  }
  let granted = await storage.persisted();
  if (!granted && typeof storage.persist === 'function' && (await readMeta(META_PERSIST_ASKED)) !== true) {
    granted = await storage.persist();
    await writeMeta(META_PERSIST_ASKED, true);
  }
  persistence.value = granted ? 'persisted' : 'not_persisted';
  return persistence.value;
}
