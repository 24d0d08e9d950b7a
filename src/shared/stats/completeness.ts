// 报告率 and 及时率: which grids reported (a sweep, 零报告 included) in each month, and which did
// so on time. A month's report is on time when the server received it (receivedAt, not the
// phone's clock) by the end of the deadline day: the month's last day + graceDays, local time.
// 报告率 = grids that reported ÷ grids; 及时率 = grids that reported on time ÷ grids.
import * as v from 'valibot';
import { addDays, daysInMonth, formatLocalDate, localDateOf } from '../time.ts';

export const DEFAULT_GRACE_DAYS = 5;

export interface CompletenessGrid {
  id: string;
  name: string;
  /** The village (community) above the grid; '' when the grid hangs off the queried unit. */
  villageId: string;
  villageName: string;
}

/** A sweep that counts (recorded, not voided): its grid, its local date, when the server first got it. */
export interface SweepReport {
  orgUnitId: string;
  sweptOn: string;
  receivedAt: string;
}

export type GridMonthStatus = 'on_time' | 'late' | 'missing';

export interface RateRow {
  /** Grids expected to report. */
  expected: number;
  reported: number;
  onTime: number;
  /** reported ÷ expected, 4 decimals; null when nothing is expected. */
  reportRate: number | null;
  onTimeRate: number | null;
}

export const STATUS_LABELS: Record<GridMonthStatus, string> = { on_time: '按时', late: '迟报', missing: '未报' };

/** The deadline (local date, inclusive) of a month's reports. */
export function deadlineOf(year: number, month: number, graceDays: number): string {
  return addDays(formatLocalDate(year, month, daysInMonth(year, month)), graceDays);
}

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function rateOf(statuses: readonly GridMonthStatus[]): RateRow {
  const reported = statuses.filter((s) => s !== 'missing').length;
  const onTime = statuses.filter((s) => s === 'on_time').length;
  return { expected: statuses.length, reported, onTime, reportRate: rate(reported, statuses.length), onTimeRate: rate(onTime, statuses.length) };
}

export interface Completeness {
  year: number;
  months: number[];
  graceDays: number;
  /** The zone the deadlines and the sweeps' dates are days of (the deployment's). */
  timeZone: string;
  /** Deadline per month, same order as months. */
  deadlines: string[];
  grids: (CompletenessGrid & { statuses: GridMonthStatus[]; sweeps: number[] })[];
  /** Per village: the rates per month and over the period. */
  villages: { id: string; name: string; byMonth: RateRow[]; all: RateRow }[];
  /** The whole queried unit. */
  total: { byMonth: RateRow[]; all: RateRow };
}

/** A grid's month: on time if any of its sweeps of the month arrived by the deadline, late if one arrived later, else missing. */
export function completenessOf(
  grids: readonly CompletenessGrid[],
  reports: readonly SweepReport[],
  q: { year: number; months: readonly number[]; graceDays: number; timeZone: string },
): Completeness {
  const deadlines = q.months.map((m) => deadlineOf(q.year, m, q.graceDays));
  const best = new Map<string, GridMonthStatus>();
  const counts = new Map<string, number>();
  for (const r of reports) {
    if (Number(r.sweptOn.slice(0, 4)) !== q.year) continue;
    const i = q.months.indexOf(Number(r.sweptOn.slice(5, 7)));
    if (i < 0) continue;
    const key = `${r.orgUnitId}|${i}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const status: GridMonthStatus = localDateOf(r.receivedAt, q.timeZone) <= deadlines[i]! ? 'on_time' : 'late';
    if (best.get(key) !== 'on_time') best.set(key, status);
  }
  const rows = grids.map((g) => ({
    ...g,
    statuses: q.months.map((_, i) => best.get(`${g.id}|${i}`) ?? 'missing'),
    sweeps: q.months.map((_, i) => counts.get(`${g.id}|${i}`) ?? 0),
  }));
  const ratesOf = (subset: typeof rows) => ({
    byMonth: q.months.map((_, i) => rateOf(subset.map((g) => g.statuses[i]!))),
    all: rateOf(subset.flatMap((g) => g.statuses)),
  });
  const villageIds = [...new Set(rows.map((g) => g.villageId))];
  const villages = villageIds.map((id) => {
    const subset = rows.filter((g) => g.villageId === id);
    return { id, name: subset[0]?.villageName ?? id, ...ratesOf(subset) };
  });
  return { year: q.year, months: [...q.months], graceDays: q.graceDays, timeZone: q.timeZone, deadlines, grids: rows, villages, total: ratesOf(rows) };
}

const Rate = v.object({
  expected: v.number(),
  reported: v.number(),
  onTime: v.number(),
  reportRate: v.nullable(v.number()),
  onTimeRate: v.nullable(v.number()),
});
const Rates = v.object({ byMonth: v.array(Rate), all: Rate });

/** GET /api/stats/completeness. */
export const CompletenessResponse = v.object({
  year: v.number(),
  months: v.array(v.number()),
  graceDays: v.number(),
  // Optional: a server from before it was sent counted in China's standard time.
  timeZone: v.optional(v.string()),
  deadlines: v.array(v.string()),
  grids: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      villageId: v.string(),
      villageName: v.string(),
      statuses: v.array(v.picklist(['on_time', 'late', 'missing'])),
      sweeps: v.array(v.number()),
    }),
  ),
  villages: v.array(v.object({ id: v.string(), name: v.string(), ...Rates.entries })),
  total: Rates,
  period: v.string(),
});
export type CompletenessResponse = v.InferOutput<typeof CompletenessResponse>;
