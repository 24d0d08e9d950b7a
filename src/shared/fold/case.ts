// The case projection: a mediation case's events → its current state. A pure function of the
// set of events, so that the phone, the server and the statistics agree whatever order or
// batches the events arrived in, duplicates included (see design.md "Statistics").
import type { CaseStatus, OutcomeFlag, TimelineKind } from '../codes.ts';
import { canonicalJson, type DomainEvent, type EventData, type Signature } from '../events.ts';
import { daysBetween, localDateOf, DEFAULT_TIME_ZONE } from '../time.ts';
import { foldMajor, foldTypical, type MajorState, type TypicalState } from '../major/fold.ts';
import { foldGrade, type GradeState } from '../subsidy/grades.ts';
import { applyChanges, entryOf, eventsOfSubject, findConcurrent, type Entry, type EventOf } from './order.ts';

type CaseOpenedData = EventData<'case.opened'>;
type Closure = Entry<'case.closed'>;

export interface CaseState {
  kind: 'case';
  subjectId: string;
  /** The case's registration unit: the earliest case.opened's unit, else the earliest event's. */
  orgUnitId: string;
  /**
   * Where the case belongs: the latest 更正 of the unit, else orgUnitId (caseUnitOf). Shown,
   * counted, and named by the case's new events: the push checks scope against it.
   */
  unitId?: string;
  /** occurredAt of the earliest case.opened: when the registration was made. */
  openedAt?: string;
  /**
   * 受理日期 (YYYY-MM-DD): the registration's acceptedOn after corrections, else the date of
   * openedAt as it was written (events before acceptedOn existed: their occurredAt was it).
   */
  acceptedOn?: string;
  openedEventId?: string;
  /** The registration with every case.updated applied in (occurredAt, id) order. */
  opened?: CaseOpenedData;
  hasOpened: boolean;
  status: CaseStatus;
  /** The latest case.closed: it decides 化解 even when a reopening followed. */
  closure?: Closure;
  /** A case.reopened came after the latest closure: the case is being mediated again. */
  reopened: boolean;
  closures: Closure[];
  reopenings: Entry<'case.reopened'>[];
  updates: Entry<'case.updated'>[];
  /** What each 更正 changed, field by field, old → new, in the order they apply. */
  corrections?: Correction[];
  sessions: Entry<'case.session'>[];
  performances: Entry<'case.performed'>[];
  followups: Entry<'case.followup'>[];
  /** The latest signature of each signer (role and name) on the 协议书, drawn on a phone. */
  signatures: Signature[];
  signings: Entry<'case.signed'>[];
  voided?: { reason: string; occurredAt: string; eventId: string };
  /**
   * 结果标记 now set, by code, each with when it was set (occurredAt of the 结果标记 that added it
   * to the set; kept while later ones keep it). Absent on a case never marked.
   */
  outcomes?: { code: OutcomeFlag; since: string }[];
  /** The case.outcomes events, in (occurredAt, id) order; the latest one holds the set. */
  outcomeMarks?: Entry<'case.outcomes'>[];
  caseNumber?: string;
  numbered?: Entry<'case.numbered'>;
  /** 重大矛盾纠纷 (#shared/major/fold), 典型案例, and the 以案定补 grade (#shared/subsidy/grades). */
  major?: MajorState;
  typical?: TypicalState;
  grade?: GradeState;
  /** Ids of concurrent edits (neither device knew of the other), sorted; empty when none. */
  conflicts: string[];
  eventCount: number;
  firstEventAt: string;
  lastEventAt: string;
}

export interface Correction {
  eventId: string;
  changes: { field: string; before: unknown; after: unknown }[];
}

// Which keys a state-setting event sets: fields for updates, the status for close/reopen.
function keysSetBy(e: DomainEvent): readonly string[] {
  if (e.type === 'case.updated') return Object.keys(e.data.changes).filter((k) => (e.data.changes as Record<string, unknown>)[k] !== undefined);
  if (e.type === 'case.closed' || e.type === 'case.reopened') return ['status'];
  return [];
}

/** The unit a case is in now: where a 更正 moved it, else its registration unit. */
export function caseUnitOf(state: Pick<CaseState, 'orgUnitId' | 'unitId'>): string {
  return state.unitId ?? state.orgUnitId;
}

/**
 * Folds the events of one case (the subject of `subjectId`, else of the earliest case event;
 * other subjects' events are ignored). Undefined when there is no case event.
 */
export function foldCase(events: readonly DomainEvent[], subjectId?: string): CaseState | undefined {
  const sorted = eventsOfSubject(events, 'case', subjectId);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return undefined;

  let opening: EventOf<'case.opened'> | undefined;
  let closure: Closure | undefined;
  let reopenedAfterClosure = false;
  let lastStatusEvent: 'closed' | 'reopened' | undefined;
  let voided: CaseState['voided'];
  let numbered: Entry<'case.numbered'> | undefined;
  const closures: Closure[] = [];
  const reopenings: Entry<'case.reopened'>[] = [];
  const updates: Entry<'case.updated'>[] = [];
  const sessions: Entry<'case.session'>[] = [];
  const performances: Entry<'case.performed'>[] = [];
  const followups: Entry<'case.followup'>[] = [];
  const signings: Entry<'case.signed'>[] = [];
  const signatures = new Map<string, Signature>();
  const outcomeMarks: Entry<'case.outcomes'>[] = [];
  // Each flag of the set with the time it entered the set; a mark without it takes it out.
  let outcomes = new Map<OutcomeFlag, string>();

  for (const e of sorted) {
    switch (e.type) {
      case 'case.opened':
        opening ??= e;
        break;
      case 'case.updated':
        updates.push(entryOf(e));
        break;
      case 'case.session':
        sessions.push(entryOf(e));
        break;
      case 'case.closed':
        closure = entryOf(e);
        closures.push(closure);
        reopenedAfterClosure = false;
        lastStatusEvent = 'closed';
        break;
      case 'case.reopened':
        reopenings.push(entryOf(e));
        if (closure) reopenedAfterClosure = true;
        lastStatusEvent = 'reopened';
        break;
      case 'case.performed':
        performances.push(entryOf(e));
        break;
      case 'case.followup':
        followups.push(entryOf(e));
        break;
      case 'case.signed':
        signings.push(entryOf(e));
        // Events come in (occurredAt, id) order: a signer who signs again replaces the earlier one.
        for (const sig of e.data.signatures) signatures.set(`${sig.role}\u0000${sig.name}`, sig);
        break;
      case 'case.voided':
        voided ??= { reason: e.data.reason, occurredAt: e.occurredAt, eventId: e.id };
        break;
      case 'case.numbered':
        numbered ??= entryOf(e);
        break;
      case 'case.outcomes':
        outcomeMarks.push(entryOf(e));
        outcomes = new Map(e.data.flags.map((code) => [code, outcomes.get(code) ?? e.occurredAt]));
        break;
      default:
        break;
    }
  }

  // Corrections apply on top of the registration in the order they happened, even those a
  // skewed clock dated before it: an update is by nature a change to the registered case.
  let opened: CaseOpenedData | undefined = opening ? { ...opening.data } : undefined;
  const orgUnitId = (opening ?? first).orgUnitId;
  let unitId = orgUnitId;
  const corrections: Correction[] = [];
  for (const u of updates) {
    const { orgUnitId: movedTo, ...changes } = u.changes;
    const diff: Correction['changes'] = [];
    if (movedTo !== undefined && movedTo !== unitId) diff.push({ field: 'orgUnitId', before: unitId, after: movedTo });
    if (movedTo !== undefined) unitId = movedTo;
    if (opened) {
      // An old registration's 受理日期 is the date of its occurredAt.
      const before: Record<string, unknown> = { ...opened, acceptedOn: opened.acceptedOn ?? opening?.occurredAt.slice(0, 10) };
      for (const [field, after] of Object.entries(changes)) {
        if (after !== undefined && canonicalJson(after) !== canonicalJson(before[field])) diff.push({ field, before: before[field], after });
      }
      opened = applyChanges(opened, changes);
    }
    // Sorted by field: the stored form of an event may list its keys in another order.
    diff.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    corrections.push({ eventId: u.eventId, changes: diff });
  }

  const status: CaseStatus = voided ? 'voided' : lastStatusEvent === 'closed' ? 'closed' : 'open';
  const state: CaseState = {
    kind: 'case',
    subjectId: first.subjectId,
    orgUnitId,
    unitId,
    hasOpened: opening !== undefined,
    status,
    reopened: reopenedAfterClosure,
    closures,
    reopenings,
    updates,
    corrections,
    sessions,
    performances,
    followups,
    signatures: [...signatures.values()],
    signings,
    conflicts: findConcurrent(sorted, keysSetBy),
    eventCount: sorted.length,
    firstEventAt: first.occurredAt,
    lastEventAt: last.occurredAt,
  };
  if (opening) {
    state.openedAt = opening.occurredAt;
    state.openedEventId = opening.id;
    state.acceptedOn = opened?.acceptedOn ?? opening.occurredAt.slice(0, 10);
  }
  if (opened) state.opened = opened;
  if (closure) state.closure = closure;
  if (voided) state.voided = voided;
  if (outcomeMarks.length > 0) {
    state.outcomes = [...outcomes].map(([code, since]) => ({ code, since })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    state.outcomeMarks = outcomeMarks;
  }
  if (numbered) {
    state.numbered = numbered;
    state.caseNumber = numbered.caseNumber;
  }
  const major = foldMajor(sorted);
  if (major) state.major = major;
  const typical = foldTypical(sorted);
  if (typical) state.typical = typical;
  const grade = foldGrade(sorted);
  if (grade) state.grade = grade;
  return state;
}

/**
 * The status of the latest case.performed (履行) record in (occurredAt, id) order, if any. A
 * 回访's performanceStatus is not consulted: 履行率 counts 履行 records only (STAT_DEFINITIONS).
 */
export function performanceStatusOf(state: CaseState): 'full' | 'partial' | 'none' | undefined {
  return state.performances[state.performances.length - 1]?.status;
}

/**
 * A case is due for 回访 when it closed successfully with an agreement, nobody has followed up
 * since that closure, and either a week has passed or the agreed performance deadline has.
 */
export function isFollowupDue(state: CaseState, nowIso: string, timeZone: string = DEFAULT_TIME_ZONE): boolean {
  const c = state.closure;
  if (state.status !== 'closed' || !c || c.result !== 'success' || c.agreementForm === 'none') return false;
  const closedAt = Date.parse(c.occurredAt);
  if (state.followups.some((f) => Date.parse(f.occurredAt) >= closedAt)) return false;
  if (daysBetween(c.occurredAt, nowIso) >= 7) return true;
  return c.performanceDeadline !== undefined && localDateOf(nowIso, timeZone) > c.performanceDeadline;
}

/** Open for more than 30 days since it was accepted (人民调解工作若干规定: 一个月内调结). */
export function isOverdue(state: CaseState, nowIso: string): boolean {
  if (state.status !== 'open' || state.openedAt === undefined) return false;
  // The acceptance date at the registration's time of day and offset: a corrected 受理日期 moves it.
  return daysBetween(state.acceptedOn ? `${state.acceptedOn}${state.openedAt.slice(10)}` : state.openedAt, nowIso) > 30;
}

export interface TimelineItem {
  kind: TimelineKind;
  eventId: string;
  occurredAt: string;
  /** Marked when the event is one of a pair of concurrent edits. */
  conflict: boolean;
}

/** The case's history as the detail screen lists it, oldest first, (occurredAt, id) order. */
export function caseTimeline(state: CaseState): TimelineItem[] {
  const items: Omit<TimelineItem, 'conflict'>[] = [];
  if (state.openedAt !== undefined && state.openedEventId !== undefined) {
    items.push({ kind: 'opened', eventId: state.openedEventId, occurredAt: state.openedAt });
  }
  if (state.numbered) items.push({ kind: 'numbered', eventId: state.numbered.eventId, occurredAt: state.numbered.occurredAt });
  const add = (kind: TimelineKind, list: readonly { eventId: string; occurredAt: string }[]) => {
    for (const x of list) items.push({ kind, eventId: x.eventId, occurredAt: x.occurredAt });
  };
  add('updated', state.updates);
  add('session', state.sessions);
  add('closed', state.closures);
  add('reopened', state.reopenings);
  add('performed', state.performances);
  add('followup', state.followups);
  add('signed', state.signings);
  add('outcomes', state.outcomeMarks ?? []);
  if (state.voided) items.push({ kind: 'voided', eventId: state.voided.eventId, occurredAt: state.voided.occurredAt });
  const conflicts = new Set(state.conflicts);
  return items
    .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0))
    .map((x) => ({ ...x, conflict: conflicts.has(x.eventId) }));
}
