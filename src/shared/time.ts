// Local time. Statistics count a record in the day, month and year it has in the deployment's
// time zone, whatever offset the phone sent: 2024-12-31T15:30:00Z is New Year's Eve in
// Shanghai, 2024-12-31T16:10:00Z is already 2025. Everything here is pure and zone-explicit.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** YYYY-MM-DD */
  date: string;
}

// Building an Intl formatter costs far more than using one, and projections call this per event.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', calendar: 'gregory', numberingSystem: 'latn' });
    dateFormatters.set(timeZone, f);
  }
  return f;
}

function dateTimeFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateTimeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    dateTimeFormatters.set(timeZone, f);
  }
  return f;
}

function partsOf(f: Intl.DateTimeFormat, ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Formats a calendar date as YYYY-MM-DD (years 0–9999). */
export function formatLocalDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 100_000;
// Zone offset per UTC hour, per zone: Intl costs ~2 µs a call and projections call this per
// event. No zone changes its offset twice within an hour, so an hour whose start and end share
// an offset has it throughout; the rare hours with a transition go to Intl every time.
const hourOffsets = new Map<string, Map<number, number>>();

function offsetMsAt(ms: number, timeZone: string): number {
  const p = partsOf(dateTimeFormatter(timeZone), ms);
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

function cachedOffsetMs(ms: number, timeZone: string): number {
  let cache = hourOffsets.get(timeZone);
  if (!cache) {
    cache = new Map();
    hourOffsets.set(timeZone, cache);
  }
  const hour = Math.floor(ms / HOUR_MS);
  const held = cache.get(hour);
  if (held !== undefined) return held;
  const start = offsetMsAt(hour * HOUR_MS, timeZone);
  const end = offsetMsAt(hour * HOUR_MS + HOUR_MS - 1000, timeZone);
  if (start !== end) return offsetMsAt(ms, timeZone);
  if (cache.size >= MAX_CACHED_HOURS) cache.clear();
  cache.set(hour, start);
  return start;
}

/** The calendar date an instant has in a time zone. Invalid input gives year 0 ("0000-00-00"). */
export function localParts(iso: string, timeZone: string = DEFAULT_TIME_ZONE): LocalParts {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { year: 0, month: 0, day: 0, date: '0000-00-00' };
  const wall = new Date(ms + cachedOffsetMs(ms, timeZone));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth() + 1;
  const day = wall.getUTCDate();
  return { year, month, day, date: formatLocalDate(year, month, day) };
}

/** The calendar date by Intl alone, without the offset cache: the reference localParts is tested against. */
export function localPartsUncached(iso: string, timeZone: string = DEFAULT_TIME_ZONE): LocalParts {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { year: 0, month: 0, day: 0, date: '0000-00-00' };
  const p = partsOf(dateFormatter(timeZone), ms);
  const year = p.year ?? 0;
  const month = p.month ?? 0;
  const day = p.day ?? 0;
  return { year, month, day, date: formatLocalDate(year, month, day) };
}

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateOf(iso: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  return localParts(iso, timeZone).date;
}

/** Minutes east of UTC that a zone has at an instant (+480 for Asia/Shanghai). */
export function zoneOffsetMinutes(date: Date, timeZone: string): number {
  return Math.round(offsetMsAt(date.getTime(), timeZone) / 60_000);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * An instant written with the local wall-clock time and its offset, e.g.
 * "2024-12-31T23:30:00.000+08:00": what the phone stamps occurredAt with, so the record reads
 * the way the user lived it. Without a zone, the device's own zone is used.
 */
export function nowIsoWithOffset(date: Date = new Date(), timeZone?: string): string {
  const offset = timeZone === undefined ? -date.getTimezoneOffset() : zoneOffsetMinutes(date, timeZone);
  const wall = new Date(date.getTime() + offset * 60_000);
  return `${wall.toISOString().slice(0, 23)}${formatOffset(offset)}`;
}

/** Whole 24-hour periods from a to b (negative when b is earlier), truncated toward zero. */
export function daysBetween(aIso: string, bIso: string): number {
  const diff = Date.parse(bIso) - Date.parse(aIso);
  if (Number.isNaN(diff)) return 0;
  return Math.trunc(diff / DAY_MS);
}

/** Calendar days from local date a to local date b (both YYYY-MM-DD). */
export function daysBetweenDates(aDate: string, bDate: string): number {
  const diff = Date.parse(`${bDate}T00:00:00Z`) - Date.parse(`${aDate}T00:00:00Z`);
  if (Number.isNaN(diff)) return 0;
  return Math.round(diff / DAY_MS);
}

/** A local date moved by n calendar days. */
export function addDays(date: string, n: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + n * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether Intl knows a zone name: check configuration once instead of failing per record. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
