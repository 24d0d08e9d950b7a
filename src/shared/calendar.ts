// Whether a written date or time exists on the calendar. Apart from the event schemas
// (events.ts) so that code on the phone's start path can check a date without loading them.

/**
 * Whether "YYYY-MM-DD[THH:MM[:SS]]" names a day and time that exist. Date.parse is not enough:
 * it rolls 2025-02-30 over to 3 March and reads T24:00 as the next midnight.
 */
export function existsOnCalendar(s: string): boolean {
  // One exec, no Date: every event carries two such times and a push checks thousands.
  const p = PARTS.exec(s);
  if (!p) return false;
  const [y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0] = p.slice(1).map((x) => (x === undefined ? undefined : +x));
  const days = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return m >= 1 && m <= 12 && d >= 1 && d <= days && hh <= 23 && mm <= 59 && ss <= 59;
}

// The date, then nothing or a time: "T1:00" or "T10:x0" is no time, and no date either.
const PARTS = /^(\d{4})-(\d\d)-(\d\d)(?:$|T(\d\d):(\d\d)(?::(\d\d))?(?!\d))/;

/** Whether a YYYY-MM-DD date exists (no 2月30日). */
export const isCalendarDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && existsOnCalendar(s);
