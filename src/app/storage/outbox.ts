// The outbox: this phone's events that the server has not yet confirmed. An entry leaves only
// when the server names its id as applied or duplicate; a rejected one stays, marked, for the
// user to see (and retry after a fix on the server side), and never blocks the rest.
import type { PushResult } from '#shared/protocol';
import { notifyStorageChanged } from './changes.ts';
import { openDb, type OutboxEntry, type OutboxStatus } from './db.ts';
import { META_DEVICE_ID } from './meta.ts';
import { refreshPending } from './records.ts';
import { inReadTx, inWriteTx } from './tx.ts';

/** The entries of one status, in queue order: the one key range every outbox query uses. */
function withStatus(status: OutboxStatus): IDBKeyRange {
  return IDBKeyRange.bound([status, -Infinity], [status, Infinity]);
}

/** Pending entries, oldest first. */
export async function pendingOutbox(limit: number): Promise<OutboxEntry[]> {
  const db = await openDb();
  return db.getAllFromIndex('outbox', 'byStatus', withStatus('pending'), limit);
}

/** The entries the server refused, with its reasons, oldest first. */
export async function rejectedOutbox(): Promise<OutboxEntry[]> {
  const db = await openDb();
  return db.getAllFromIndex('outbox', 'byStatus', withStatus('rejected'));
}

/** Every entry (pending and rejected), oldest first: the "待上传" list. */
export async function listOutbox(): Promise<OutboxEntry[]> {
  const db = await openDb();
  return db.getAllFromIndex('outbox', 'byQueuedAt');
}

export function countOutbox(): Promise<{ pending: number; rejected: number }> {
  return inReadTx(['outbox'], async (tx) => {
    const index = tx.objectStore('outbox').index('byStatus');
    const [pending, rejected] = await Promise.all([index.count(withStatus('pending')), index.count(withStatus('rejected'))]);
    return { pending, rejected };
  });
}

/**
 * Applies the server's answer: applied/duplicate entries leave the outbox, rejected ones are
 * marked with the server's error. Ids the answer does not name stay as they were.
 */
export async function ackOutbox(results: PushResult[]): Promise<void> {
  if (results.length === 0) return;
  await inWriteTx(['outbox', 'records', 'summaries', 'caseTexts'], async (tx) => {
    const outbox = tx.objectStore('outbox');
    const touched = new Set<string>();
    for (const r of results) {
      const entry = await outbox.get(r.id);
      if (!entry) continue;
      touched.add(entry.event.subjectId);
      // A case number given back after a restore (start-over.ts) is the server's to take or not:
      // refused, it leaves too, not as the worker's 未通过 record (the pull brings the case's number).
      if (r.status === 'applied' || r.status === 'duplicate' || entry.event.type === 'case.numbered') {
        await outbox.delete(r.id);
      } else {
        const next: OutboxEntry = { ...entry, status: 'rejected', attempts: entry.attempts + 1 };
        next.error = r.error ?? { code: 'rejected', message: '服务器拒收' };
        await outbox.put(next);
      }
    }
    await refreshPending(tx, touched);
  });
  notifyStorageChanged();
}

/** Puts a rejected entry back in the queue (e.g. after the office fixed the user's scope). */
export async function retryRejected(id: string): Promise<boolean> {
  const retried = await inWriteTx(['outbox', 'records', 'summaries', 'caseTexts'], async (tx) => {
    const outbox = tx.objectStore('outbox');
    const entry = await outbox.get(id);
    if (!entry || entry.status !== 'rejected') return false;
    const next: OutboxEntry = { id: entry.id, event: entry.event, queuedAt: entry.queuedAt, attempts: entry.attempts, status: 'pending' };
    await outbox.put(next);
    await refreshPending(tx, [entry.event.subjectId]);
    return true;
  });
  if (retried) notifyStorageChanged();
  return retried;
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
  const { entries, deviceId, blobs } = await inReadTx(['outbox', 'blobs', 'meta'], async (tx) => {
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
    return { entries, deviceId, blobs };
  });
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
