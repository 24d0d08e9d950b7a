// Due work of cases: the 回访 each successful agreement needs (a week after closing, or
// once the performance deadline has passed, as isFollowupDue decides) and the 履行期限 of
// agreements not yet reported as fully performed. Dates are local calendar days.
import type { CaseState } from './case.ts';
import { addDays, DEFAULT_TIME_ZONE, localDateOf } from '../time.ts';

export type DueKind = 'followup' | 'performance';

export interface DueItem {
  kind: DueKind;
  /** YYYY-MM-DD: the day the work falls due. */
  date: string;
  state: CaseState;
}

export const DUE_LABELS: Readonly<Record<DueKind, string>> = { followup: '回访', performance: '履行期限' };

/** Days ahead that count as coming due: a worker plans the week. */
export const DUE_AHEAD_DAYS = 7;

function agreed(state: CaseState): boolean {
  const c = state.closure;
  return state.status === 'closed' && c !== undefined && c.result === 'success' && c.agreementForm !== 'none';
}

/** The day a 回访 falls due, unless one was made since the closure. */
export function followupDueDate(state: CaseState, timeZone: string = DEFAULT_TIME_ZONE): string | undefined {
  const c = state.closure;
  if (!c || !agreed(state)) return undefined;
  const closedAt = Date.parse(c.occurredAt);
  if (state.followups.some((f) => Date.parse(f.occurredAt) >= closedAt)) return undefined;
  const week = addDays(localDateOf(c.occurredAt, timeZone), 7);
  // isFollowupDue: due once the deadline has passed, i.e. from the day after it.
  const afterDeadline = c.performanceDeadline ? addDays(c.performanceDeadline, 1) : undefined;
  return afterDeadline && afterDeadline < week ? afterDeadline : week;
}

/** The agreed performance deadline, unless full performance was recorded since the closure. */
export function performanceDueDate(state: CaseState): string | undefined {
  const c = state.closure;
  if (!c || !agreed(state) || !c.performanceDeadline) return undefined;
  const closedAt = Date.parse(c.occurredAt);
  if (state.performances.some((p) => p.status === 'full' && Date.parse(p.occurredAt) >= closedAt)) return undefined;
  return c.performanceDeadline;
}

/** Every due item of these cases, the earliest first. */
export function dueItems(states: readonly CaseState[], timeZone: string = DEFAULT_TIME_ZONE): DueItem[] {
  const items: DueItem[] = [];
  for (const state of states) {
    const f = followupDueDate(state, timeZone);
    if (f) items.push({ kind: 'followup', date: f, state });
    const p = performanceDueDate(state);
    if (p) items.push({ kind: 'performance', date: p, state });
  }
  return items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** What is due by `today` plus the days ahead: what 首页 lists. */
export function dueSoon(items: readonly DueItem[], today: string, ahead = DUE_AHEAD_DAYS): DueItem[] {
  const until = addDays(today, ahead);
  return items.filter((i) => i.date <= until);
}

/** "已过期 3 天", "今天到期", "5 天后到期". */
export function dueText(date: string, today: string): string {
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days < 0) return `已过期 ${-days} 天`;
  if (days === 0) return '今天到期';
  return `${days} 天后到期`;
}
