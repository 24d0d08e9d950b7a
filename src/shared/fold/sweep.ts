// The sweep projection: one 排查 report's events → its figures. A sweep is recorded once and
// can only be voided; should a broken device record one subject twice, the earliest counts.
import type { DomainEvent } from '../events.ts';
import { eventsOfSubject } from './order.ts';

export interface SweepState {
  kind: 'sweep';
  subjectId: string;
  orgUnitId: string;
  /** occurredAt of the sweep.recorded; absent while only a voiding has arrived. */
  occurredAt?: string;
  recordedEventId?: string;
  hasRecorded: boolean;
  households: number;
  disputesFound: number;
  /** 零报告: the explicit flag when given, else "no disputes found". */
  zeroReport: boolean;
  note?: string;
  caseIds: string[];
  voided?: { reason: string; occurredAt: string; eventId: string };
  eventCount: number;
  lastEventAt: string;
}

/** Folds one sweep's events; undefined when there is none. */
export function foldSweep(events: readonly DomainEvent[], subjectId?: string): SweepState | undefined {
  const sorted = eventsOfSubject(events, 'sweep', subjectId);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return undefined;
  let recorded: Extract<DomainEvent, { type: 'sweep.recorded' }> | undefined;
  let voided: SweepState['voided'];
  for (const e of sorted) {
    if (e.type === 'sweep.recorded') recorded ??= e;
    else if (e.type === 'sweep.voided') voided ??= { reason: e.data.reason, occurredAt: e.occurredAt, eventId: e.id };
  }
  const data = recorded?.data;
  const state: SweepState = {
    kind: 'sweep',
    subjectId: first.subjectId,
    orgUnitId: (recorded ?? first).orgUnitId,
    hasRecorded: recorded !== undefined,
    households: data?.households ?? 0,
    disputesFound: data?.disputesFound ?? 0,
    zeroReport: data ? (data.zeroReport ?? data.disputesFound === 0) : false,
    caseIds: data?.caseIds ? [...data.caseIds] : [],
    eventCount: sorted.length,
    lastEventAt: last.occurredAt,
  };
  if (recorded) {
    state.occurredAt = recorded.occurredAt;
    state.recordedEventId = recorded.id;
  }
  if (data?.note !== undefined) state.note = data.note;
  if (voided) state.voided = voided;
  return state;
}
