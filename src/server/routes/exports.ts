// Downloads for office staff (office and admin, within their scope), for a year, quarter or
// month and any unit of their subtree; the same filters as the drill-down lists narrow them:
// - GET /api/exports/cases.xlsx | cases.csv      the case register (default: cases accepted)
// - GET /api/exports/outreach.xlsx | outreach.csv the outreach ledger
// - GET /api/exports/stats.xlsx                  the statistics tables, one sheet per table
// Names, phones and ID numbers are masked unless the role may see them for a record's unit;
// an export holding any unmasked record is written to the audit log.
import { Hono, type Context } from 'hono';
import { nowIsoWithOffset } from '#shared/time';
import type { AppEnv } from '../http/env.ts';
import { requireRole, requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { renderCsv } from '../exports/csv.ts';
import { caseRegisterSheet, outreachLedgerSheet, statsSheets } from '../exports/sheets.ts';
import { markTotals, type Sheet, type SheetTitle } from '../exports/table.ts';
import { renderXlsx } from '../exports/xlsx.ts';
import { childOfRoot } from '../office/scope-units.ts';
import { figuresOf, monthRangeOf, STATE_LIMIT, sweepsByGrid } from '../office/figures.ts';
import { listRecords } from '../office/records.ts';
import { readOfficeRequest } from '../office/request.ts';
import type { Store } from '../storage/store.ts';
import { auditEntry } from './admin.ts';
import { attachmentDisposition } from './reports.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An export is a register, not a dump: a county-wide year beyond this is split by unit or month. */
export const EXPORT_ROW_LIMIT = 100_000;

type Format = 'xlsx' | 'csv';

/** 制表时间 as the office reads it: "2025-01-06 09:30" in the configured zone. */
export function madeAtOf(now: Date, timeZone: string): string {
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

  const send = async (c: Context<AppEnv>, sheet: Sheet, format: Format, baseName: string, asciiName: string) => {
    if (format === 'csv') {
      return c.body(renderCsv(sheet), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachmentDisposition(`${baseName}.csv`, `${asciiName}.csv`),
      });
    }
    const bytes = await renderXlsx([markTotals(sheet)]);
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': attachmentDisposition(`${baseName}.xlsx`, `${asciiName}.xlsx`),
    });
  };

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/cases.${format}`, async (c) => {
      const r = await readOfficeRequest(store, c.var.scope, c.req.query(), config.timeZone);
      if (!r.ok) return sendFailure(c, r);
      const { query, filters, units, rows, root } = r.value;
      const metric = query.metric ?? 'accepted';
      const result = await listRecords(store, { ...filters, metric }, units, rows, EXPORT_ROW_LIMIT);
      if (result.kind !== 'case') return sendFailure(c, failure(400, 'invalid_body', '该统计项不是案件'));
      const unmasked = result.rows.filter((x) => !x.masked);
      if (unmasked.length > 0) {
        await store.appendAudit(
          auditEntry(c.var.principal, clock(), 'export.unmasked', {
            orgUnitId: root.id,
            detail: { file: `cases.${format}`, metric, year: query.year, rows: unmasked.length, subjectIds: unmasked.map((x) => x.subjectId).slice(0, 1000) },
          }),
        );
      }
      return send(
        c,
        { ...caseRegisterSheet(result.rows), title: titleOf('案件登记台账', root.name, r.value.periodLabel) },
        format,
        `${root.name}${r.value.periodLabel.split('（')[0]}案件登记台账`,
        `cases-${query.year}`,
      );
    });

    app.get(`/outreach.${format}`, async (c) => {
      const r = await readOfficeRequest(store, c.var.scope, c.req.query(), config.timeZone);
      if (!r.ok) return sendFailure(c, r);
      const { query, filters, units, rows, root } = r.value;
      const result = await listRecords(store, { ...filters, metric: 'outreach' }, units, rows, EXPORT_ROW_LIMIT);
      if (result.kind !== 'outreach') return sendFailure(c, failure(400, 'invalid_body', '统计项不对'));
      return send(
        c,
        { ...outreachLedgerSheet(result.rows), title: titleOf('普法台账', root.name, r.value.periodLabel) },
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
    const { summary } = await figuresOf(store, units, { ...filters, timeZone: config.timeZone, childOf: childOfRoot(tree, statsRoot.id) });
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
      // A 调委会 or 调解室 files its cases under its town or village: an empty row of it only looks like a gap.
      optionalUnits: new Set(
        tree
          .childrenOf(statsRoot.id)
          .filter((u) => u.kind === 'committee' || u.kind === 'station')
          .map((u) => u.id),
      ),
      sweepsByGrid: sweepsByGrid(grids, sweeps.items, config.timeZone).map((g) => ({ ...g, name: g.parentName ? `${g.parentName} ${g.name}` : g.name })),
    });
    const bytes = await renderXlsx(sheets);
    const name = `${statsRoot.name}${r.value.periodLabel.split('（')[0]}统计表`;
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': attachmentDisposition(`${name}.xlsx`, `stats-${query.year}.xlsx`),
    });
  });

  return app;
}
