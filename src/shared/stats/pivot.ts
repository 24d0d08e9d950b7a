// The pivot table, 同比 and 环比 over the statistics fact rows: any measure of the summary by
// any two dimensions. Each cell's rows go through the same summarizeFactRows as the summary
// and the figure is read off its result, so a cell, a row total and the grand total are the
// summary's figure over those rows (one definition per figure; the grand total is the summary's).
import * as v from 'valibot';
import { CAMPAIGN_NODES, DISPUTE_TYPES, OUTREACH_FORMS } from '../codes.ts';
import type { RecordMetric, RecordsLink } from '../office/records.ts';
import { CHANNELS, UNKNOWN_KEY } from './facts.ts';
import { summarizeFactRows, type FactRows, type MediationSummary, type OutreachSummary, type PeriodQuery, type SweepSummary } from './summary.ts';

type RowKind = 'accepted' | 'closed' | 'outreach' | 'sweeps';

/** What a measure reads off a summary (the API's summary answer has it too). */
export interface MeasureSource {
  mediation: Pick<MediationSummary, 'accepted' | 'closed' | 'resolved' | 'peopleInvolved' | 'amountInvolved'>;
  outreach: Pick<OutreachSummary, 'sessions' | 'audience'>;
  sweeps: Pick<SweepSummary, 'count' | 'disputesFound'>;
}

/** Labels as shown; 涉及金额 is held in 元 (the summary's figure) and shown in 万元 everywhere. */
export const PIVOT_MEASURES = [
  { code: 'accepted', label: '受理（件）', rows: 'accepted', pick: (s: MeasureSource) => s.mediation.accepted },
  { code: 'closed', label: '结案（件）', rows: 'closed', pick: (s: MeasureSource) => s.mediation.closed },
  { code: 'resolved', label: '化解（件）', rows: 'closed', pick: (s: MeasureSource) => s.mediation.resolved },
  { code: 'peopleInvolved', label: '涉及人数（人）', rows: 'closed', pick: (s: MeasureSource) => s.mediation.peopleInvolved },
  { code: 'amountInvolved', label: '涉及金额（万元）', rows: 'closed', pick: (s: MeasureSource) => s.mediation.amountInvolved },
  { code: 'sessions', label: '宣讲场次', rows: 'outreach', pick: (s: MeasureSource) => s.outreach.sessions },
  { code: 'audience', label: '受众人次', rows: 'outreach', pick: (s: MeasureSource) => s.outreach.audience },
  { code: 'sweeps', label: '排查次数', rows: 'sweeps', pick: (s: MeasureSource) => s.sweeps.count },
  { code: 'disputesFound', label: '发现纠纷（件）', rows: 'sweeps', pick: (s: MeasureSource) => s.sweeps.disputesFound },
] as const satisfies readonly { code: string; label: string; rows: RowKind; pick: (s: MeasureSource) => number }[];
export type PivotMeasure = (typeof PIVOT_MEASURES)[number]['code'];

/** The dimensions, and which rows carry each (a dimension a measure's rows lack is refused). */
export const PIVOT_DIMENSIONS = [
  { code: 'unit', label: '单位', rows: ['accepted', 'closed', 'outreach', 'sweeps'] },
  { code: 'month', label: '月份', rows: ['accepted', 'closed', 'outreach', 'sweeps'] },
  { code: 'type', label: '纠纷类型', rows: ['closed'] },
  { code: 'channel', label: '来源（对接渠道）', rows: ['closed'] },
  { code: 'result', label: '调解结果', rows: ['closed'] },
  { code: 'form', label: '宣讲形式', rows: ['outreach'] },
  { code: 'campaign', label: '宣传节点', rows: ['outreach'] },
] as const satisfies readonly { code: string; label: string; rows: readonly RowKind[] }[];
export type PivotDimension = (typeof PIVOT_DIMENSIONS)[number]['code'];

const measureCodes = PIVOT_MEASURES.map((m) => m.code) as [PivotMeasure, ...PivotMeasure[]];
const dimensionCodes = PIVOT_DIMENSIONS.map((d) => d.code) as [PivotDimension, ...PivotDimension[]];
export const PivotMeasureSchema = v.picklist(measureCodes, '未知的统计指标');
export const PivotDimensionSchema = v.picklist(dimensionCodes, '未知的分组维度');

export function measureOf(code: PivotMeasure) {
  return PIVOT_MEASURES.find((m) => m.code === code)!;
}

/** Whether a measure can be split by a dimension (受理 has no type: it is counted at registration by unit and month only). */
export function dimensionFits(measure: PivotMeasure, dimension: PivotDimension): boolean {
  const rows: readonly RowKind[] = PIVOT_DIMENSIONS.find((d) => d.code === dimension)!.rows;
  return rows.includes(measureOf(measure).rows);
}

/** One month's fact rows; `month` is the month of the compared period they stand for (同比/环比 line base months up with the current ones). */
export interface MonthRows {
  month: number;
  rows: FactRows;
}

export interface PivotSpec {
  measure: PivotMeasure;
  rows: PivotDimension;
  cols: PivotDimension;
  /** A unit → the child of the queried unit that holds it; a record of the queried unit itself keeps its own id (本级). */
  childOf: (orgUnitId: string) => string | undefined;
}

const NOT_RESOLVED = 'not_success';
const NO_CAMPAIGN = 'none';

type AnyRow = { orgUnitId: string } & Partial<{ disputeType: string; channel: string; result: string | null; form: string | null; campaign: string | null }>;

function keyOf(dim: PivotDimension, row: AnyRow, month: number, spec: PivotSpec): string {
  switch (dim) {
    case 'unit':
      return spec.childOf(row.orgUnitId) ?? row.orgUnitId;
    case 'month':
      return String(month);
    case 'type':
      return row.disputeType ?? UNKNOWN_KEY;
    case 'channel':
      return row.channel ?? UNKNOWN_KEY;
    case 'result':
      return row.result === 'success' ? 'success' : NOT_RESOLVED;
    case 'form':
      return row.form ?? UNKNOWN_KEY;
    case 'campaign':
      return row.campaign ?? NO_CAMPAIGN;
  }
}

const emptyRows = (): FactRows => ({ accepted: [], closed: [], outreach: [], outreachThemes: [], sweeps: [] });

/** The figures of a pivot by key: cells[`row\u0000col`], row and column totals, the grand total. */
export interface PivotValues {
  cells: Record<string, number>;
  rowTotals: Record<string, number>;
  colTotals: Record<string, number>;
  total: number;
}

export const cellKey = (row: string, col: string) => `${row}\u0000${col}`;

/** The measure over every cell, row, column and the whole, each through summarizeFactRows. */
export function pivotValues(input: readonly MonthRows[], spec: PivotSpec, period: PeriodQuery): PivotValues {
  const kind = measureOf(spec.measure).rows;
  const buckets = { cells: new Map<string, FactRows>(), rowTotals: new Map<string, FactRows>(), colTotals: new Map<string, FactRows>() };
  const all = emptyRows();
  const into = (map: Map<string, FactRows>, key: string) => {
    let b = map.get(key);
    if (!b) map.set(key, (b = emptyRows()));
    return b;
  };
  for (const { month, rows } of input) {
    for (const row of rows[kind] as readonly AnyRow[]) {
      const r = keyOf(spec.rows, row, month, spec);
      const c = keyOf(spec.cols, row, month, spec);
      for (const target of [into(buckets.cells, cellKey(r, c)), into(buckets.rowTotals, r), into(buckets.colTotals, c), all]) {
        (target[kind] as AnyRow[]).push(row);
      }
    }
  }
  const pick = measureOf(spec.measure).pick;
  const figure = (rows: FactRows) => pick(summarizeFactRows(rows, period));
  const each = (map: Map<string, FactRows>) => Object.fromEntries([...map].map(([k, rows]) => [k, figure(rows)]));
  return { cells: each(buckets.cells), rowTotals: each(buckets.rowTotals), colTotals: each(buckets.colTotals), total: figure(all) };
}

export interface PivotAxisKey {
  key: string;
  label: string;
}

const codeLabels: Record<Exclude<PivotDimension, 'unit' | 'month'>, readonly { code: string; label: string }[]> = {
  type: DISPUTE_TYPES,
  channel: CHANNELS,
  result: [
    { code: 'success', label: '调解成功' },
    { code: NOT_RESOLVED, label: '未化解' },
  ],
  form: OUTREACH_FORMS,
  campaign: [...CAMPAIGN_NODES, { code: NO_CAMPAIGN, label: '非集中宣传' }],
};

/**
 * The keys of an axis in reading order: for units the queried unit's children (every one, a
 * village with nothing is a figure too) then 本级; for months every month of the period; for
 * codes those with records in either compared period, in the code list's order.
 */
export function axisKeys(
  dim: PivotDimension,
  seen: ReadonlySet<string>,
  ctx: { months: readonly number[]; units: readonly PivotAxisKey[]; self: PivotAxisKey },
): PivotAxisKey[] {
  if (dim === 'month') return ctx.months.map((m) => ({ key: String(m), label: `${m}月` }));
  if (dim === 'unit') {
    const keys = [...ctx.units];
    if (seen.has(ctx.self.key)) keys.push({ key: ctx.self.key, label: `${ctx.self.label}（本级）` });
    for (const k of seen) if (!keys.some((u) => u.key === k)) keys.push({ key: k, label: k });
    return keys;
  }
  const list = codeLabels[dim];
  const keys: PivotAxisKey[] = list.filter((c) => seen.has(c.code)).map((c) => ({ key: c.code, label: c.label }));
  for (const k of seen) if (!list.some((c) => c.code === k)) keys.push({ key: k, label: k === UNKNOWN_KEY ? '未填写' : k });
  return keys;
}

/** The records behind a cell: the drill-down of the measure narrowed by both keys (undefined where no filter names the key). */
export function pivotLink(
  base: { year: number; orgUnitId: string; month?: number; quarter?: number },
  measure: PivotMeasure,
  keys: Partial<Record<PivotDimension, string>>,
): RecordsLink | undefined {
  let metric: RecordMetric;
  const kind = measureOf(measure).rows;
  if (kind === 'accepted') metric = 'accepted';
  else if (kind === 'outreach') metric = 'outreach';
  else if (kind === 'sweeps') metric = 'sweeps';
  else if (measure === 'closed') metric = keys.result === undefined ? 'closed' : keys.result === 'success' ? 'resolved' : 'failed';
  else metric = keys.result === NOT_RESOLVED ? 'failed' : 'resolved';
  const link: RecordsLink = { metric, year: base.year, orgUnitId: base.orgUnitId };
  if (keys.month !== undefined) link.month = Number(keys.month);
  else if (base.month !== undefined) link.month = base.month;
  else if (base.quarter !== undefined) link.quarter = base.quarter;
  // The queried unit's own key is its own records (本级): the drill-down reads unit= so.
  if (keys.unit !== undefined) link.unit = keys.unit;
  if (keys.type !== undefined) link.type = keys.type;
  if (keys.channel !== undefined) link.channel = keys.channel;
  if (keys.form !== undefined) link.form = keys.form;
  if (keys.campaign !== undefined) {
    if (keys.campaign === NO_CAMPAIGN) return undefined;
    link.campaign = keys.campaign;
  }
  return link;
}

/** The period before (环比): last month, last quarter; a whole year has none but the year before, which is 同比. */
export function previousPeriodOf(q: PeriodQuery): PeriodQuery | undefined {
  if (q.month !== undefined) return q.month === 1 ? { year: q.year - 1, month: 12 } : { year: q.year, month: q.month - 1 };
  if (q.quarter !== undefined) return q.quarter === 1 ? { year: q.year - 1, quarter: 4 } : { year: q.year, quarter: q.quarter - 1 };
  return undefined;
}

/** The same period a year earlier (同比). */
export function samePeriodLastYearOf(q: PeriodQuery): PeriodQuery {
  return { ...q, year: q.year - 1 };
}

/** The months (1–12) a period covers, in order. */
export function monthsOfPeriod(q: PeriodQuery): number[] {
  if (q.month !== undefined) return [q.month];
  if (q.quarter !== undefined) return [1, 2, 3].map((i) => (q.quarter! - 1) * 3 + i);
  return Array.from({ length: 12 }, (_, i) => i + 1);
}

/** Change against a base as a ratio (0.125 = +12.5%), 4 decimals; null when the base is 0 (no ratio exists). */
export function changeRatio(current: number, base: number): number | null {
  if (base === 0) return null;
  return Math.round(((current - base) / base) * 10_000) / 10_000;
}

/** "+12.5%", "-3.0%", "0.0%" (one decimal always, so a column reads evenly), or "—" when the base is 0. */
export function formatChange(ratio: number | null): string {
  if (ratio === null) return '—';
  const pct = Math.round(ratio * 1000) / 10;
  return `${pct > 0 ? '+' : ''}${(pct === 0 ? 0 : pct).toFixed(1)}%`;
}

const values = v.record(v.string(), v.number());
const PivotValuesSchema = v.object({ cells: values, rowTotals: values, colTotals: values, total: v.number() });
const Axis = v.array(v.object({ key: v.string(), label: v.string() }));

/** GET /api/stats/pivot: the table, the same table a year earlier (同比) and the period before (环比, null for a whole year). */
export const PivotResponse = v.object({
  measure: PivotMeasureSchema,
  measureLabel: v.string(),
  rows: PivotDimensionSchema,
  cols: PivotDimensionSchema,
  rowKeys: Axis,
  colKeys: Axis,
  current: PivotValuesSchema,
  lastYear: PivotValuesSchema,
  previous: v.nullable(PivotValuesSchema),
  /** Each cell's records link (key as cellKey); absent where no filter narrows to it. */
  links: v.record(v.string(), v.string()),
  period: v.object({ label: v.string(), lastYear: v.string(), previous: v.nullable(v.string()) }),
});
export type PivotResponse = v.InferOutput<typeof PivotResponse>;
