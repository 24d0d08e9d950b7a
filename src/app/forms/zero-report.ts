// 零报告 (a sweep that found no dispute), shared by 排查 and the two-tap entry on 首页: the event
// it saves, the households typed and how they are checked (one rule for both forms), the grid's
// last households to start from, and what was already reported for the same grid and day: a
// second zero report is most likely a double tap or a colleague's, and one after a sweep that
// found disputes says the opposite of it, so the worker is asked before either is saved.
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

/**
 * The most households one sweep visits, as the phone checks 走访户数: a grid is a few hundred
 * households, so more is a slip of the thumb (50000 for 500) that would go straight into the
 * township's figures. The event schema still takes up to 100 000, as the server always has, so a
 * record made by an older phone keeps syncing.
 */
const MAX_HOUSEHOLDS = 5000;

/** 走访户数 as typed: undefined when blank, else the count, or why it is not one (in Chinese, said at the field). */
export function readHouseholds(text: string): { ok: true; value: number | undefined } | { ok: false; message: string } {
  // A Chinese keyboard may type the full-width forms: read as their ASCII twins.
  const t = text.trim().replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (t === '') return { ok: true, value: undefined };
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n > MAX_HOUSEHOLDS) return { ok: false, message: `走访户数超过 ${MAX_HOUSEHOLDS} 户，请核对（一个网格通常只有几百户）` };
    return { ok: true, value: n };
  }
  if (/^[-−]\s*\d*\.?\d+$/.test(t)) return { ok: false, message: '走访户数不能为负数' };
  if (/^\d*\.\d*$/.test(t) && /\d/.test(t)) return { ok: false, message: '走访户数应为整数' };
  return { ok: false, message: '走访户数应为数字，如 30' };
}

/** The households of the grid's last zero report that gave them (not voided): where the next one starts. */
export function lastZeroReportHouseholds(records: readonly SubjectRecord[] | undefined, orgUnitId: string): number | undefined {
  if (!orgUnitId) return undefined;
  const given = (records ?? [])
    .map((r) => r.state as SweepState)
    .filter((s) => s.kind === 'sweep' && !s.voided && s.zeroReport && s.orgUnitId === orgUnitId && s.households > 0)
    .sort((a, b) => Date.parse(a.occurredAt ?? '') - Date.parse(b.occurredAt ?? ''));
  return given[given.length - 1]?.households;
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
