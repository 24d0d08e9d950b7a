// 重大矛盾纠纷 and 典型案例 for the office (office and admin, within their scope):
// - GET /api/major/alerts?orgUnitId=U the flagged cases of the subtree, open alerts first, each
//   with when it was flagged, saved on the phone and received, its stage and its acknowledgement;
// - GET /api/major/alerts/:subjectId one alert with what its 快报 prints;
// - POST /api/major/alerts/:subjectId/ack acknowledges it, once, signed by the caller (needs the
//   office grant over the case's unit, as every office write);
// - GET /api/major/typical?year=Y&orgUnitId=U and /typical.docx the year's 典型案例;
// - POST /api/major/cases/:subjectId/typical {typical, title, story} marks a case typical (or not)
//   with its story: a case.typical event written by the server for office staff.
// Mediators mark and flag on the phone (case.major, case.typical events through /api/sync/push).
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { OkAnswer } from '#shared/api/errors';
import { TypicalRequest, type Alert, type AlertsResponse, type FlashReport, type TypicalResponse } from '#shared/major/api';
import type { CaseState } from '#shared/fold/index';
import { loadOrgTree } from '../access/org-tree.ts';
import { requireRole, requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure, type Failure } from '../http/errors.ts';
import { parseJsonBody, validate } from '../http/body.ts';
import { unitsInScope } from '../office/scope-units.ts';
import type { Store } from '../storage/store.ts';
import { alertSource, flashReportOf, listAlerts } from '../subsidy/alerts.ts';
import { writeCaseEvent } from '../subsidy/case-events.ts';
import { typicalDocx } from '../subsidy/files.ts';
import { typicalCasesOf } from '../subsidy/typical.ts';
import { auditEntry } from './admin.ts';
import { attachmentDisposition } from './reports.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const SUBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UnitQuery = v.object({ orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长')) });
const YearQuery = v.object({ ...UnitQuery.entries, year: v.pipe(v.string('请指定年份'), v.regex(/^\d{4}$/, '年份应为四位数字'), v.transform(Number)) });

const notFound = failure(404, 'not_found', '找不到该案件');

export function majorRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(store, { clock }), requireRole('office', 'admin'));

  const scoped = async (c: Context<AppEnv>, query: Record<string, string>) => {
    const tree = await loadOrgTree(store);
    const s = unitsInScope(tree, c.var.scope, query.orgUnitId ?? '');
    if (!s.ok) return s.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位');
    return { ok: true as const, tree, root: s.root, units: s.units };
  };

  /** The case behind a path, when the caller reads its unit; else 404, as if it did not exist. */
  const caseInScope = async (c: Context<AppEnv>): Promise<{ ok: true; state: CaseState } | Failure> => {
    const id = c.req.param('subjectId') ?? '';
    if (!SUBJECT_ID.test(id)) return notFound;
    const state = await store.caseState(id);
    if (!state || !c.var.scope.canRead(state.orgUnitId)) return notFound;
    return { ok: true, state };
  };

  app.get('/alerts', async (c) => {
    const q = validate(UnitQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const s = await scoped(c, q.value);
    if (!s.ok) return sendFailure(c, s);
    const alerts = await listAlerts(store, s.tree, s.units);
    return c.json<AlertsResponse>({ alerts, open: alerts.filter((a) => a.ack === null).length });
  });

  app.get('/alerts/:subjectId', async (c) => {
    const found = await caseInScope(c);
    if (!found.ok) return sendFailure(c, found);
    const source = await alertSource(store, [found.state.orgUnitId], found.state.subjectId);
    if (!source) return sendFailure(c, failure(404, 'not_found', '该案件不是重大矛盾纠纷'));
    const tree = await loadOrgTree(store);
    const unit = found.state.unitId ?? found.state.orgUnitId;
    return c.json<FlashReport>(await flashReportOf(store, tree, source, c.var.scope.seesPersonalData(unit)));
  });

  app.post('/alerts/:subjectId/ack', async (c) => {
    const found = await caseInScope(c);
    if (!found.ok) return sendFailure(c, found);
    const unit = found.state.unitId ?? found.state.orgUnitId;
    if (!c.var.scope.canKeepLedger(unit)) return sendFailure(c, failure(403, 'forbidden', '没有权限签收该单位的预警'));
    const source = await alertSource(store, [found.state.orgUnitId], found.state.subjectId);
    if (!source) return sendFailure(c, failure(404, 'not_found', '该案件不是重大矛盾纠纷'));
    const now = clock();
    const p = c.var.principal;
    const ack = {
      subjectId: found.state.subjectId,
      raisedEventId: source.raised.id,
      ackedBy: p.userId,
      ackedByName: p.displayName || p.username,
      ackedAt: now.toISOString(),
    };
    if ((await store.insertMajorAck(ack)) === 'duplicate') return sendFailure(c, failure(409, 'duplicate', '该预警已经签收'));
    await store.appendAudit(
      auditEntry(p, now, 'major.acknowledged', { orgUnitId: unit, detail: { subjectId: ack.subjectId, raisedEventId: ack.raisedEventId } }),
    );
    const tree = await loadOrgTree(store);
    const report = await flashReportOf(store, tree, source, false);
    return c.json<Alert>(report.alert, 201);
  });

  app.get('/typical', async (c) => {
    const q = validate(YearQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const s = await scoped(c, c.req.query());
    if (!s.ok) return sendFailure(c, s);
    return c.json<TypicalResponse>({ year: q.value.year, cases: await typicalCasesOf(store, s.tree, s.units, q.value.year, config.timeZone) });
  });

  app.get('/typical.docx', async (c) => {
    const q = validate(YearQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const s = await scoped(c, c.req.query());
    if (!s.ok) return sendFailure(c, s);
    const cases = await typicalCasesOf(store, s.tree, s.units, q.value.year, config.timeZone);
    const name = `${s.root.name}${q.value.year}年典型案例`;
    const bytes = await typicalDocx(name, cases);
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': DOCX_TYPE,
      'Content-Disposition': attachmentDisposition(`${name}.docx`, `typical-cases-${q.value.year}.docx`),
    });
  });

  app.post('/cases/:subjectId/typical', async (c) => {
    const found = await caseInScope(c);
    if (!found.ok) return sendFailure(c, found);
    const body = await parseJsonBody(c, TypicalRequest);
    if (!body.ok) return sendFailure(c, body);
    if (!c.var.scope.canKeepLedger(found.state.unitId ?? found.state.orgUnitId))
      return sendFailure(c, failure(403, 'forbidden', '没有权限编写该单位的典型案例'));
    const { typical, title, story } = body.value;
    if (typical && !title) return sendFailure(c, failure(400, 'invalid_body', 'title: 请填写典型案例标题'));
    const data = { typical, ...(title ? { title } : {}), ...(story ? { story } : {}) };
    const result = await writeCaseEvent(store, c.var.principal, found.state, 'case.typical', data, clock(), config.timeZone);
    if (result.status === 'rejected') return sendFailure(c, failure(422, 'rejected', result.error?.message ?? '未能保存'));
    return c.json<OkAnswer>({ ok: true }, 201);
  });

  return app;
}
