// 零报告 (a sweep that found no dispute), shared by 排查 and the two-tap entry on 首页: the event
// it saves, and the zero reports already made for the same grid and day (a second one is most
// likely a double tap or a colleague's, so the worker is asked before it is saved).
import type { SweepState } from '#shared/fold/index';
import type { NewEvent, SubjectRecord } from '../storage/index.ts';
import { dateOf, occurredAtOf } from '../format.ts';

/** The zero reports (not voided) of a grid on a day (YYYY-MM-DD, as written). */
export function zeroReportsOn(records: readonly SubjectRecord[] | undefined, orgUnitId: string, day: string): SweepState[] {
  return (records ?? [])
    .map((r) => r.state as SweepState)
    .filter((s) => s.kind === 'sweep' && !s.voided && s.zeroReport && s.orgUnitId === orgUnitId && dateOf(s.occurredAt) === day)
    .sort((a, b) => Date.parse(a.occurredAt ?? '') - Date.parse(b.occurredAt ?? ''));
}

/** The sweep.recorded of a 零报告: no dispute found, the households visited when given. */
export function zeroReportEvent(subjectId: string, orgUnitId: string, day: string, households = 0, note = ''): NewEvent {
  const data: Record<string, unknown> = { households, disputesFound: 0, zeroReport: true };
  if (note.trim()) data.note = note.trim();
  return { type: 'sweep.recorded', subjectId, orgUnitId, occurredAt: occurredAtOf(day), data };
}

/** "今天 14:05 已报过零报告" for the warning on a second one. */
export function alreadyReported(existing: readonly SweepState[], today: string, day: string): string | undefined {
  const last = existing[existing.length - 1];
  if (!last) return undefined;
  const when = day === today ? '今天' : day;
  return `${when} ${last.occurredAt?.slice(11, 16) ?? ''} 已为该网格报过零报告（共 ${existing.length} 次），确定再报一次？`;
}
