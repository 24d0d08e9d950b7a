// 以案定补 (office and admin, within their scope):
// - GET /api/subsidy/rules?orgUnitId=U the rules the unit follows (its own, an ancestor's, or the
//   defaults); PUT /api/subsidy/rules {orgUnitId, rules} sets the unit's own (admin only);
// - GET /api/subsidy/ledger?orgUnitId=U&year=Y&month=M the month's ledger (as approved, once it
//   is), and /ledger.xlsx the same for payment;
// - POST /api/subsidy/approve {orgUnitId, year, month} approves the month, signed by the caller
//   (office grant over the unit); 409 when it already is: an approved month never changes;
// - POST /api/subsidy/cases/:subjectId/grade {grade, note?} the office's grade of a case (a
//   case.graded event written by the server; a mediator's proposal is case.grade_proposed).
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { OkAnswer } from '#shared/api/errors';
import { periodIsOver, periodLastDay } from '#shared/office/periods';
import { localDateOf, nowIsoWithOffset } from '#shared/time';
import { ApproveRequest, GradeRequest, RulesRequest, type LedgerResponse, type RulesResponse } from '#shared/subsidy/api';
import { loadOrgTree } from '../access/org-tree.ts';
import { requireRole, requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { parseJsonBody, validate } from '../http/body.ts';
import { ledgerUnitsInScope, unitsInScope } from '../office/scope-units.ts';
import type { Store } from '../storage/store.ts';
import { writeCaseEvent } from '../subsidy/case-events.ts';
import { ledgerXlsx } from '../subsidy/files.ts';
import { approveMonth, monthLedger, rulesFor, type MonthLedger } from '../subsidy/ledger.ts';
import { auditEntry } from './admin.ts';
import { XLSX_TYPE } from './exports.ts';
import { attachmentDisposition } from './reports.ts';

const SUBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UnitQuery = v.object({ orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长')) });
const MonthQuery = v.object({
  ...UnitQuery.entries,
  year: v.pipe(v.string('请指定年份'), v.regex(/^\d{4}$/, '年份应为四位数字'), v.transform(Number)),
  month: v.pipe(v.string('请指定月份'), v.regex(/^(?:[1-9]|1[0-2])$/, '月份应为 1–12'), v.transform(Number)),
});

const answerOf = (m: MonthLedger): LedgerResponse => ({
  ledger: m.ledger,
  rules: m.rules,
  approval: m.approval ? { approvedAt: m.approval.approvedAt, approvedByName: m.approval.approvedByName } : null,
});

export function subsidyRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(store, { clock }), requireRole('office', 'admin'));

  const scoped = async (c: Context<AppEnv>, orgUnitId: string, write = false) => {
    const tree = await loadOrgTree(store);
    const s = (write ? ledgerUnitsInScope : unitsInScope)(tree, c.var.scope, orgUnitId);
    if (!s.ok)
      return s.code === 'unknown_org_unit'
        ? failure(404, 'not_found', '找不到该单位')
        : failure(403, 'forbidden', write ? '没有权限审批该单位的补助' : '没有权限查看该单位');
    return { ok: true as const, tree, root: s.root, units: s.units };
  };

  const rulesAnswer = async (tree: Awaited<ReturnType<typeof loadOrgTree>>, orgUnitId: string): Promise<RulesResponse> => {
    const { rules, from } = await rulesFor(store, tree, orgUnitId);
    return { rules, fromUnitId: from?.orgUnitId ?? null, updatedAt: from?.updatedAt ?? null, updatedByName: from?.updatedByName ?? null };
  };

  app.get('/rules', async (c) => {
    const q = validate(UnitQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const s = await scoped(c, q.value.orgUnitId);
    if (!s.ok) return sendFailure(c, s);
    return c.json<RulesResponse>(await rulesAnswer(s.tree, q.value.orgUnitId));
  });

  app.put('/rules', async (c) => {
    if (!c.var.scope.isAdmin) return sendFailure(c, failure(403, 'forbidden', '补助规则由管理员设置'));
    const body = await parseJsonBody(c, RulesRequest);
    if (!body.ok) return sendFailure(c, body);
    const s = await scoped(c, body.value.orgUnitId, true);
    if (!s.ok) return sendFailure(c, s);
    const now = clock();
    const p = c.var.principal;
    await store.putSubsidyRules({
      orgUnitId: body.value.orgUnitId,
      rules: JSON.stringify(body.value.rules),
      updatedBy: p.userId,
      updatedByName: p.displayName || p.username,
      updatedAt: now.toISOString(),
    });
    await store.appendAudit(auditEntry(p, now, 'subsidy.rules_set', { orgUnitId: body.value.orgUnitId, detail: { rules: body.value.rules } }));
    return c.json<RulesResponse>(await rulesAnswer(s.tree, body.value.orgUnitId));
  });

  app.get('/ledger', async (c) => {
    const q = validate(MonthQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const s = await scoped(c, q.value.orgUnitId);
    if (!s.ok) return sendFailure(c, s);
    const { orgUnitId, year, month } = q.value;
    return c.json<LedgerResponse>(answerOf(await monthLedger(store, s.tree, orgUnitId, s.units, year, month, config.timeZone)));
  });

  app.get('/ledger.xlsx', async (c) => {
    const q = validate(MonthQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const s = await scoped(c, q.value.orgUnitId);
    if (!s.ok) return sendFailure(c, s);
    const { orgUnitId, year, month } = q.value;
    const m = await monthLedger(store, s.tree, orgUnitId, s.units, year, month, config.timeZone);
    const wall = nowIsoWithOffset(clock(), config.timeZone);
    const approvedNote = m.approval
      ? `已审批：${m.approval.approvedByName}，${nowIsoWithOffset(new Date(m.approval.approvedAt), config.timeZone).slice(0, 16).replace('T', ' ')}`
      : '尚未审批：本表为审批前的草表，金额以审批后的台账为准';
    const bytes = await ledgerXlsx(
      m.ledger,
      {
        title: `${s.root.name}${year}年${month}月以案定补台账`,
        unitName: s.root.name,
        periodLabel: `${year}年${month}月`,
        madeAt: `${wall.slice(0, 10)} ${wall.slice(11, 16)}`,
      },
      approvedNote,
    );
    const name = `${s.root.name}${year}年${month}月以案定补台账`;
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': attachmentDisposition(`${name}.xlsx`, `subsidy-${year}-${String(month).padStart(2, '0')}.xlsx`),
    });
  });

  app.post('/approve', async (c) => {
    const body = await parseJsonBody(c, ApproveRequest);
    if (!body.ok) return sendFailure(c, body);
    const s = await scoped(c, body.value.orgUnitId, true);
    if (!s.ok) return sendFailure(c, s);
    const now = clock();
    const { orgUnitId, year, month } = body.value;
    // Approval freezes the month's payments: a month still running would leave its last days' cases to the next.
    if (!periodIsOver(year, month, localDateOf(now.toISOString(), config.timeZone))) {
      return sendFailure(c, failure(422, 'implausible', `${year}年${month}月尚未结束（截至 ${periodLastDay(year, month)}），月末之后才能审批`));
    }
    const out = await approveMonth(store, s.tree, c.var.principal, { orgUnitId, units: s.units, year, month }, now, config.timeZone);
    if (!out.ok) return sendFailure(c, failure(409, 'already_closed', `${year}年${month}月的补助台账已经审批`));
    await store.appendAudit(
      auditEntry(c.var.principal, now, 'subsidy.approved', { orgUnitId, detail: { year, month, paid: JSON.parse(out.approval.paid) as unknown } }),
    );
    return c.json<LedgerResponse>(answerOf(await monthLedger(store, s.tree, orgUnitId, s.units, year, month, config.timeZone)), 201);
  });

  app.post('/cases/:subjectId/grade', async (c) => {
    const id = c.req.param('subjectId');
    const state = SUBJECT_ID.test(id) ? await store.caseState(id) : undefined;
    if (!state || !c.var.scope.canRead(state.orgUnitId)) return sendFailure(c, failure(404, 'not_found', '找不到该案件'));
    const body = await parseJsonBody(c, GradeRequest);
    if (!body.ok) return sendFailure(c, body);
    if (!c.var.scope.canKeepLedger(state.unitId ?? state.orgUnitId)) return sendFailure(c, failure(403, 'forbidden', '没有权限核定该单位案件的补助等级'));
    const data = { grade: body.value.grade, ...(body.value.note ? { note: body.value.note } : {}) };
    const result = await writeCaseEvent(store, c.var.principal, state, 'case.graded', data, clock(), config.timeZone);
    if (result.status === 'rejected') return sendFailure(c, failure(422, 'rejected', result.error?.message ?? '未能保存'));
    return c.json<OkAnswer>({ ok: true }, 201);
  });

  return app;
}
