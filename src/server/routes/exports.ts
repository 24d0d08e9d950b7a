// Downloads for office staff (office and admin, within their scope), for a year, quarter or
// month and any unit of their subtree; the same filters as the drill-down lists narrow them:
// - GET /api/exports/cases.xlsx | cases.csv      the case register (default: cases accepted)
// - GET /api/exports/outreach.xlsx | outreach.csv the outreach ledger
// - GET /api/exports/stats.xlsx                  the statistics tables, one sheet per table
// - GET /api/exports/ledgers.xlsx | ledgers.csv   the year's 机关台账 (voided entries marked)
// - GET /api/exports/quality.xlsx | quality.csv   the data-quality lists of the period (the screen's), uncut
// Names, phones and ID numbers are masked unless the role may see them for a record's unit;
// an export holding any unmasked record is written to the audit log. A register longer than
// config.limits.exportRows (100,000 by default) is refused with 422 'export_too_large' before any
// row is loaded, asking to narrow the period or the unit: never a silently cut file. Registers are
// streamed: rows are read a page at a time as the file is written (exports/xlsx.ts, csv.ts).
import { Hono, type Context } from 'hono';
import { nowIsoWithOffset } from '#shared/time';
import type { AppEnv } from '../http/env.ts';
import { requireRole, requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { streamCsv } from '../exports/csv.ts';
import { caseRegisterSheet, officeLedgerSheet, outreachLedgerSheet, qualitySheet, statsSheets, type QualityRow } from '../exports/sheets.ts';
import { periodTree } from '../access/org-closing.ts';
import { loadOrgTree } from '../access/org-tree.ts';
import { listLedger } from '../office/ledgers.ts';
import { loadQuality } from '../office/quality.ts';
import { unitsInScope } from '../office/scope-units.ts';
import { localDateOf } from '#shared/time';
import { validate } from '../http/body.ts';
import * as v from 'valibot';
import { markTotals, onePage, type PagedSheet, type Sheet, type SheetTitle } from '../exports/table.ts';
import { streamXlsx } from '../exports/xlsx.ts';
import { periodOf } from '#shared/stats/summary';
import { listedOnlyWithRecords } from '#shared/org-rules';
import { childOfRoot } from '../office/scope-units.ts';
import { figuresOf, monthRangeOf, STATE_LIMIT, sweepsByGrid } from '../office/figures.ts';
import { reportedOf } from '../office/periods.ts';
import { listRecords } from '../office/records.ts';
import { readOfficeRequest } from '../office/request.ts';
import type { PageKey } from '../storage/office-store.ts';
import type { Store } from '../storage/store.ts';
import { auditEntry } from './admin.ts';
import { attachmentDisposition } from './reports.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Format = 'xlsx' | 'csv';

/** Rows read from the store per page of a streamed register. */
const EXPORT_PAGE_ROWS = 2_000;

/**
 * The register a page at a time, read only as the file is written. Each page starts after the
 * previous page's last row in the list's order (date, then subject id), so a record that
 * arrives meanwhile never makes a row come twice or go missing across a page boundary (an
 * offset would shift). Records that arrive during the download may be in it; it stops at
 * `max` rows (the export limit the count was checked against).
 */
async function* pagesOf(
  max: number,
  read: (size: number, after: PageKey | undefined) => Promise<{ sheet: Sheet; last: PageKey | undefined }>,
): AsyncGenerator<Sheet> {
  let after: PageKey | undefined;
  for (let written = 0; written < max;) {
    const size = Math.min(EXPORT_PAGE_ROWS, max - written);
    const page = await read(size, after);
    yield page.sheet;
    written += page.sheet.rows.length;
    if (page.sheet.rows.length < size || !page.last) return;
    after = page.last;
  }
}

const tooLong = (total: number, limit: number) =>
  failure(422, 'export_too_large', `导出内容共 ${total} 行，超过单次导出上限 ${limit} 行：请缩小统计期（选季度或月份）或选择下级单位后分别导出`);
const YearQuery = v.object({
  year: v.pipe(v.string('请指定年份'), v.regex(/^\d{4}$/, '年份应为四位数字'), v.transform(Number)),
  orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长')),
});

// The data-quality lists follow the dashboard's period, as the screen's do (routes/office.ts /quality).
const QualityQuery = v.object({
  ...YearQuery.entries,
  month: v.optional(v.pipe(v.string(), v.regex(/^(?:[1-9]|1[0-2])$/, '月份应为 1–12'), v.transform(Number))),
  quarter: v.optional(v.pipe(v.string(), v.regex(/^[1-4]$/, '季度应为 1–4'), v.transform(Number))),
});

/** 制表时间 as the office reads it: "2025-01-06 09:30" in the configured zone. */
function madeAtOf(now: Date, timeZone: string): string {
  const wall = nowIsoWithOffset(now, timeZone);
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
}

export function exportRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(store, { clock }), requireRole('office', 'admin'));

  /** The title block of a printed export: what, whose, which period, when made (local time). */
  const titleOf = (what: string, unitName: string, periodLabel: string): SheetTitle => ({
    title: `${unitName}${periodLabel.split('（')[0]}${what}`,
    unitName,
    periodLabel,
    madeAt: madeAtOf(clock(), config.timeZone),
  });

  /** Answers with the file, written as its rows are read; `beforeEnd` runs once they all were (the audit). */
  const send = (c: Context<AppEnv>, sheet: PagedSheet, format: Format, baseName: string, asciiName: string, beforeEnd?: () => Promise<void>) => {
    if (format === 'csv') {
      return c.body(streamCsv(sheet, { beforeEnd }), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachmentDisposition(`${baseName}.csv`, `${asciiName}.csv`),
      });
    }
    return c.body(streamXlsx([sheet], { beforeEnd }), 200, {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': attachmentDisposition(`${baseName}.xlsx`, `${asciiName}.xlsx`),
    });
  };

  /** The year and unit of a ledger or quality export, checked against the caller's scope. */
  const yearScope = async (c: Context<AppEnv>) => {
    const q = validate(YearQuery, c.req.query());
    if (!q.ok) return q;
    const tree = periodTree(await loadOrgTree(store), { year: q.value.year });
    const scoped = unitsInScope(tree, c.var.scope, q.value.orgUnitId);
    if (!scoped.ok) return scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位');
    return { ok: true as const, year: q.value.year, tree, root: scoped.root, units: scoped.units };
  };

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/ledgers.${format}`, async (c) => {
      const r = await yearScope(c);
      if (!r.ok) return sendFailure(c, r);
      const items = await listLedger(store, r.units, r.year, config.timeZone);
      const rows = items.map((i) => ({
        date: localDateOf(i.occurredAt, config.timeZone),
        unitName: r.tree.get(i.orgUnitId)?.name ?? i.orgUnitId,
        entry: i.entry,
        voided: i.voided,
      }));
      return send(
        c,
        onePage(markTotals({ ...officeLedgerSheet(rows), title: titleOf('机关台账', r.root.name, `${r.year}年`) })),
        format,
        `${r.root.name}${r.year}年机关台账`,
        `ledgers-${r.year}`,
      );
    });

    app.get(`/quality.${format}`, async (c) => {
      const q = validate(QualityQuery, c.req.query());
      if (!q.ok) return sendFailure(c, q);
      const { year, month, quarter } = q.value;
      if (month !== undefined && quarter !== undefined) return sendFailure(c, failure(400, 'invalid_body', '月份和季度只能选一个'));
      const period = { year, ...(month !== undefined ? { month } : quarter !== undefined ? { quarter } : {}) };
      const tree = periodTree(await loadOrgTree(store), period);
      const scoped = unitsInScope(tree, c.var.scope, q.value.orgUnitId);
      if (!scoped.ok)
        return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位'));
      const r = { tree, root: scoped.root, units: scoped.units };
      const periodLabel = month !== undefined ? `${year}年${month}月` : quarter !== undefined ? `${year}年第${quarter}季度` : `${year}年`;
      const local = new Set(['village', 'community', 'grid']);
      // The screen's lists exactly: the same period cut (a 回访 due on a case closed next January is not this year's).
      const report = await loadQuality(
        store,
        r.units,
        year,
        {
          now: clock(),
          timeZone: config.timeZone,
          unitName: (id) => r.tree.get(id)?.name ?? id,
          isLocal: (id) => local.has(r.tree.get(id)?.kind ?? ''),
        },
        periodOf(period),
      );
      const lists = [
        ['超过 30 天未结的案件', report.overdueCases],
        ['应回访未回访的案件', report.followupsDue],
        ['调解成功但未记录协议形式', report.resolvedWithoutAgreement],
        ['没有现场照片的普法活动', report.outreachWithoutPhotos],
        ['参与人次异常的普法活动', report.audienceOutliers],
      ] as const;
      const rows: QualityRow[] = lists.flatMap(([list, items]) => items.map((i) => ({ list, date: i.date, unitName: i.orgUnitName, what: i.what })));
      for (const d of report.silentDevices) {
        rows.push({
          list: '7 天以上未同步的设备',
          date: d.lastSeenAt ? localDateOf(d.lastSeenAt, config.timeZone) : '',
          unitName: d.orgUnitId ? (r.tree.get(d.orgUnitId)?.name ?? d.orgUnitId) : '',
          what: `设备 ${d.deviceId}${d.lastSeenAt ? '' : '（从未同步）'}`,
        });
      }
      return send(
        c,
        onePage(markTotals({ ...qualitySheet(rows), title: titleOf('数据质量清单', r.root.name, periodLabel) })),
        format,
        `${r.root.name}${periodLabel}数据质量清单`,
        `quality-${year}${month !== undefined ? `-${String(month).padStart(2, '0')}` : quarter !== undefined ? `-q${quarter}` : ''}`,
      );
    });

    app.get(`/cases.${format}`, async (c) => {
      const r = await readOfficeRequest(store, c.var.scope, c.req.query(), config.timeZone);
      if (!r.ok) return sendFailure(c, r);
      const { query, filters, units, rows, root } = r.value;
      const metric = query.metric ?? 'accepted';
      const limit = config.limits.exportRows;
      // An export is a register, not a dump: count first (no rows loaded), refuse what does not fit.
      const { total, kind } = await listRecords(store, { ...filters, metric }, units, rows, 0);
      if (total > limit) return sendFailure(c, tooLong(total, limit));
      if (kind !== 'case') return sendFailure(c, failure(400, 'invalid_body', '该统计项不是案件'));
      // What went out unmasked, counted as it is written; audited once the rows are all read.
      const unmasked = { rows: 0, subjectIds: [] as string[] };
      const pages = pagesOf(limit, async (size, after) => {
        const page = await listRecords(store, { ...filters, metric }, units, rows, size, { after });
        const cases = page.kind === 'case' ? page.rows : [];
        for (const x of cases) {
          if (x.masked) continue;
          unmasked.rows++;
          if (unmasked.subjectIds.length < 1000) unmasked.subjectIds.push(x.subjectId);
        }
        return { sheet: markTotals(caseRegisterSheet(cases)), last: page.last };
      });
      const audit = async () => {
        if (unmasked.rows === 0) return;
        await store.appendAudit(
          auditEntry(c.var.principal, clock(), 'export.unmasked', {
            orgUnitId: root.id,
            detail: { file: `cases.${format}`, metric, year: query.year, rows: unmasked.rows, subjectIds: unmasked.subjectIds },
          }),
        );
      };
      return send(
        c,
        { head: { ...caseRegisterSheet([]), title: titleOf('案件登记台账', root.name, r.value.periodLabel) }, pages },
        format,
        `${root.name}${r.value.periodLabel.split('（')[0]}案件登记台账`,
        `cases-${query.year}`,
        audit,
      );
    });

    app.get(`/outreach.${format}`, async (c) => {
      const r = await readOfficeRequest(store, c.var.scope, c.req.query(), config.timeZone);
      if (!r.ok) return sendFailure(c, r);
      const { query, filters, units, rows, root } = r.value;
      const limit = config.limits.exportRows;
      const { total, kind } = await listRecords(store, { ...filters, metric: 'outreach' }, units, rows, 0);
      if (total > limit) return sendFailure(c, tooLong(total, limit));
      if (kind !== 'outreach') return sendFailure(c, failure(400, 'invalid_body', '统计项不对'));
      const pages = pagesOf(limit, async (size, after) => {
        const page = await listRecords(store, { ...filters, metric: 'outreach' }, units, rows, size, { after });
        return { sheet: markTotals(outreachLedgerSheet(page.kind === 'outreach' ? page.rows : [])), last: page.last };
      });
      return send(
        c,
        { head: { ...outreachLedgerSheet([]), title: titleOf('普法台账', root.name, r.value.periodLabel) }, pages },
        format,
        `${root.name}${r.value.periodLabel.split('（')[0]}普法台账`,
        `outreach-${query.year}`,
      );
    });
  }

  app.get('/stats.xlsx', async (c) => {
    const r = await readOfficeRequest(store, c.var.scope, c.req.query(), config.timeZone);
    if (!r.ok) return sendFailure(c, r);
    const { query, filters, units, root, tree } = r.value;
    const statsRoot = query.unit !== undefined ? tree.get(query.unit)! : root;
    const childOf = childOfRoot(tree, statsRoot.id);
    const { summary } = await figuresOf(store, units, { ...filters, timeZone: config.timeZone, childOf });
    // A month or a year closed for this unit, with late records since: its 报送 figures go beside (quarters are not closed).
    const reported =
      filters.quarter === undefined
        ? await reportedOf(store, { orgUnitId: statsRoot.id, units, year: filters.year, month: filters.month ?? 0, timeZone: config.timeZone, childOf })
        : undefined;
    const grids = units
      .map((id) => tree.get(id))
      .filter((u) => u?.kind === 'grid')
      .map((g) => ({ id: g!.id, name: g!.name, parentName: (g!.parentId && tree.get(g!.parentId)?.name) || '' }));
    const sweeps = await store.listSweeps({ year: filters.year, ...monthRangeOf(filters), units, limit: STATE_LIMIT });
    const sheets = statsSheets({
      summary,
      periodLabel: r.value.periodLabel,
      unitName: statsRoot.name,
      unitId: statsRoot.id,
      unitKind: statsRoot.kind,
      madeAt: madeAtOf(clock(), config.timeZone),
      unitNames: new Map(tree.childrenOf(statsRoot.id).map((u) => [u.id, u.name])),
      optionalUnits: new Set(
        tree
          .childrenOf(statsRoot.id)
          .filter(listedOnlyWithRecords)
          .map((u) => u.id),
      ),
      reported,
      timeZone: config.timeZone,
      sweepsByGrid: sweepsByGrid(grids, sweeps.items, config.timeZone).map((g) => ({ ...g, name: g.parentName ? `${g.parentName} ${g.name}` : g.name })),
    });
    const name = `${statsRoot.name}${r.value.periodLabel.split('（')[0]}统计表`;
    return c.body(streamXlsx(sheets.map(onePage)), 200, {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': attachmentDisposition(`${name}.xlsx`, `stats-${query.year}.xlsx`),
    });
  });

  return app;
}
