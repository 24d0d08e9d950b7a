// GET /api/stats/summary?year=Y&orgUnitId=U[&month=M | &quarter=Q] (office and admin): the
// design's summary for U and everything below it, byOrgUnit keyed by U's children. The
// figures come from GROUP BY aggregates over the projection tables (services/stats.ts), never
// from rescanning events; the definitions are #shared/stats/summary's, shown with the numbers.
// GET /api/stats/pivot[.xlsx]?rows=…&cols=…&measure=…&year=…&orgUnitId=…[&month|&quarter]: one
// measure by two dimensions with 同比/环比 (services/pivot.ts); the .xlsx is the table as shown.
// GET /api/stats/completeness?year=…&orgUnitId=…[&month|&quarter][&graceDays=N]: 报告率/及时率
// per grid and month (services/completeness.ts).
import ExcelJS from 'exceljs';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { SummaryResponse } from '#shared/api/stats';
import type { CompletenessResponse } from '#shared/stats/completeness';
import { DEFAULT_GRACE_DAYS } from '#shared/stats/completeness';
import { changeRatio, dimensionFits, PIVOT_DIMENSIONS, PivotDimensionSchema, PivotMeasureSchema, type PivotResponse } from '#shared/stats/pivot';
import { STAT_DEFINITIONS, type Summary } from '#shared/stats/summary';
import { localDateOf } from '#shared/time';
import { FORBIDDEN, requireRole, requireUser } from '../access/middleware.ts';
import { periodTree, sameShape } from '../access/org-closing.ts';
import { loadOrgTree } from '../access/org-tree.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { validate } from '../http/body.ts';
import { unitsInScope } from '../office/scope-units.ts';
import { completenessFor } from '../services/completeness.ts';
import { pivotOf, valueAt } from '../services/pivot.ts';
import { monthRangeOf, summaryFromAggregates, summaryFromRollup } from '../services/stats.ts';
import { XLSX_TYPE } from './exports.ts';
import { attachmentDisposition } from './reports.ts';
import type { Store } from '../storage/store.ts';

const intIn = (min: number, max: number, what: string) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,4}$/, `${what}应为整数`),
    v.transform(Number),
    v.minValue(min, `${what}应在 ${min}–${max} 之间`),
    v.maxValue(max, `${what}应在 ${min}–${max} 之间`),
  );

const SummaryQuery = v.object({
  year: intIn(2000, 2200, '年份'),
  orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64)),
  month: v.optional(intIn(1, 12, '月份')),
  quarter: v.optional(intIn(1, 4, '季度')),
});

const PivotQuery = v.object({ ...SummaryQuery.entries, measure: PivotMeasureSchema, rows: PivotDimensionSchema, cols: PivotDimensionSchema });
const CompletenessQuery = v.object({ ...SummaryQuery.entries, graceDays: v.optional(intIn(0, 60, '报送期限天数')) });

const dimensionLabel = (code: string) => PIVOT_DIMENSIONS.find((d) => d.code === code)?.label ?? code;

/**
 * The pivot as its screen shows it, as one printable sheet: a title row (单位, 期间, 指标, 制表时间),
 * the header repeated on every printed page, rows × columns with 合计, then the row total's 上年同期
 * and 同比 (and 上期, 环比); landscape A4, fitted to the page width. 涉及金额 in 万元 as on screen.
 */
async function pivotWorkbook(p: PivotResponse, unitName: string, now: Date, timeZone: string): Promise<{ bytes: Buffer; title: string }> {
  const title = `${unitName}${p.period.label}${p.measureLabel.replace(/（.*）$/, '')}（${dimensionLabel(p.rows)}×${dimensionLabel(p.cols)}）`;
  const header = [
    `${dimensionLabel(p.rows)} \\ ${dimensionLabel(p.cols)}`,
    ...p.colKeys.map((c) => c.label),
    '合计',
    `上年同期（${p.period.lastYear}）`,
    '同比',
  ];
  if (p.previous) header.push(`上期（${p.period.previous}）`, '环比');
  const shown = (x: number) => (p.measure === 'amountInvolved' ? Math.round(x) / 10_000 : x);
  const line = (key: string, label: string): (string | number | null)[] => {
    const total = valueAt(p.current, key, '*');
    const ly = valueAt(p.lastYear, key, '*');
    const cells: (string | number | null)[] = [
      label,
      ...p.colKeys.map((c) => shown(valueAt(p.current, key, c.key))),
      shown(total),
      shown(ly),
      changeRatio(total, ly),
    ];
    if (p.previous) cells.push(shown(valueAt(p.previous, key, '*')), changeRatio(total, valueAt(p.previous, key, '*')));
    return cells;
  };
  const wb = new ExcelJS.Workbook();
  wb.creator = '法治台账';
  const ws = wb.addWorksheet(p.measureLabel.replace(/[（）]/g, '').slice(0, 31), {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' },
  });
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow([`单位：${unitName}　期间：${p.period.label}　指标：${p.measureLabel}　制表时间：${localDateOf(now.toISOString(), timeZone)}`]);
  const head = ws.addRow(header);
  head.font = { bold: true };
  head.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  const numFmt = p.measure === 'amountInvolved' ? '0.00' : '0';
  const rows = [...p.rowKeys.map((r) => line(r.key, r.label)), line('*', '合计')];
  for (const values of rows) {
    const row = ws.addRow(values);
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      if (col === 1) return;
      const h = header[col - 1];
      cell.numFmt = h === '同比' || h === '环比' ? '0.0%' : numFmt;
      // A base of 0 has no ratio: the sheet says so, as the screen does.
      if (cell.value === null) cell.value = '—';
    });
  }
  ws.lastRow!.font = { bold: true };
  ws.getColumn(1).width = 24;
  for (let i = 2; i <= header.length; i++) ws.getColumn(i).width = Math.max(8, Math.min(16, header[i - 1]!.length * 2 + 2));
  for (const r of [1, 2]) ws.mergeCells(r, 1, r, header.length);
  const out = await wb.xlsx.writeBuffer();
  return { bytes: Buffer.from(out as ArrayBuffer), title };
}

export function statsRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/summary', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const q = validate(SummaryQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const { year, orgUnitId, month, quarter } = q.value;
    if (month !== undefined && quarter !== undefined) return sendFailure(c, failure(400, 'invalid_body', '月份和季度只能选一个'));
    const period = { year, ...(month !== undefined ? { month } : {}), ...(quarter !== undefined ? { quarter } : {}) };
    const current = await loadOrgTree(store);
    const tree = periodTree(current, period);
    if (!tree.get(orgUnitId)) return sendFailure(c, failure(404, 'not_found', '找不到该单位'));
    if (!c.var.scope.canRead(orgUnitId)) return c.json(FORBIDDEN, 403);

    const children = tree.childrenOf(orgUnitId).map((u) => u.id);
    let summary: Summary;
    if (sameShape(tree, current)) {
      // The rollup sums along the tree as it stands: the period's is the same one.
      summary = summaryFromRollup(await store.statsRollup({ year, ...monthRangeOf(period), orgUnitId, children }), period, orgUnitId);
    } else {
      // A unit moved after the period's end: its figures count where it stood then (期末区划).
      const childOf = new Map<string, string>();
      for (const child of children) for (const id of tree.subtree(child)) childOf.set(id, child);
      const agg = await store.statsAggregates({ year, ...monthRangeOf(period) });
      summary = summaryFromAggregates(agg, period, { subtree: new Set(tree.subtree(orgUnitId)), childOf: (id) => childOf.get(id) });
    }
    // Every child appears in byOrgUnit, with 0 when it has nothing: a village with no cases is a figure too.
    for (const child of tree.childrenOf(orgUnitId)) {
      summary.mediation.byOrgUnit[child.id] ??= 0;
      summary.outreach.byOrgUnit[child.id] ??= 0;
    }
    return c.json<SummaryResponse>({ ...summary, orgUnitId, timeZone: config.timeZone, definitions: STAT_DEFINITIONS });
  });

  const readPivot = async (c: Context<AppEnv>) => {
    const q = validate(PivotQuery, c.req.query());
    if (!q.ok) return q;
    const { year, orgUnitId, month, quarter, measure, rows, cols } = q.value;
    if (month !== undefined && quarter !== undefined) return failure(400, 'invalid_body', '月份和季度只能选一个');
    for (const dim of [rows, cols]) if (!dimensionFits(measure, dim)) return failure(400, 'invalid_body', `该指标不能按${dimensionLabel(dim)}分列`);
    const period = { year, ...(month !== undefined ? { month } : {}), ...(quarter !== undefined ? { quarter } : {}) };
    const tree = periodTree(await loadOrgTree(store), period);
    const unit = tree.get(orgUnitId);
    if (!unit) return failure(404, 'not_found', '找不到该单位');
    if (!c.var.scope.canRead(orgUnitId)) return failure(403, 'forbidden', '没有权限查看该单位');
    return { ok: true as const, unitName: unit.name, value: await pivotOf(store, tree, { ...period, orgUnitId, measure, rows, cols }) };
  };

  app.get('/pivot', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const r = await readPivot(c);
    if (!r.ok) return sendFailure(c, r);
    return c.json<PivotResponse>(r.value);
  });

  app.get('/pivot.xlsx', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const r = await readPivot(c);
    if (!r.ok) return sendFailure(c, r);
    const { bytes, title } = await pivotWorkbook(r.value, r.unitName, clock(), config.timeZone);
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': attachmentDisposition(`${title}.xlsx`, `pivot-${r.value.measure}.xlsx`),
    });
  });

  app.get('/completeness', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const q = validate(CompletenessQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const { year, orgUnitId, month, quarter, graceDays } = q.value;
    if (month !== undefined && quarter !== undefined) return sendFailure(c, failure(400, 'invalid_body', '月份和季度只能选一个'));
    const period = { year, ...(month !== undefined ? { month } : {}), ...(quarter !== undefined ? { quarter } : {}) };
    const tree = periodTree(await loadOrgTree(store), period);
    const scoped = unitsInScope(tree, c.var.scope, orgUnitId);
    if (!scoped.ok)
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位'));
    const result = await completenessFor(store, tree, scoped.units, { ...period, graceDays: graceDays ?? DEFAULT_GRACE_DAYS, timeZone: config.timeZone });
    const label = month !== undefined ? `${year}年${month}月` : quarter !== undefined ? `${year}年第${quarter}季度` : `${year}年`;
    return c.json<CompletenessResponse>({ ...result, period: label });
  });
  return app;
}
