import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addDays, daysBetween, daysBetweenDates, isValidTimeZone, localParts, localPartsUncached, nowIsoWithOffset, zoneOffsetMinutes } from '#shared/time';

describe('localParts', () => {
  test('gives the calendar date in Shanghai whatever offset the instant was sent with', () => {
    expect(localParts('2024-12-31T15:30:00Z')).toEqual({ year: 2024, month: 12, day: 31, date: '2024-12-31' });
    expect(localParts('2024-12-31T16:10Z')).toEqual({ year: 2025, month: 1, day: 1, date: '2025-01-01' });
    expect(localParts('2024-12-31T23:30:00+08:00').date).toBe('2024-12-31');
    expect(localParts('2024-12-31T11:30:00-05:00').date).toBe('2025-01-01');
  });

  test('honours another zone, DST included', () => {
    expect(localParts('2024-12-31T16:10:00Z', 'UTC').date).toBe('2024-12-31');
    expect(localParts('2024-07-01T03:30:00Z', 'America/New_York').date).toBe('2024-06-30');
  });

  test('the cached offsets agree with Intl, around DST changes too', () => {
    const zones = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    const edges = [
      '2024-03-10T06:59:59.999Z',
      '2024-03-10T07:00:00Z',
      '2024-11-03T05:59:59Z',
      '2024-11-03T06:00:00Z',
      '2024-10-05T15:30:00Z',
      '1988-04-09T17:59:59Z',
      '1988-04-09T18:00:00Z',
    ];
    for (const zone of zones) for (const at of edges) expect(localParts(at, zone), `${at} ${zone}`).toEqual(localPartsUncached(at, zone));
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('1980-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }), fc.constantFrom(...zones), (ms, zone) => {
        const iso = new Date(ms).toISOString();
        expect(localParts(iso, zone)).toEqual(localPartsUncached(iso, zone));
      }),
      { numRuns: 2000 },
    );
  });

  test('does not throw on garbage', () => {
    expect(localParts('not a date').year).toBe(0);
  });
});

describe('nowIsoWithOffset', () => {
  test('writes the wall-clock time with the zone offset', () => {
    const d = new Date('2024-12-31T15:30:00Z');
    expect(nowIsoWithOffset(d, 'Asia/Shanghai')).toBe('2024-12-31T23:30:00.000+08:00');
    expect(nowIsoWithOffset(d, 'UTC')).toBe('2024-12-31T15:30:00.000+00:00');
    expect(nowIsoWithOffset(new Date('2024-07-01T12:00:00.250Z'), 'America/New_York')).toBe('2024-07-01T08:00:00.250-04:00');
    expect(Date.parse(nowIsoWithOffset(d))).toBe(d.getTime());
  });

  test('zone names are checked without throwing', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  test('offsets of half-hour zones', () => {
    expect(zoneOffsetMinutes(new Date('2024-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });
});

describe('day arithmetic', () => {
  test('daysBetween counts whole 24-hour periods across offsets', () => {
    expect(daysBetween('2024-03-01T09:00:00+08:00', '2024-03-08T09:00:00+08:00')).toBe(7);
    expect(daysBetween('2024-03-01T09:00:00+08:00', '2024-03-08T00:59:59Z')).toBe(6);
    expect(daysBetween('2024-03-08T09:00:00+08:00', '2024-03-01T09:00:00+08:00')).toBe(-7);
  });

  test('calendar days and adding days across a leap day', () => {
    expect(daysBetweenDates('2024-02-28', '2024-03-01')).toBe(2);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});
