// Starting over with another log on the server. After a restore from backup or a failover the
// server's log is a different one (a new generation): events this phone was told were stored
// may be gone, and its seqs name other events than this phone's cursor counted. So, in one
// transaction: every event this device made goes back into the outbox (the server answers
// duplicate for those it still holds and takes the rest), its photos are marked for upload
// again, and the cursor returns to 0 under the new generation. Events other devices made are
// not offered: a push makes the pushing user their author; their own phones offer them. One
// exception: the server's case number of a case this device registered, when the server sealed
// it, goes back too, just before the registration, so that the case keeps the number it had
// (and may carry on paper) instead of the next one free (services/case-number.ts). Every case
// number leaves the phone's copy of the log meanwhile, its own cases' and the others': a case
// shows the number the new log gives it, the same one or, when another case took it first, the
// next, which the pull from 0 brings.
import { parseEvent, SERVER_ONLY_TYPES, type DomainEvent } from '#shared/events';
import { notifyStorageChanged } from './changes.ts';
import type { OutboxEntry } from './db.ts';
import { deviceIdIn } from './device.ts';
import { META_CURSOR, META_GENERATION, META_PULL_RESUME } from './meta.ts';
import { refoldSubjects, refreshPending } from './records.ts';
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
    const inOutbox = await outbox.getAll();
    const queued = new Set(inOutbox.map((e) => e.id));
    const touched = new Set<string>();
    let count = 0;
    const eventStore = tx.objectStore('events');
    const rows = await eventStore.getAll();
    // The registrations this device made, queued now: those acknowledged and those whose answer never came.
    const openedAt = new Map<string, number>();
    const opened = (subjectId: string, queuedAt: number) => openedAt.set(subjectId, Math.min(queuedAt, openedAt.get(subjectId) ?? queuedAt));
    for (const e of inOutbox) if (e.event.type === 'case.opened') opened(e.event.subjectId, e.queuedAt);
    const requeue = async (event: DomainEvent, queuedAt: number) => {
      await outbox.put({ id: event.id, event, queuedAt, attempts: 0, status: 'pending' } satisfies OutboxEntry);
      touched.add(event.subjectId);
      // What the sync log says was offered again is the worker's records: a number given back is the server's.
      if (event.type !== 'case.numbered') count++;
    };
    for (const row of rows) {
      if (row.deviceId !== deviceId || SERVER_ONLY_TYPES.has(row.type) || queued.has(row.id)) continue;
      // The stored row carries the server's seq and author: offered as the device made it.
      const parsed = parseEvent(row);
      if (!parsed.ok) continue;
      const queuedAt = queuedAtOf(parsed.value);
      if (parsed.value.type === 'case.opened') opened(parsed.value.subjectId, queuedAt);
      await requeue(parsed.value, queuedAt);
    }
    const renumbered = new Set<string>();
    for (const row of rows) {
      if (row.type !== 'case.numbered') continue;
      await eventStore.delete(row.id);
      renumbered.add(row.subjectId);
      const registered = openedAt.get(row.subjectId);
      if (registered === undefined || queued.has(row.id)) continue;
      const parsed = parseEvent(row);
      if (parsed.ok && parsed.value.type === 'case.numbered' && parsed.value.data.seal) await requeue(parsed.value, registered - 1);
    }
    const blobs = tx.objectStore('blobs');
    for (const b of await blobs.getAll()) if (b.uploaded) await blobs.put({ ...b, uploaded: false });
    const meta = tx.objectStore('meta');
    await meta.put({ key: META_CURSOR, value: 0 });
    await meta.delete(META_PULL_RESUME);
    if (generation === undefined) await meta.delete(META_GENERATION);
    else await meta.put({ key: META_GENERATION, value: generation });
    await refoldSubjects(tx, renumbered);
    await refreshPending(tx, touched);
    return count;
  });
  notifyStorageChanged();
  return requeued;
}
