// GET /api/stats/summary computed in SQL: the store returns GROUP BY aggregates over the
// projection columns for the whole year/period (a few hundred rows at most, whatever the
// number of events). The columns are the shared facts, so the rows are the shared fact rows
// with counts: this module only keeps one org unit's subtree and hands them to the shared
// summarizeFactRows, the same counting the phone's summarize() does. No definition lives here.
import { summarizeFactRows, type FactRows, type PeriodQuery, type Summary } from '#shared/stats/summary';
import type { StatsAggregates, StatsRollup } from '../storage/event-store.ts';

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

/**
 * The summary of a unit's subtree from its rollup (storage/event-sql.ts: its own rows are its
 * subtree's fact rows summed, its children's give byOrgUnit), counted by the same
 * summarizeFactRows: the rows are the fact rows of the whole subtree under the unit's id.
 */
export function summaryFromRollup(rollup: StatsRollup, q: PeriodQuery, orgUnitId: string): Summary {
  const rows: FactRows = { accepted: [], closed: [], outreach: [], outreachThemes: [], sweeps: [] };
  const orNull = (k: string) => (k === '' ? null : k);
  for (const r of rollup.rows) {
    const n = num(r.n);
    if (r.fact === 'accepted') rows.accepted.push({ orgUnitId, cases: n });
    else if (r.fact === 'closed')
      rows.closed.push({
        orgUnitId,
        month: num(r.month),
        result: orNull(r.k1),
        disputeType: r.k2,
        sourceKey: r.k3,
        channel: r.k4,
        withAgreement: num(r.k5) === 1,
        performedFull: num(r.k6) === 1,
        cases: n,
        peopleInvolved: num(r.v1),
        amountCents: num(r.v2),
      });
    else if (r.fact === 'outreach')
      rows.outreach.push({ orgUnitId, month: num(r.month), form: orNull(r.k1), campaign: orNull(r.k2), sessions: n, audience: num(r.v1) });
    else if (r.fact === 'theme') rows.outreachThemes.push({ orgUnitId, theme: r.k1, sessions: n });
    else if (r.fact === 'sweep') rows.sweeps.push({ orgUnitId, count: n, zeroReports: num(r.v1), households: num(r.v2), disputesFound: num(r.v3) });
  }
  const summary = summarizeFactRows(rows, q);
  // Every fact row is the unit's: byOrgUnit holds the subtree's total under its id. Split it
  // into the children's and what is left for the unit itself, as childOf keys them.
  for (const [by, fact] of [
    [summary.mediation.byOrgUnit, 'resolved'],
    [summary.outreach.byOrgUnit, 'sessions'],
  ] as const) {
    let own = by[orgUnitId] ?? 0;
    delete by[orgUnitId];
    for (const c of rollup.children) {
      if (c.fact !== fact) continue;
      by[c.unitId] = num(c.n);
      own -= num(c.n);
    }
    if (own > 0) by[orgUnitId] = own;
  }
  return summary;
}
