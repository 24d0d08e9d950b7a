// GET /api/stats/pivot: any summary measure by two dimensions, with 同比 and 环比. The rows are
// the summary's own GROUP BY aggregates, month by month so that every measure can be split by
// month, for the period, the same months a year before and the period before: all of them read
// in ONE snapshot (store.statsSnapshot), so a push committing meanwhile is in every cell or in
// none. The counting is #shared/stats/pivot's, which hands each cell to the shared
// summarizeFactRows. No definition lives here.
import { recordsPageHref } from '#shared/office/records';
import { listedOnlyWithRecords } from '#shared/org-rules';
import {
  axisKeys,
  cellKey,
  measureOf,
  monthsOfPeriod,
  pivotLink,
  pivotValues,
  previousPeriodOf,
  samePeriodLastYearOf,
  type MonthRows,
  type PivotAxisKey,
  type PivotDimension,
  type PivotMeasure,
  type PivotResponse,
  type PivotValues,
} from '#shared/stats/pivot';
import type { PeriodQuery } from '#shared/stats/summary';
import type { OrgTree } from '../access/org-tree.ts';
import type { StatsAggregates } from '../storage/event-store.ts';
import type { StatsQuery, StatsSnapshotStore } from '../storage/stats-snapshot-store.ts';
import { factRowsOfAggregates } from './stats.ts';

/** A period's months as snapshot queries, each tagged with the month of `alignTo` at the same position (同比/环比 cells line up). */
function monthQueriesOf(period: PeriodQuery, alignTo: PeriodQuery = period): { query: StatsQuery; month: number }[] {
  const targets = monthsOfPeriod(alignTo);
  return monthsOfPeriod(period).map((month, i) => ({ query: { year: period.year, fromMonth: month, toMonth: month }, month: targets[i] ?? month }));
}

function monthRowsOf(plan: { month: number }[], aggregates: StatsAggregates[], subtree: ReadonlySet<string>): MonthRows[] {
  return plan.map(({ month }, i) => ({ month, rows: factRowsOfAggregates(aggregates[i]!, subtree) }));
}

const periodLabelOf = (q: PeriodQuery) =>
  q.month !== undefined ? `${q.year}年${q.month}月` : q.quarter !== undefined ? `${q.year}年第${q.quarter}季度` : `${q.year}年`;

export async function pivotOf(
  store: StatsSnapshotStore,
  tree: OrgTree,
  q: PeriodQuery & { orgUnitId: string; measure: PivotMeasure; rows: PivotDimension; cols: PivotDimension },
): Promise<PivotResponse> {
  const { orgUnitId, measure, rows, cols } = q;
  const period: PeriodQuery = { year: q.year, ...(q.month !== undefined ? { month: q.month } : q.quarter !== undefined ? { quarter: q.quarter } : {}) };
  const subtree = new Set(tree.subtree(orgUnitId));
  const childOfMap = new Map<string, string>();
  for (const child of tree.childrenOf(orgUnitId)) for (const id of tree.subtree(child.id)) childOfMap.set(id, child.id);
  const spec = { measure, rows, cols, childOf: (id: string) => childOfMap.get(id) };

  const lastYearQ = samePeriodLastYearOf(period);
  const previousQ = previousPeriodOf(period);
  const plans = [monthQueriesOf(period), monthQueriesOf(lastYearQ, period), previousQ ? monthQueriesOf(previousQ, period) : []];
  const all = await store.statsSnapshot(plans.flat().map((p) => p.query));
  const [currentRows, lastYearRows, previousRows] = plans.map((plan, k) => {
    const from = plans.slice(0, k).reduce((n, p) => n + p.length, 0);
    return monthRowsOf(plan, all.slice(from, from + plan.length), subtree);
  });
  const current = pivotValues(currentRows!, spec, period);
  const lastYear = pivotValues(lastYearRows!, spec, lastYearQ);
  const previous = previousQ ? pivotValues(previousRows!, spec, previousQ) : null;

  const seen = (pick: (k: string) => string) => {
    const s = new Set<string>();
    for (const v of [current, lastYear, previous]) if (v) for (const k of Object.keys(v.cells)) s.add(pick(k));
    return s;
  };
  // As in the workbook's 按单位 sheets: a 调委会 or 调解室 is a row only when some compared period has a figure of it.
  const held = new Set<string>();
  for (const v of [current, lastYear, previous])
    if (v) for (const totals of [v.rowTotals, v.colTotals]) for (const [k, n] of Object.entries(totals)) if (n !== 0) held.add(k);
  const hidden = new Set(
    tree
      .childrenOf(orgUnitId)
      .filter((u) => listedOnlyWithRecords(u) && !held.has(u.id))
      .map((u) => u.id),
  );
  const shown = (dim: PivotDimension, keys: PivotAxisKey[]) => (dim === 'unit' ? keys.filter((k) => !hidden.has(k.key)) : keys);
  const ctx = {
    months: monthsOfPeriod(period),
    units: tree.childrenOf(orgUnitId).map((u) => ({ key: u.id, label: u.name })),
    self: { key: orgUnitId, label: tree.get(orgUnitId)?.name ?? orgUnitId },
  };
  const rowKeys = shown(
    rows,
    axisKeys(
      rows,
      seen((k) => k.split('\u0000')[0]!),
      ctx,
    ),
  );
  const colKeys = shown(
    cols,
    axisKeys(
      cols,
      seen((k) => k.split('\u0000')[1]!),
      ctx,
    ),
  );

  const links: Record<string, string> = {};
  const base = {
    year: period.year,
    orgUnitId,
    ...(period.month !== undefined ? { month: period.month } : {}),
    ...(period.quarter !== undefined ? { quarter: period.quarter } : {}),
  };
  const put = (key: string, keys: Partial<Record<PivotDimension, string>>) => {
    const link = pivotLink(base, measure, keys);
    if (link) links[key] = recordsPageHref(link);
  };
  for (const r of rowKeys) {
    put(cellKey(r.key, '*'), { [rows]: r.key });
    for (const c of colKeys) put(cellKey(r.key, c.key), rows === cols ? { [rows]: r.key } : { [rows]: r.key, [cols]: c.key });
  }
  for (const c of colKeys) put(cellKey('*', c.key), { [cols]: c.key });
  put(cellKey('*', '*'), {});

  return {
    measure,
    measureLabel: measureOf(measure).label,
    rows,
    cols,
    rowKeys,
    colKeys,
    current,
    lastYear,
    previous,
    links,
    period: { label: periodLabelOf(period), lastYear: periodLabelOf(lastYearQ), previous: previousQ ? periodLabelOf(previousQ) : null },
  };
}

/** The value of a cell (0 where no record falls). */
export function valueAt(v: PivotValues, row: string, col: string): number {
  if (row === '*' && col === '*') return v.total;
  if (col === '*') return v.rowTotals[row] ?? 0;
  if (row === '*') return v.colTotals[col] ?? 0;
  return v.cells[cellKey(row, col)] ?? 0;
}
