// Small conversions between what forms hold (strings as typed) and what events carry, and
// the Chinese display of dates, codes and states.
import { nowIsoWithOffset } from '#shared/time';
import { CASE_RESULTS, CASE_STATUS_LABELS, DISPUTE_TYPES, labelOf, rollUpDisputeType } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import { isCalendarDate } from '#shared/calendar';
import type { Issue } from '#shared/events';

/** Today's date on this phone, YYYY-MM-DD. */
export function todayLocal(now: Date = new Date()): string {
  return nowIsoWithOffset(now).slice(0, 10);
}

/** The current time on this phone, HH:MM. */
export function nowTimeLocal(now: Date = new Date()): string {
  return nowIsoWithOffset(now).slice(11, 16);
}

/**
 * A date (and time) as the user picked them on this phone, as an instant with the phone's
 * offset at that moment. A bad date comes back as the raw text for the schema to refuse.
 */
export function localInputToIso(date: string, time = ''): string {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  // new Date() would roll 2月30日 over to 3月2日 and save a day nobody picked.
  if (!d || !isCalendarDate(date)) return date;
  const at = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), t ? Number(t[1]) : 12, t ? Number(t[2]) : 0);
  return nowIsoWithOffset(at);
}

/** occurredAt for a picked date (and time): now when the date is today and no time is given. */
export function occurredAtOf(date: string, time = ''): string {
  if (time === '' && date === todayLocal()) return nowIsoWithOffset();
  return localInputToIso(date, time);
}

/**
 * An instant as a person reads it: one written with an offset keeps its own wall clock (the
 * record reads the way the user lived it); one in UTC ("…Z", older server-written events)
 * is shown in the phone's local time, never as UTC.
 */
function wallClockOf(iso: string): string {
  if (!/Z$/i.test(iso)) return iso;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : nowIsoWithOffset(at);
}

/** "2024-05-01" from an instant (its own wall-clock date, or the phone's for a UTC one). */
export function dateOf(iso: string | undefined): string {
  return iso ? wallClockOf(iso).slice(0, 10) : '';
}

export function dateTimeOf(iso: string | undefined): string {
  if (!iso) return '';
  const wall = wallClockOf(iso);
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
}

/**
 * What a Chinese keyboard types in full width (１２, ．, －, Ｘ, ，) as its ASCII twin, and the
 * ideographic space as a space: a number or a phone typed so is the same number or phone.
 */
export function asciiForms(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Parses a count typed by the user: '' → undefined, bad → NaN (for the error message, countProblem). */
export function parseCount(text: string): number | undefined {
  const t = asciiForms(text).trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Why a typed count is not one, named by its field: a negative is not "应为整数". */
export function countProblem(label: string, text: string): string {
  const t = asciiForms(text).trim();
  if (/^[-−]\s*\d*\.?\d+$/.test(t)) return `${label}不能为负数`;
  if (/^\d*\.\d+$/.test(t)) return `${label}应为整数`;
  return `${label}应为数字`;
}

/** An amount in yuan as typed: full-width digits, thousands separators (5,000) and a trailing 元 are taken. */
export function parseAmount(text: string): number | undefined {
  let t = asciiForms(text)
    .trim()
    .replace(/\s*元$/, '');
  if (t === '') return undefined;
  if (/^\d{1,3}([,，]\d{3})+(\.\d{1,2})?$/.test(t)) t = t.replace(/[,，]/g, '');
  return /^\d+(\.\d{1,2})?$/.test(t) ? Number(t) : Number.NaN;
}

/** "张三，李四" / "张三 李四" → ['张三', '李四']. */
export function parseNames(text: string): string[] | undefined {
  const names = text
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length > 0 ? names : undefined;
}

/** Field errors keyed by path without the leading "data." (e.g. "parties.0.name"). */
export function errorsByField(issues: readonly Issue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.replace(/^data\.?/, '') || '_';
    out[key] ??= i.message;
  }
  return out;
}

/**
 * The status a person reads for a case. An open case no session was recorded for is 待调解: a
 * grid worker's registration waits for the mediator, and does not read as being mediated.
 * `mediated` undefined (a list summary from before the field) reads 调解中, as before.
 */
export function caseStatusLabel(state: Pick<CaseState, 'status' | 'reopened' | 'hasOpened'> & { closure?: { result: string }; mediated?: boolean }): string {
  if (state.status === 'voided') return CASE_STATUS_LABELS.voided;
  if (state.status === 'closed' && state.closure) return labelOf(CASE_RESULTS, state.closure.result);
  if (state.reopened) return '重新调解中';
  if (!state.hasOpened) return '待登记信息';
  if (state.mediated === false) return '待调解';
  return CASE_STATUS_LABELS.open;
}

export function caseNumberLabel(state: { caseNumber?: string }): string {
  return state.caseNumber ?? '待编号';
}

/** "婚姻家庭纠纷（离婚）" for a sub-type, the category's label for a category. */
export function disputeTypeLabel(code: string | undefined): string {
  if (!code) return '';
  const top = DISPUTE_TYPES.find((t) => t.code === rollUpDisputeType(code));
  const sub = top?.subtypes.find((s) => s.code === code);
  return sub ? `${top?.label ?? ''}（${sub.label}）` : (top?.label ?? code);
}
