import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { existsOnCalendar, isCalendarDate } from '#shared/calendar';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar as Date knows it: a day and time exist when Date.UTC does not roll them over. */
function exists(y: number, m: number, d: number, hh: number, mm: number, ss: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d, hh, mm, ss));
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === m - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === hh &&
    t.getUTCMinutes() === mm &&
    t.getUTCSeconds() === ss
  );
}

describe('existsOnCalendar', () => {
  it('agrees with the calendar on every date and time written in the schemas’ forms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.constantFrom('', ':ss', ':ss.123'),
        fc.constantFrom('Z', '+08:00', '-05:30'),
        (y, m, d, hh, mm, ss, seconds, zone) => {
          const date = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
          const inDate = exists(y, m, d, 0, 0, 0) && m >= 1 && m <= 12;
          expect(existsOnCalendar(date)).toBe(inDate);
          expect(isCalendarDate(date)).toBe(inDate);
          const time = `${date}T${pad(hh)}:${pad(mm)}${seconds.replace('ss', pad(ss))}${zone}`;
          expect(existsOnCalendar(time)).toBe(inDate && hh <= 23 && mm <= 59 && (seconds === '' || ss <= 59));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('knows the leap years', () => {
    expect(existsOnCalendar('2024-02-29')).toBe(true);
    expect(existsOnCalendar('2023-02-29')).toBe(false);
    expect(existsOnCalendar('1900-02-29')).toBe(false);
    expect(existsOnCalendar('2000-02-29T23:59:59+08:00')).toBe(true);
  });

  it('refuses what is not written digit by digit', () => {
    for (const s of ['', '2024', '2024-1-05', '2024-01-0a', '２０２４-01-01', '2024/01/01', '2024-01-01T1:00Z', '2024-01-01T10:x0Z']) {
      expect(existsOnCalendar(s), s).toBe(false);
    }
  });
});
