// The pure part of applying a pushed batch: given what the store already holds for the
// batch's ids, decide each item's status (applied / duplicate / rejected) and what to
// insert and quarantine. Duplicates inside one batch are decided the same way as across
// batches, so a batch's outcome never depends on how the outbox was cut into batches.
import { canonicalJson, subjectKindOf, type DomainEvent, type EventType } from '#shared/events';
import type { PushResult } from '#shared/protocol';
import { createHash } from 'node:crypto';
import type { PushBatch, QuarantineRow, RefusedItem, SubjectHome } from '../storage/event-store.ts';

const ID_REUSE_MESSAGE = '该记录编号已被另一条内容不同的记录使用，请重新保存后再上传';

export interface NewEventRow {
  event: DomainEvent;
  canonical: string;
}

export interface BatchPlan {
  results: PushResult[];
  inserts: NewEventRow[];
  quarantine: QuarantineRow[];
}

/** Ids the store must look up for planBatch: accepted events, and valid ones refused by scope. */
export function idsToLookUp(batch: PushBatch): string[] {
  return batch.items.flatMap((i) => (i.kind === 'accepted' ? [i.event.id] : i.canonical !== undefined && i.id ? [i.id] : []));
}

const SUBJECT_UNIT_MESSAGE = '该记录所属的案件、宣传活动或排查登记在另一个单位，后续记录只能记在同一单位';
const SUBJECT_KIND_MESSAGE = '该记录的 subjectId 已属于另一类记录（案件、宣传活动、排查不能共用编号）';

/** Subjects of the batch's accepted events, whose homes the store must look up for planBatch. */
export function subjectsToLookUp(batch: PushBatch): string[] {
  return [...new Set(batch.items.flatMap((i) => (i.kind === 'accepted' ? [i.event.subjectId] : [])))];
}

/** Why a new event cannot join its subject as the log holds it, if it cannot. */
function subjectMismatch(event: DomainEvent, home: SubjectHome | undefined): { code: string; message: string } | undefined {
  if (!home) return undefined;
  // The write scope is checked on the unit an event names, and the fold takes every event of
  // the subject: naming one's own grid on another grid's case would close or void it.
  if (home.orgUnitId !== event.orgUnitId) return { code: 'forbidden_org_unit', message: SUBJECT_UNIT_MESSAGE };
  // A subject folds as the kind of its earliest event; mixing kinds would leave rows in the
  // other kind's projection that depend on arrival order.
  if (subjectKindOf(home.type as EventType) !== subjectKindOf(event.type)) return { code: 'invalid_event', message: SUBJECT_KIND_MESSAGE };
  return undefined;
}

/**
 * Decides statuses; `stored` maps ids already in the log to their canonical JSON, and
 * `subjectHomes` subjects already in the log to their home. A new event must name its
 * subject's unit and be of its kind; the first event of a subject sets both.
 */
export function planBatch(batch: PushBatch, stored: ReadonlyMap<string, string>, subjectHomes: ReadonlyMap<string, SubjectHome> = new Map()): BatchPlan {
  const seen = new Map(stored);
  const homes = new Map(subjectHomes);
  const results: PushResult[] = [];
  const inserts: NewEventRow[] = [];
  const quarantine: QuarantineRow[] = [];
  for (const item of batch.items) {
    if (item.kind === 'refused') {
      const held = item.id ? seen.get(item.id) : undefined;
      if (item.canonical !== undefined && held !== undefined && sameContent(held, item.canonical)) {
        results.push({ id: item.id, status: 'duplicate' });
        continue;
      }
      results.push({ id: item.id, status: 'rejected', error: { code: item.code, message: item.message } });
      quarantine.push(quarantineRowOf(batch, item));
      continue;
    }
    const held = seen.get(item.event.id);
    const mismatch = held === undefined ? subjectMismatch(item.event, homes.get(item.event.subjectId)) : undefined;
    if (mismatch) {
      const e = item.event;
      results.push({ id: e.id, status: 'rejected', error: mismatch });
      quarantine.push(
        quarantineRowOf(batch, {
          kind: 'refused',
          id: e.id,
          ...mismatch,
          raw: item.canonical,
          rawTruncated: false,
          subjectId: e.subjectId,
          orgUnitId: e.orgUnitId,
          type: e.type,
        }),
      );
    } else if (held === undefined) {
      if (!homes.has(item.event.subjectId)) homes.set(item.event.subjectId, { orgUnitId: item.event.orgUnitId, type: item.event.type });
      seen.set(item.event.id, item.canonical);
      inserts.push({ event: item.event, canonical: item.canonical });
      results.push({ id: item.event.id, status: 'applied' });
    } else if (sameContent(held, item.canonical)) {
      results.push({ id: item.event.id, status: 'duplicate' });
    } else {
      const e = item.event;
      results.push({ id: e.id, status: 'rejected', error: { code: 'id_reuse', message: ID_REUSE_MESSAGE } });
      quarantine.push(
        quarantineRowOf(batch, {
          kind: 'refused',
          id: e.id,
          code: 'id_reuse',
          message: ID_REUSE_MESSAGE,
          raw: item.canonical,
          rawTruncated: false,
          subjectId: e.subjectId,
          orgUnitId: e.orgUnitId,
          type: e.type,
        }),
      );
    }
  }
  return { results, inserts, quarantine: dedupeByFingerprint(quarantine) };
}

/** Whether two stored JSON forms hold the same event (only reached for ids seen before). */
function sameContent(a: string, b: string): boolean {
  return a === b || canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
}

function quarantineRowOf(batch: PushBatch, item: RefusedItem): QuarantineRow {
  // The same rejected event pushed again (a retry after a lost answer) lands on one row.
  const fingerprint = createHash('sha256').update(`${batch.authorId}\n${item.code}\n${item.raw}`).digest('hex');
  return {
    fingerprint,
    eventId: item.id || null,
    subjectId: item.subjectId ?? null,
    orgUnitId: item.orgUnitId ?? null,
    type: item.type ?? null,
    code: item.code,
    message: item.message,
    authorId: batch.authorId,
    deviceId: batch.deviceId,
    receivedAt: batch.receivedAt,
    raw: item.raw,
    rawTruncated: item.rawTruncated,
  };
}

function dedupeByFingerprint(rows: QuarantineRow[]): QuarantineRow[] {
  const byPrint = new Map<string, QuarantineRow>();
  for (const r of rows) if (!byPrint.has(r.fingerprint)) byPrint.set(r.fingerprint, r);
  return [...byPrint.values()];
}

/** The batch's latest event by deviceSeq: the device's most recent record. */
export function latestEventOf(batch: PushBatch): DomainEvent | undefined {
  let latest: DomainEvent | undefined;
  for (const item of batch.items) {
    if (item.kind === 'accepted' && (!latest || item.event.deviceSeq > latest.deviceSeq)) latest = item.event;
  }
  return latest;
}

/**
 * The device clock's error in ms (device − server). From the device's own clock at sending
 * when it says (`sentAt`); else from recordedAt of its latest event vs receivedAt, where only
 * a future recordedAt proves a wrong clock: one in the past may just mean the phone was
 * offline since, so it counts as 0.
 */
export function clockSkewOf(batch: PushBatch): number | undefined {
  const received = Date.parse(batch.receivedAt);
  if (batch.sentAt !== undefined) return Date.parse(batch.sentAt) - received;
  const latest = latestEventOf(batch);
  if (!latest) return undefined;
  return Math.max(0, Date.parse(latest.recordedAt) - received);
}

/** Photos named by an event: (sha256, event, unit) rows so GET /api/attachments can check scope. */
export function attachmentRefsOf(event: DomainEvent): { sha256: string; eventId: string; orgUnitId: string }[] {
  let photos: { sha256: string }[] | undefined;
  if (event.type === 'outreach.recorded') photos = event.data.photos;
  else if (event.type === 'outreach.updated') photos = event.data.changes.photos;
  else if (event.type === 'case.signed') photos = event.data.signatures.map((s) => s.image);
  return (photos ?? []).map((p) => ({ sha256: p.sha256, eventId: event.id, orgUnitId: event.orgUnitId }));
}
