// Whether a written date or time exists on the calendar. Apart from the event schemas
// (events.ts) so that code on the phone's start path can check a date without loading them.

/**
 * Whether "YYYY-MM-DD[THH:MM[:SS]]" names a day and time that exist. Date.parse is not enough:
 * it rolls 2025-02-30 over to 3 March and reads T24:00 as the next midnight.
 */
export function existsOnCalendar(s: string): boolean {
  const [y, m, d, hh = 0, mm = 0, ss = 0] = (s.match(/\d+/g) ?? []).slice(0, 6).map(Number) as number[];
  if (y === undefined || m === undefined || d === undefined) return false;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth && hh <= 23 && mm <= 59 && ss <= 59;
}

/** Whether a YYYY-MM-DD date exists (no 2月30日). */
export const isCalendarDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && existsOnCalendar(s);
