// Folds: one subject's events → its current state. Import from '#shared/fold/index'.
import { subjectKindOf, type DomainEvent } from '../events.ts';
import { foldCase, type CaseState } from './case.ts';
import { foldOutreach, type OutreachState } from './outreach.ts';
import { foldSweep, type SweepState } from './sweep.ts';
import { compareEvents } from './order.ts';

export * from './case.ts';
export * from './outreach.ts';
export * from './sweep.ts';
export { compareEvents } from './order.ts';

export type SubjectState = CaseState | OutreachState | SweepState;

/**
 * Folds one subject: `subjectId`, else the subject of the earliest event (compareEvents). It
 * folds as the kind of that subject's earliest event; events of other subjects, and of other
 * kinds under the same subject, are ignored. Undefined when the list holds none of it, or
 * when it is an office ledger entry (those are read as events, #shared/office/ledgers).
 */
export function foldSubject(events: readonly DomainEvent[], subjectId?: string): SubjectState | undefined {
  let first: DomainEvent | undefined;
  for (const e of events) {
    if (subjectId !== undefined && e.subjectId !== subjectId) continue;
    if (!first || compareEvents(e, first) < 0) first = e;
  }
  if (!first) return undefined;
  switch (subjectKindOf(first.type)) {
    case 'case':
      return foldCase(events, first.subjectId);
    case 'outreach':
      return foldOutreach(events, first.subjectId);
    case 'sweep':
      return foldSweep(events, first.subjectId);
    case 'ledger':
      return undefined;
  }
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
