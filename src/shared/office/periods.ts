// When a period (a month, or month 0 = the whole year) may be closed (结账): once it is over,
// that is from the day after its last day, local time. A close keeps the figures as they stand,
// for good, and lists every later record as 迟报: a month closed before its end would be
// reported short and every record of its remaining days would arrive "late".
import { daysInMonth, formatLocalDate } from '../time.ts';

/** The period's last local day, YYYY-MM-DD. */
export function periodLastDay(year: number, month: number): string {
  return month === 0 ? formatLocalDate(year, 12, 31) : formatLocalDate(year, month, daysInMonth(year, month));
}

/** Whether the period is over on the local date `today` (YYYY-MM-DD). */
export function periodIsOver(year: number, month: number, today: string): boolean {
  return today > periodLastDay(year, month);
}
