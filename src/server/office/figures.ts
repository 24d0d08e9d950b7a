// A period's figures for a subtree, from the same SQL aggregates as GET /api/stats/summary
// (services/stats.ts, held equal to the shared reference `summarize`), so the dashboard, the
// exports, the report and a period close always show one set of numbers.
import type { SweepState } from '#shared/fold/index';
import type { PeriodQuery, Summary } from '#shared/stats/summary';
import { localParts } from '#shared/time';
import { monthRangeOf, summaryFromAggregates } from '../services/stats.ts';
import type { EventStore } from '../storage/event-store.ts';

export { monthRangeOf };

/** Enough rows for a township's year many times over; a county-wide year is paged by the caller. */
export const STATE_LIMIT = 200_000;

export interface FiguresQuery extends PeriodQuery {
  timeZone: string;
  /** A unit → the child of the queried unit that holds it (the breakdowns' keys). */
  childOf?: (orgUnitId: string) => string | undefined;
}

/** The summary of the period over `units` (the readable part of the queried subtree). */
export async function figuresOf(store: EventStore, units: readonly string[], q: FiguresQuery): Promise<{ summary: Summary; seq: number }> {
  const period: PeriodQuery = { year: q.year, ...(q.month !== undefined ? { month: q.month } : q.quarter !== undefined ? { quarter: q.quarter } : {}) };
  const agg = await store.statsAggregates({ year: q.year, ...monthRangeOf(period) });
  const childOf = q.childOf ?? (() => undefined);
  return { summary: summaryFromAggregates(agg, period, { subtree: new Set(units), childOf }), seq: agg.seq };
}

export interface GridSweeps {
  id: string;
  name: string;
  /** The village or community the grid belongs to. */
  parentName: string;
  count: number;
  zeroReports: number;
  disputesFound: number;
  /** Latest sweep's local date in the period, '' when none. */
  lastDate: string;
}

/** Sweeps per grid of the subtree (every grid listed, 0 when it reported nothing). */
export function sweepsByGrid(
  grids: readonly { id: string; name: string; parentName: string }[],
  sweeps: readonly SweepState[],
  timeZone: string,
): GridSweeps[] {
  const byId = new Map<string, GridSweeps>(grids.map((g) => [g.id, { ...g, count: 0, zeroReports: 0, disputesFound: 0, lastDate: '' }]));
  for (const s of sweeps) {
    const g = byId.get(s.orgUnitId);
    if (!g || s.voided || !s.occurredAt) continue;
    g.count++;
    if (s.zeroReport) g.zeroReports++;
    g.disputesFound += s.disputesFound;
    const date = localParts(s.occurredAt, timeZone).date;
    if (date > g.lastDate) g.lastDate = date;
  }
  return [...byId.values()];
}
