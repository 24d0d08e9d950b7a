// 以案定补 grades: the code table, and the grade a case carries (set by the office, proposed by
// its mediator), folded from the case's events.
import type { DomainEvent } from '../events.ts';

export const SUBSIDY_GRADES = [
  { code: 'general', label: '一般' },
  { code: 'difficult', label: '疑难' },
  { code: 'major', label: '重大' },
] as const;
export type SubsidyGrade = (typeof SUBSIDY_GRADES)[number]['code'];

export interface GradeState {
  /** The office's grade (case.graded, written by the server for office staff), latest first. */
  set?: { grade: SubsidyGrade; occurredAt: string; eventId: string; note?: string };
  /** The mediator's proposal (case.grade_proposed), latest. */
  proposed?: { grade: SubsidyGrade; occurredAt: string; eventId: string; note?: string };
}

/** The case's grades from its events, sorted by (occurredAt, id); undefined when none was given. */
export function foldGrade(sorted: readonly DomainEvent[]): GradeState | undefined {
  const out: GradeState = {};
  for (const e of sorted) {
    if (e.type !== 'case.graded' && e.type !== 'case.grade_proposed') continue;
    const entry = { grade: e.data.grade, occurredAt: e.occurredAt, eventId: e.id, ...(e.data.note ? { note: e.data.note } : {}) };
    if (e.type === 'case.graded') out.set = entry;
    else out.proposed = entry;
  }
  return out.set || out.proposed ? out : undefined;
}
