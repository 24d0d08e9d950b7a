// GET /api/stats/summary computed in SQL: the store returns GROUP BY aggregates over the
// projection columns for the whole year/period (a few hundred rows at most, whatever the
// number of events). The columns are the shared facts, so the rows are the shared fact rows
// with counts: this module only keeps one org unit's subtree and hands them to the shared
// summarizeFactRows, the same counting the phone's summarize() does. No definition lives here.
import { summarizeFactRows, type FactRows, type PeriodQuery, type Summary } from '#shared/stats/summary';
import type { StatsAggregates } from '../storage/event-store.ts';

export interface StatsScope {
  /** The queried unit and every unit below it. */
  subtree: ReadonlySet<string>;
  /** A unit of the subtree → the child of the queried unit that contains it (undefined for the unit itself). */
  childOf: (orgUnitId: string) => string | undefined;
}

export function monthRangeOf(q: PeriodQuery): { fromMonth: number; toMonth: number } {
  if (q.month !== undefined) return { fromMonth: q.month, toMonth: q.month };
  if (q.quarter !== undefined) return { fromMonth: (q.quarter - 1) * 3 + 1, toMonth: q.quarter * 3 };
  return { fromMonth: 1, toMonth: 12 };
}

// PostgreSQL answers count/sum over integers as strings (int8, numeric): every figure goes through this.
const num = (x: number | string | null): number => (x === null ? 0 : Number(x));

/** The fact rows of a subtree from the period's aggregates. */
export function factRowsOfAggregates(agg: StatsAggregates, subtree: ReadonlySet<string>): FactRows {
  const inScope = (r: { orgUnitId: string }) => subtree.has(r.orgUnitId);
  return {
    accepted: agg.accepted.filter(inScope).map((r) => ({ orgUnitId: r.orgUnitId, cases: num(r.cases) })),
    closed: agg.closed.filter(inScope).map((r) => ({
      ...r,
      month: num(r.month),
      withAgreement: num(r.withAgreement) === 1,
      performedFull: num(r.performedFull) === 1,
      cases: num(r.cases),
      peopleInvolved: num(r.peopleInvolved),
      amountCents: num(r.amountCents),
    })),
    outreach: agg.outreach.filter(inScope).map((r) => ({ ...r, month: num(r.month), sessions: num(r.sessions), audience: num(r.audience) })),
    outreachThemes: agg.outreachThemes.filter(inScope).map((r) => ({ ...r, sessions: num(r.sessions) })),
    sweeps: agg.sweeps.filter(inScope).map((r) => ({
      orgUnitId: r.orgUnitId,
      count: num(r.count),
      zeroReports: num(r.zeroReports),
      households: num(r.households),
      disputesFound: num(r.disputesFound),
    })),
  };
}

/** The summary of one subtree from the period's aggregates: the same figures as `summarize`. */
export function summaryFromAggregates(agg: StatsAggregates, q: PeriodQuery, scope: StatsScope): Summary {
  return summarizeFactRows(factRowsOfAggregates(agg, scope.subtree), { ...q, childOf: scope.childOf });
}
