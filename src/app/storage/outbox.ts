// The outbox: this phone's events that the server has not yet confirmed. An entry leaves only
// when the server names its id as applied or duplicate; a rejected one stays, marked, for the
// user to see (and retry after a fix on the server side), and never blocks the rest.
import type { PushResult } from '#shared/protocol';
import { notifyStorageChanged } from './changes.ts';
import { openDb, type OutboxEntry } from './db.ts';
import { META_DEVICE_ID } from './meta.ts';
import { abortQuietly, asAnyTx, refreshPending } from './records.ts';

/** Pending entries, oldest first. */
export async function pendingOutbox(limit: number): Promise<OutboxEntry[]> {
  const db = await openDb();
  const range = IDBKeyRange.bound(['pending', -Infinity], ['pending', Infinity]);
  return db.getAllFromIndex('outbox', 'byStatus', range, limit);
}

/** Every entry (pending and rejected), oldest first: the "待上传" list. */
export async function listOutbox(): Promise<OutboxEntry[]> {
  const db = await openDb();
  return db.getAllFromIndex('outbox', 'byQueuedAt');
}

export async function countOutbox(): Promise<{ pending: number; rejected: number }> {
  const db = await openDb();
  const tx = db.transaction('outbox');
  const index = tx.store.index('byStatus');
  const [pending, rejected] = await Promise.all([
    index.count(IDBKeyRange.bound(['pending', -Infinity], ['pending', Infinity])),
    index.count(IDBKeyRange.bound(['rejected', -Infinity], ['rejected', Infinity])),
  ]);
  await tx.done;
  return { pending, rejected };
}

/**
 * Applies the server's answer: applied/duplicate entries leave the outbox, rejected ones are
 * marked with the server's error. Ids the answer does not name stay as they were.
 */
export async function ackOutbox(results: PushResult[]): Promise<void> {
  if (results.length === 0) return;
  const db = await openDb();
  const tx = asAnyTx(db.transaction(['outbox', 'records'], 'readwrite'));
  const outbox = tx.objectStore('outbox');
  const touched = new Set<string>();
  try {
    for (const r of results) {
      const entry = await outbox.get(r.id);
      if (!entry) continue;
      touched.add(entry.event.subjectId);
      if (r.status === 'applied' || r.status === 'duplicate') {
        await outbox.delete(r.id);
      } else {
        const next: OutboxEntry = { ...entry, status: 'rejected', attempts: entry.attempts + 1 };
        next.error = r.error ?? { code: 'rejected', message: '服务器拒收' };
        await outbox.put(next);
      }
    }
    await refreshPending(tx, touched);
    await tx.done;
  } catch (e) {
    abortQuietly(tx);
    throw e;
  }
  notifyStorageChanged();
}

/** Puts a rejected entry back in the queue (e.g. after the office fixed the user's scope). */
export async function retryRejected(id: string): Promise<boolean> {
  const db = await openDb();
  const tx = asAnyTx(db.transaction(['outbox', 'records'], 'readwrite'));
  const outbox = tx.objectStore('outbox');
  const entry = await outbox.get(id);
  if (!entry || entry.status !== 'rejected') {
    await tx.done;
    return false;
  }
  const next: OutboxEntry = { id: entry.id, event: entry.event, queuedAt: entry.queuedAt, attempts: entry.attempts, status: 'pending' };
  await outbox.put(next);
  await refreshPending(tx, [entry.event.subjectId]);
  await tx.done;
  notifyStorageChanged();
  return true;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/**
 * A JSON file of every unsent event (pending and rejected) with the photos they name, in
 * base64: what a user hands in when a phone cannot sync (broken, lost account).
 */
export async function exportOutbox(): Promise<Blob> {
  const db = await openDb();
  const tx = db.transaction(['outbox', 'blobs', 'meta']);
  const entries = await tx.objectStore('outbox').index('byQueuedAt').getAll();
  const deviceId = (await tx.objectStore('meta').get(META_DEVICE_ID))?.value;
  const shas = new Set<string>();
  for (const e of entries) {
    if (e.event.type === 'outreach.recorded') for (const p of e.event.data.photos ?? []) shas.add(p.sha256);
    if (e.event.type === 'outreach.updated') for (const p of e.event.data.changes.photos ?? []) shas.add(p.sha256);
  }
  const blobs = [];
  for (const sha of shas) {
    const b = await tx.objectStore('blobs').get(sha);
    if (b) blobs.push(b);
  }
  await tx.done;
  const photos = [];
  for (const b of blobs) photos.push({ sha256: b.sha256, mime: b.mime, size: b.size, base64: toBase64(new Uint8Array(await b.blob.arrayBuffer())) });
  const file = {
    format: 'taizhang-outbox',
    version: 1,
    exportedAt: new Date().toISOString(),
    deviceId,
    events: entries.map((e) => ({ event: e.event, status: e.status, queuedAt: new Date(e.queuedAt).toISOString(), error: e.error })),
    photos,
  };
  return new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' });
}
