// 零报告 (a sweep that found no dispute), shared by 排查 and the two-tap entry on 首页: the event
// it saves, and what was already reported for the same grid and day: a second zero report is
// most likely a double tap or a colleague's, and one after a sweep that found disputes says the
// opposite of it, so the worker is asked before either is saved.
import type { SweepState } from '#shared/fold/index';
import type { NewEvent, SubjectRecord } from '../storage/index.ts';
import { dateOf, occurredAtOf } from '../format.ts';

/** The zero reports (not voided) of a grid on a day (YYYY-MM-DD, as written). */
function zeroReportsOn(records: readonly SubjectRecord[] | undefined, orgUnitId: string, day: string): SweepState[] {
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
function alreadyReported(existing: readonly SweepState[], today: string, day: string): string | undefined {
  const last = existing[existing.length - 1];
  if (!last) return undefined;
  const when = day === today ? '今天' : day;
  return `${when} ${last.occurredAt?.slice(11, 16) ?? ''} 已为该网格报过零报告（共 ${existing.length} 次），确定再报一次？`;
}

/** "今天已为该网格报告发现纠纷 2 件" when a sweep of the grid that day found disputes (not voided). */
function disputesAlreadyFound(records: readonly SubjectRecord[] | undefined, orgUnitId: string, today: string, day: string): string | undefined {
  const found = (records ?? [])
    .map((r) => r.state as SweepState)
    .filter((s) => s.kind === 'sweep' && !s.voided && !s.zeroReport && s.orgUnitId === orgUnitId && dateOf(s.occurredAt) === day)
    .reduce((n, s) => n + s.disputesFound, 0);
  if (found === 0) return undefined;
  return `${day === today ? '今天' : day}已为该网格报告发现纠纷 ${found} 件，确定报零报告（未发现矛盾纠纷）？`;
}

/** The question a zero report asks before it is saved, and the button that answers it. */
export function zeroReportQuestion(
  records: readonly SubjectRecord[] | undefined,
  orgUnitId: string,
  today: string,
  day: string,
): { warning?: string; button: string } {
  if (!orgUnitId) return { button: '确认零报告' };
  const again = alreadyReported(zeroReportsOn(records, orgUnitId, day), today, day);
  if (again) return { warning: again, button: '仍然再报一次' };
  const found = disputesAlreadyFound(records, orgUnitId, today, day);
  if (found) return { warning: found, button: '仍然报零报告' };
  return { button: '确认零报告' };
}
