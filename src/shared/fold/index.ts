// Folds: one subject's events → its current state. Import from '#shared/fold/index'.
import { subjectKindOf, type DomainEvent, type SubjectKind } from '../events.ts';
import { foldCase, type CaseState } from './case.ts';
import { foldOutreach, type OutreachState } from './outreach.ts';
import { foldSweep, type SweepState } from './sweep.ts';
import { compareEvents } from './order.ts';

export * from './case.ts';
export * from './outreach.ts';
export * from './sweep.ts';
export { compareEvents, eventsOfSubject, type Entry } from './order.ts';

export type SubjectState = CaseState | OutreachState | SweepState;

// Office ledgers are read as lists (#shared/office/ledgers), not folded into a subject state.
const FOLDS: { [K in SubjectKind]: (events: readonly DomainEvent[], subjectId: string) => SubjectState | undefined } = {
  case: foldCase,
  outreach: foldOutreach,
  sweep: foldSweep,
  ledger: () => undefined,
};

/**
 * Folds the events of one subject, whatever its kind. With several subjects in the list, the
 * one of the earliest event (or `subjectId`) is folded and the others are ignored.
 */
export function foldSubject(events: readonly DomainEvent[], subjectId?: string): SubjectState | undefined {
  let first: DomainEvent | undefined;
  for (const e of events) {
    if (subjectId !== undefined && e.subjectId !== subjectId) continue;
    if (!first || compareEvents(e, first) < 0) first = e;
  }
  if (!first) return undefined;
  return FOLDS[subjectKindOf(first.type)](events, first.subjectId);
}

/** Events grouped by subjectId (each list in input order; folds sort and de-duplicate). */
export function groupBySubject(events: readonly DomainEvent[]): Map<string, DomainEvent[]> {
  const groups = new Map<string, DomainEvent[]>();
  for (const e of events) {
    const list = groups.get(e.subjectId);
    if (list) list.push(e);
    else groups.set(e.subjectId, [e]);
  }
  return groups;
}

/** Every subject's state from a mixed list of events. */
export function foldAll(events: readonly DomainEvent[]): SubjectState[] {
  const out: SubjectState[] = [];
  for (const [subjectId, list] of groupBySubject(events)) {
    const s = foldSubject(list, subjectId);
    if (s) out.push(s);
  }
  return out;
}
