// The outreach projection: one 普法 activity's events → what it was (after corrections) and
// whether it still counts. Pure function of the set of events, like every fold.
import type { DomainEvent, EventData } from '../events.ts';
import { applyChanges, entryOf, eventsOfSubject, findConcurrent, type Entry } from './order.ts';

type OutreachRecord = EventData<'outreach.recorded'>;

export interface OutreachState {
  kind: 'outreach';
  subjectId: string;
  /** From the earliest outreach.recorded, else from the earliest event. */
  orgUnitId: string;
  /** occurredAt of the earliest outreach.recorded: the day the activity counts in (场次). */
  occurredAt?: string;
  recordedEventId?: string;
  /** The record with every outreach.updated applied in (occurredAt, id) order. */
  record?: OutreachRecord;
  hasRecorded: boolean;
  updates: Entry<'outreach.updated'>[];
  voided?: { reason: string; occurredAt: string; eventId: string };
  conflicts: string[];
  eventCount: number;
  lastEventAt: string;
}

function keysSetBy(e: DomainEvent): readonly string[] {
  if (e.type !== 'outreach.updated') return [];
  return Object.keys(e.data.changes).filter((k) => (e.data.changes as Record<string, unknown>)[k] !== undefined);
}

/** Folds one outreach activity's events; undefined when there is none. */
export function foldOutreach(events: readonly DomainEvent[], subjectId?: string): OutreachState | undefined {
  const sorted = eventsOfSubject(events, 'outreach', subjectId);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return undefined;
  let recorded: Extract<DomainEvent, { type: 'outreach.recorded' }> | undefined;
  let voided: OutreachState['voided'];
  const updates: Entry<'outreach.updated'>[] = [];
  for (const e of sorted) {
    if (e.type === 'outreach.recorded') recorded ??= e;
    else if (e.type === 'outreach.updated') updates.push(entryOf(e));
    else if (e.type === 'outreach.voided') voided ??= { reason: e.data.reason, occurredAt: e.occurredAt, eventId: e.id };
  }
  let record: OutreachRecord | undefined = recorded ? { ...recorded.data } : undefined;
  if (record) for (const u of updates) record = applyChanges(record, u.changes);
  const state: OutreachState = {
    kind: 'outreach',
    subjectId: first.subjectId,
    orgUnitId: (recorded ?? first).orgUnitId,
    hasRecorded: recorded !== undefined,
    updates,
    conflicts: findConcurrent(sorted, keysSetBy),
    eventCount: sorted.length,
    lastEventAt: last.occurredAt,
  };
  if (recorded) {
    state.occurredAt = recorded.occurredAt;
    state.recordedEventId = recorded.id;
  }
  if (record) state.record = record;
  if (voided) state.voided = voided;
  return state;
}
