// Office screens' reads (office and admin, within their scope):
// - GET /api/office/records?metric=…&year=…&orgUnitId=…[&month|&quarter][&unit&type&channel…]
//   the records behind a figure, a page at a time, personal data masked unless the role may
//   see it (each page shown unmasked is written to the audit log);
// - GET /api/office/grids?year=…&orgUnitId=…[&month|&quarter] sweeps per grid of the subtree,
//   every grid listed, so the grids that reported nothing stand out;
// - GET /api/office/ledgers?year=…&orgUnitId=… the year's office ledger entries and the
//   report figures they make; POST /api/office/ledgers {orgUnitId, date, entry} records one;
//   POST /api/office/ledgers/:subjectId/void {orgUnitId, reason} voids one (corrections are a
//   void and a new entry, like every record in the log);
// - GET /api/office/quality?year=…&orgUnitId=… data-quality lists (overdue cases, 回访 due,
//   resolved without agreement form, outreach without photos, implausible audiences, devices
//   silent for 7 days);
// - POST /api/office/periods/close {orgUnitId, year, month?} closes a month (or, without
//   month, the year) of the unit, signed by the caller (409 when already closed);
//   a month's close also keeps that month's return (/api/returns/monthly) as it stands;
//   GET /api/office/periods?orgUnitId=… lists the closes with their late arrivals (迟报) and
//   the change those make to each closed figure.
// Writes (ledger entries, voids, closes) need the office grant over the unit (Scope.canKeepLedger,
// office/scope-units.ts ledgerUnitsInScope): reading a unit through another role's grant is not enough.
import { Hono } from 'hono';
import * as v from 'valibot';
import { isErrorCode, type ErrorCode, type OkAnswer } from '#shared/api/errors';
import {
  ClosePeriodRequest,
  LedgerRequest,
  LedgerVoidRequest,
  type GridsResponse,
  type LedgerCreated,
  type LedgerListResponse,
  type PeriodClosed,
  type PeriodsResponse,
  type QualityResponse,
  type RecordsResponse,
} from '#shared/api/office';
import { ledgerFigures } from '#shared/office/ledgers';
import { periodIsOver, periodLastDay } from '#shared/office/periods';
import { localDateOf } from '#shared/time';
import { periodTree } from '../access/org-closing.ts';
import { loadOrgTree } from '../access/org-tree.ts';
import { requireRole, requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, refusedAt, sendFailure } from '../http/errors.ts';
import { parseJsonBody, validate } from '../http/body.ts';
import { monthRangeOf, STATE_LIMIT, sweepsByGrid } from '../office/figures.ts';
import { listLedger, recordLedgerEntry, voidLedgerEntry } from '../office/ledgers.ts';
import { closedPeriods, closePeriod, periodLabelOf } from '../office/periods.ts';
import { loadQuality } from '../office/quality.ts';
import { periodOf } from '#shared/stats/summary';
import { listRecords } from '../office/records.ts';
import { childOfRoot, ledgerUnitsInScope, unitsInScope } from '../office/scope-units.ts';
import { readOfficeRequest } from '../office/request.ts';
import { freezeMonthlyReturn } from '../returns/monthly.ts';
import type { Store } from '../storage/store.ts';
import { auditEntry } from './admin.ts';

const DEFAULT_PAGE_SIZE = 50;

const LedgerQuery = v.object({
  year: v.pipe(v.string(), v.regex(/^\d{4}$/, '年份应为四位数字'), v.transform(Number)),
  orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长')),
});
// The data-quality lists follow the dashboard's period: a year, or one month or quarter of it.
const QualityQuery = v.object({
  ...LedgerQuery.entries,
  month: v.optional(v.pipe(v.string(), v.regex(/^(?:[1-9]|1[0-2])$/, '月份应为 1–12'), v.transform(Number))),
  quarter: v.optional(v.pipe(v.string(), v.regex(/^[1-4]$/, '季度应为 1–4'), v.transform(Number))),
});
/** A push result's reject code as an answer's code ('rejected' for one the union does not name). */
const rejectCode = (code: string | undefined): ErrorCode => (code !== undefined && isErrorCode(code) ? code : 'rejected');
const SUBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function officeRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(store, { clock }), requireRole('office', 'admin'));

  app.get('/records', async (c) => {
    const r = await readOfficeRequest(store, c.var.scope, c.req.query(), config.timeZone);
    if (!r.ok) return sendFailure(c, r);
    const { query, filters, units, rows } = r.value;
    if (query.metric === undefined) return sendFailure(c, failure(400, 'invalid_body', '请指定统计项'));
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const page = query.page ?? 1;
    const result = await listRecords(store, { ...filters, metric: query.metric }, units, rows, pageSize, { offset: (page - 1) * pageSize });
    if (result.kind === 'case') {
      const unmasked = result.rows.filter((row) => !row.masked);
      if (unmasked.length > 0) {
        await store.appendAudit(
          auditEntry(c.var.principal, clock(), 'records.viewed_unmasked', {
            orgUnitId: query.orgUnitId,
            detail: { metric: query.metric, subjectIds: unmasked.map((x) => x.subjectId) },
          }),
        );
      }
    }
    // The drill-down pages by number; the last row's key is for streamed exports only.
    const { last: _last, ...listed } = result;
    return c.json<RecordsResponse>({ ...listed, page, pageSize, period: r.value.periodLabel });
  });

  app.get('/grids', async (c) => {
    const r = await readOfficeRequest(store, c.var.scope, c.req.query(), config.timeZone);
    if (!r.ok) return sendFailure(c, r);
    const { tree, units, filters } = r.value;
    const grids = units
      .map((id) => tree.get(id))
      .filter((u) => u?.kind === 'grid')
      .map((g) => ({ id: g!.id, name: g!.name, parentName: (g!.parentId && tree.get(g!.parentId)?.name) || '' }));
    const sweeps = await store.listSweeps({ year: filters.year, ...monthRangeOf(filters), units, limit: STATE_LIMIT });
    const list = sweepsByGrid(grids, sweeps.items, config.timeZone).sort((a, b) => a.count - b.count || (a.id < b.id ? -1 : 1));
    return c.json<GridsResponse>({ period: r.value.periodLabel, grids: list, silent: list.filter((g) => g.count === 0).length });
  });

  app.get('/ledgers', async (c) => {
    const q = validate(LedgerQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const scoped = unitsInScope(await loadOrgTree(store), c.var.scope, q.value.orgUnitId);
    if (!scoped.ok)
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位'));
    const items = await listLedger(store, scoped.units, q.value.year, config.timeZone);
    return c.json<LedgerListResponse>({ items, figures: ledgerFigures(items.filter((i) => !i.voided)) });
  });

  app.post('/ledgers', async (c) => {
    const body = await parseJsonBody(c, LedgerRequest);
    if (!body.ok) return sendFailure(c, body);
    const scoped = ledgerUnitsInScope(await loadOrgTree(store), c.var.scope, body.value.orgUnitId);
    if (!scoped.ok)
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限在该单位登记'));
    // A date after today or before 2000 is a slip (2026 for 2024): the entry would count in a year no report reads.
    const today = localDateOf(clock().toISOString(), config.timeZone);
    // Both are about the date alone: `field` lets the form say them there.
    if (body.value.date > today) return sendFailure(c, refusedAt('date', 422, 'implausible', `日期（${body.value.date}）晚于今天，请核对`));
    if (body.value.date < '2000-01-01') return sendFailure(c, refusedAt('date', 422, 'implausible', `日期（${body.value.date}）早于 2000 年，请核对`));
    const out = await recordLedgerEntry(store, c.var.principal, body.value, clock(), config.timeZone);
    if (out.result.status === 'rejected') return sendFailure(c, failure(422, rejectCode(out.result.error?.code), out.result.error?.message ?? '未能保存'));
    return c.json<v.InferOutput<typeof LedgerCreated>>({ subjectId: out.subjectId, id: out.eventId }, 201);
  });

  app.post('/ledgers/:subjectId/void', async (c) => {
    const subjectId = c.req.param('subjectId');
    if (!SUBJECT_ID.test(subjectId)) return sendFailure(c, failure(404, 'not_found', '找不到该条台账'));
    const body = await parseJsonBody(c, LedgerVoidRequest);
    if (!body.ok) return sendFailure(c, body);
    const tree = await loadOrgTree(store);
    const scoped = ledgerUnitsInScope(tree, c.var.scope, body.value.orgUnitId);
    if (!scoped.ok)
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限在该单位登记'));
    // The entry must be one of this unit's: an id from elsewhere is not found, whatever it is.
    const held = await store.listLedgerEvents({
      types: ['ledger.recorded'],
      units: [body.value.orgUnitId],
      from: '1970-01-01T00:00:00Z',
      to: '9999-12-31T00:00:00Z',
    });
    if (!held.some((e) => e.subjectId === subjectId)) return sendFailure(c, failure(404, 'not_found', '找不到该条台账'));
    const result = await voidLedgerEntry(
      store,
      c.var.principal,
      { subjectId, orgUnitId: body.value.orgUnitId, reason: body.value.reason },
      clock(),
      config.timeZone,
    );
    if (result.status === 'rejected') return sendFailure(c, failure(422, rejectCode(result.error?.code), result.error?.message ?? '未能保存'));
    return c.json<OkAnswer>({ ok: true });
  });

  app.get('/quality', async (c) => {
    const q = validate(QualityQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    if (q.value.month !== undefined && q.value.quarter !== undefined) return sendFailure(c, failure(400, 'invalid_body', '月份和季度只能选一个'));
    const tree = periodTree(await loadOrgTree(store), q.value);
    const scoped = unitsInScope(tree, c.var.scope, q.value.orgUnitId);
    if (!scoped.ok)
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位'));
    const local = new Set(['village', 'community', 'grid']);
    const report = await loadQuality(
      store,
      scoped.units,
      q.value.year,
      {
        now: clock(),
        timeZone: config.timeZone,
        unitName: (id) => tree.get(id)?.name ?? id,
        isLocal: (id) => local.has(tree.get(id)?.kind ?? ''),
      },
      periodOf(q.value),
    );
    const { month, quarter, year } = q.value;
    const period = month !== undefined ? `${year}年${month}月` : quarter !== undefined ? `${year}年第${quarter}季度` : `${year}年`;
    return c.json<QualityResponse>({ ...report, period });
  });

  app.post('/periods/close', async (c) => {
    const body = await parseJsonBody(c, ClosePeriodRequest);
    if (!body.ok) return sendFailure(c, body);
    const { month: closeMonth = 0 } = body.value;
    const tree = periodTree(await loadOrgTree(store), { year: body.value.year, ...(closeMonth ? { month: closeMonth } : {}) });
    const scoped = ledgerUnitsInScope(tree, c.var.scope, body.value.orgUnitId);
    if (!scoped.ok)
      return sendFailure(
        c,
        scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限关闭该单位的统计期'),
      );
    const { year, month = 0, orgUnitId } = body.value;
    const now = clock();
    // A close is for good: a period not yet over would be reported short, its remaining days' records all 迟报.
    if (!periodIsOver(year, month, localDateOf(now.toISOString(), config.timeZone))) {
      return sendFailure(c, failure(422, 'implausible', `${periodLabelOf(year, month)}尚未结束（截至 ${periodLastDay(year, month)}），结束后才能结账`));
    }
    const out = await closePeriod(
      store,
      c.var.principal,
      { orgUnitId, units: scoped.units, year, month, childOf: childOfRoot(tree, orgUnitId) },
      now,
      config.timeZone,
    );
    if (!out.ok) return sendFailure(c, failure(409, 'already_closed', `${periodLabelOf(year, month)}已经结账`));
    // A closed month keeps its 月报 as it stands (returns/monthly.ts): later records are 迟报.
    if (month !== 0) {
      await freezeMonthlyReturn(store, out.close.id, { tree, root: scoped.root, units: scoped.units, year, month, timeZone: config.timeZone, now });
    }
    await store.appendAudit(auditEntry(c.var.principal, now, 'period.closed', { orgUnitId, detail: { year, month, seqAtClose: out.close.seqAtClose } }));
    return c.json<v.InferOutput<typeof PeriodClosed>>(
      { id: out.close.id, year, month, closedAt: out.close.closedAt, closedByName: out.close.closedByName, summary: JSON.parse(out.close.summary) as unknown },
      201,
    );
  });

  app.get('/periods', async (c) => {
    const orgUnitId = c.req.query('orgUnitId') ?? '';
    const tree = await loadOrgTree(store);
    const scoped = unitsInScope(tree, c.var.scope, orgUnitId);
    if (!scoped.ok)
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位'));
    // Each close's late figures count the units as its own period's end tree has them.
    const list = await closedPeriods(store, orgUnitId, config.timeZone, (year, month) => {
      const atEnd = periodTree(tree, month ? { year, month } : { year });
      const inScope = unitsInScope(atEnd, c.var.scope, orgUnitId);
      return { units: inScope.ok ? inScope.units : scoped.units, childOf: childOfRoot(atEnd, orgUnitId) };
    });
    const names = (id: string) => tree.get(id)?.name ?? id;
    return c.json<PeriodsResponse>({ periods: list.map((p) => ({ ...p, late: p.late.map((e) => ({ ...e, orgUnitName: names(e.orgUnitId) })) })) });
  });

  return app;
}
