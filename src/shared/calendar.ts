// Whether a written date or time exists on the calendar. Apart from the event schemas
// (events.ts) so that code on the phone's start path can check a date without loading them.

/**
 * Whether "YYYY-MM-DD[THH:MM[:SS]]" names a day and time that exist. Date.parse is not enough:
 * it rolls 2025-02-30 over to 3 March and reads T24:00 as the next midnight.
 */
export function existsOnCalendar(s: string): boolean {
  // Every event carries two such times: read the digits in place (a push checks thousands).
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || m < 0 || d < 0 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return false;
  const time = s.length > 10;
  const hh = time ? digits(s, 11, 2) : 0;
  const mm = time ? digits(s, 14, 2) : 0;
  const ss = time && s.charCodeAt(16) === COLON ? digits(s, 17, 2) : 0;
  if (hh < 0 || mm < 0 || ss < 0) return false;
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && hh <= 23 && mm <= 59 && ss <= 59;
}

const DASH = 0x2d;
const COLON = 0x3a;

/** The number written by `length` decimal digits at `from`, or -1 when any is not a digit. */
function digits(s: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Whether a YYYY-MM-DD date exists (no 2月30日). */
export const isCalendarDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && existsOnCalendar(s);
