// Starting over with another log on the server. After a restore from backup or a failover the
// server's log is a different one (a new generation): events this phone was told were stored
// may be gone, and its seqs name other events than this phone's cursor counted. So, in one
// transaction: every event this device made goes back into the outbox (the server answers
// duplicate for those it still holds and takes the rest), its photos are marked for upload
// again, and the cursor returns to 0 under the new generation. Events other devices made are
// not offered: a push makes the pushing user their author; their own phones offer them.
import { parseEvent, SERVER_ONLY_TYPES, type DomainEvent } from '#shared/events';
import { notifyStorageChanged } from './changes.ts';
import type { OutboxEntry } from './db.ts';
import { deviceIdIn } from './device.ts';
import { META_CURSOR, META_GENERATION, META_PULL_RESUME } from './meta.ts';
import { refreshPending } from './records.ts';
import { inWriteTx } from './tx.ts';

/** Queue order: when the event was made, so that a case's registration goes before its sessions. */
function queuedAtOf(event: DomainEvent): number {
  const at = Date.parse(event.recordedAt);
  return Number.isNaN(at) ? Date.now() : at;
}

/**
 * Re-queues this device's events, marks its photos unsent and sets the cursor to 0 in
 * `generation` (undefined: the log did not say; the next pull records it). Returns how many
 * events went back into the outbox.
 */
export async function startOver(generation: string | undefined): Promise<number> {
  const requeued = await inWriteTx(['events', 'records', 'outbox', 'meta', 'blobs', 'summaries', 'caseTexts'], async (tx) => {
    const deviceId = await deviceIdIn(tx);
    const outbox = tx.objectStore('outbox');
    const queued = new Set(await outbox.getAllKeys());
    const touched = new Set<string>();
    let count = 0;
    for (const row of await tx.objectStore('events').getAll()) {
      if (row.deviceId !== deviceId || SERVER_ONLY_TYPES.has(row.type) || queued.has(row.id)) continue;
      // The stored row carries the server's seq and author: offered as the device made it.
      const parsed = parseEvent(row);
      if (!parsed.ok) continue;
      const entry: OutboxEntry = { id: parsed.value.id, event: parsed.value, queuedAt: queuedAtOf(parsed.value), attempts: 0, status: 'pending' };
      await outbox.put(entry);
      touched.add(entry.event.subjectId);
      count++;
    }
    const blobs = tx.objectStore('blobs');
    for (const b of await blobs.getAll()) if (b.uploaded) await blobs.put({ ...b, uploaded: false });
    const meta = tx.objectStore('meta');
    await meta.put({ key: META_CURSOR, value: 0 });
    await meta.delete(META_PULL_RESUME);
    if (generation === undefined) await meta.delete(META_GENERATION);
    else await meta.put({ key: META_GENERATION, value: generation });
    await refreshPending(tx, touched);
    return count;
  });
  notifyStorageChanged();
  return requeued;
}
