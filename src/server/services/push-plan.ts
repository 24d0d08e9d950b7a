// The pure part of applying a pushed batch: given what the store already holds for the
// batch's ids, decide each item's status (applied / duplicate / rejected) and what to
// insert and quarantine. Duplicates inside one batch are decided the same way as across
// batches, so a batch's outcome never depends on how the outbox was cut into batches.
import { canonicalJson, subjectKindOf, type DomainEvent, type EventType } from '#shared/events';
import { caseUnitOf, foldCase } from '#shared/fold/index';
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

const MOVED_CASE_MESSAGE = '该案件已更正到另一个网格（村），更正之后的记录只能记在案件现在的单位，请同步后再记录';

/**
 * Where a case is as its events fold (design.md "Sync contract"): the unit it is in now, and for
 * each unit a 更正 took it out of, the latest such move's recordedAt (ms).
 */
interface CaseUnits {
  current: string;
  leftAt: Map<string, number>;
}

function caseUnitsOf(events: readonly DomainEvent[], subjectId: string): CaseUnits | undefined {
  const state = foldCase(events, subjectId);
  if (!state) return undefined;
  const byId = new Map(events.map((e) => [e.id, e]));
  const leftAt = new Map<string, number>();
  for (const c of state.corrections ?? []) {
    const move = c.changes.find((ch) => ch.field === 'orgUnitId');
    const at = byId.get(c.eventId)?.recordedAt;
    if (!move || at === undefined) continue;
    const from = String(move.before);
    leftAt.set(from, Math.max(leftAt.get(from) ?? -Infinity, Date.parse(at)));
  }
  return { current: caseUnitOf(state), leftAt };
}

/**
 * Whether a case's new event names a unit it may: the case's current unit; or one a 更正 moved
 * it out of, when the event was recorded (its phone's clock) before that move was, so what a
 * worker saved before the move still lands. Naming the old unit after the move is refused.
 */
function caseUnitMismatch(event: DomainEvent, units: CaseUnits): { code: string; message: string } | undefined {
  if (event.orgUnitId === units.current) return undefined;
  const left = units.leftAt.get(event.orgUnitId);
  if (left === undefined) return { code: 'forbidden_org_unit', message: SUBJECT_UNIT_MESSAGE };
  if (Date.parse(event.recordedAt) < left) return undefined;
  return { code: 'forbidden_org_unit', message: MOVED_CASE_MESSAGE };
}

/** Why a new event cannot join its subject as the log holds it, if it cannot. */
function subjectMismatch(event: DomainEvent, home: SubjectHome | undefined, units: CaseUnits | undefined): { code: string; message: string } | undefined {
  if (!home) return undefined;
  // The write scope is checked on the unit an event names, and the fold takes every event of
  // the subject: naming one's own grid on another grid's case would close or void it. A case
  // is where its 更正 put it; other subjects stay in their first event's unit.
  const unit = units
    ? caseUnitMismatch(event, units)
    : home.orgUnitId !== event.orgUnitId
      ? { code: 'forbidden_org_unit', message: SUBJECT_UNIT_MESSAGE }
      : undefined;
  if (unit) return unit;
  // A subject folds as the kind of its earliest event; mixing kinds would leave rows in the
  // other kind's projection that depend on arrival order.
  if (subjectKindOf(home.type as EventType) !== subjectKindOf(event.type)) return { code: 'invalid_event', message: SUBJECT_KIND_MESSAGE };
  return undefined;
}

/**
 * Stored cases the batch brings a new event to, whose events the store must read for planBatch
 * (`stored` and `subjectHomes` as planBatch takes them); a retry of what is held reads none.
 */
export function casesToFold(batch: PushBatch, stored: ReadonlyMap<string, string>, subjectHomes: ReadonlyMap<string, SubjectHome>): string[] {
  const out = new Set<string>();
  for (const i of batch.items) {
    if (i.kind !== 'accepted' || stored.has(i.event.id)) continue;
    const home = subjectHomes.get(i.event.subjectId);
    if (home && subjectKindOf(home.type as EventType) === 'case') out.add(i.event.subjectId);
  }
  return [...out];
}

/** A case's events so far in the batch (stored, then applied), and where they put it. */
class CaseLog {
  private units: CaseUnits | undefined;
  constructor(
    private readonly subjectId: string,
    private readonly events: DomainEvent[],
  ) {}
  unitsNow(): CaseUnits | undefined {
    return (this.units ??= caseUnitsOf(this.events, this.subjectId));
  }
  add(event: DomainEvent): void {
    this.events.push(event);
    // Only an opening or a 更正 can change where the case is: the rest keep the fold in hand.
    if (event.type === 'case.opened' || event.type === 'case.updated') this.units = undefined;
  }
}

/**
 * Decides statuses; `stored` maps ids already in the log to their canonical JSON,
 * `subjectHomes` subjects already in the log to their home, and `caseEvents` the stored events
 * of those that are cases (casesToFold). A new event must be of its subject's kind and name its
 * unit: a case's as the stored events and the batch's earlier ones fold (caseUnitMismatch),
 * another subject's first event's. The first event of a subject sets both.
 */
export function planBatch(
  batch: PushBatch,
  stored: ReadonlyMap<string, string>,
  subjectHomes: ReadonlyMap<string, SubjectHome> = new Map(),
  caseEvents: ReadonlyMap<string, readonly DomainEvent[]> = new Map(),
): BatchPlan {
  const seen = new Map(stored);
  const homes = new Map(subjectHomes);
  const cases = new Map<string, CaseLog>();
  for (const [id, events] of caseEvents) cases.set(id, new CaseLog(id, [...events]));
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
    const log = cases.get(item.event.subjectId);
    const mismatch = held === undefined ? subjectMismatch(item.event, homes.get(item.event.subjectId), log?.unitsNow()) : undefined;
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
      const e = item.event;
      if (!homes.has(e.subjectId)) {
        homes.set(e.subjectId, { orgUnitId: e.orgUnitId, type: e.type });
        if (subjectKindOf(e.type) === 'case') cases.set(e.subjectId, new CaseLog(e.subjectId, []));
      }
      cases.get(e.subjectId)?.add(e);
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

/** The batch's latest event by deviceSeq: the device's most recent record (not a case number it gives back, which is the server's). */
export function latestEventOf(batch: PushBatch): DomainEvent | undefined {
  let latest: DomainEvent | undefined;
  for (const item of batch.items) {
    if (item.kind !== 'accepted' || item.event.type === 'case.numbered') continue;
    if (!latest || item.event.deviceSeq > latest.deviceSeq) latest = item.event;
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
