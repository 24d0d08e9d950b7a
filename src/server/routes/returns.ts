// The returns (报表), office and admin within their read scope:
// - GET /api/returns/monthly?orgUnitId=…&year=…&month=… the monthly return (月报) of a unit,
//   frozen with its late records when the month is closed (结账);
// - GET /api/returns/monthly.xlsx?…[&responsible=…&preparer=…] the same as a paper-shaped sheet,
//   负责人 and 填表人 printed under each table;
// - GET /api/returns/type-map every local dispute type with the code it reports upward as;
//   PUT /api/returns/type-map {entries} replaces the mapping (admin only, audited);
// - GET /api/returns/mediators?orgUnitId=… the mediators the return counts, with 专职/兼职;
//   PUT /api/returns/mediators/:userId {employment} sets one (admin only, audited).
import { Hono } from 'hono';
import * as v from 'valibot';
import type { OkAnswer } from '#shared/api/errors';
import { EmploymentRequest, TypeMapRequest, type MediatorsResponse, type MonthlyReturnResponse, type TypeMapResponse } from '#shared/api/returns';
import { DISPUTE_TYPES } from '#shared/codes';
import { auditEntry } from '../access/audit.ts';
import { requireRole, requireUser } from '../access/middleware.ts';
import { periodTree } from '../access/org-closing.ts';
import { loadOrgTree } from '../access/org-tree.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { parseJsonBody, validate } from '../http/body.ts';
import { unitsInScope } from '../office/scope-units.ts';
import { monthlyReturnFor, upwardTypesOf, type ReturnRequest } from '../returns/monthly.ts';
import { renderMonthlyReturnXlsx } from '../returns/xlsx.ts';
import type { Store } from '../storage/store.ts';
import { attachmentDisposition } from './reports.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UnitId = v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长'));
const Signer = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(20, '姓名不超过 20 字')), '');
const MonthlyQuery = v.object({
  orgUnitId: UnitId,
  year: v.pipe(v.string('请指定年份'), v.regex(/^\d{4}$/, '年份应为四位数字'), v.transform(Number), v.minValue(2000, '年份不对'), v.maxValue(2200, '年份不对')),
  month: v.pipe(v.string('请指定月份'), v.regex(/^(?:[1-9]|1[0-2])$/, '月份应为 1–12'), v.transform(Number)),
  responsible: Signer,
  preparer: Signer,
});
const LOCAL_TYPES = new Set(DISPUTE_TYPES.flatMap((t) => [t.code, ...t.subtypes.map((s) => s.code)]));

export function returnRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(store, { clock }), requireRole('office', 'admin'));

  /** The return a query asks for, within the caller's read scope, or the refusal. */
  const request = async (query: Record<string, string>, scope: AppEnv['Variables']['scope']) => {
    const q = validate(MonthlyQuery, query);
    if (!q.ok) return q;
    // The tree as it stood at the month's end (期末), as every other figure reads a merged unit.
    const tree = periodTree(await loadOrgTree(store), { year: q.value.year, month: q.value.month });
    const scoped = unitsInScope(tree, scope, q.value.orgUnitId);
    if (!scoped.ok) return scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位');
    const r: ReturnRequest = {
      tree,
      root: scoped.root,
      units: scoped.units,
      year: q.value.year,
      month: q.value.month,
      timeZone: config.timeZone,
      now: clock(),
    };
    return { ok: true as const, r, signers: { responsible: q.value.responsible, preparer: q.value.preparer } };
  };

  app.get('/monthly', async (c) => {
    const r = await request(c.req.query(), c.var.scope);
    if (!r.ok) return sendFailure(c, r);
    return c.json<MonthlyReturnResponse>(await monthlyReturnFor(store, r.r));
  });

  app.get('/monthly.xlsx', async (c) => {
    const r = await request(c.req.query(), c.var.scope);
    if (!r.ok) return sendFailure(c, r);
    const body = await monthlyReturnFor(store, r.r);
    const bytes = await renderMonthlyReturnXlsx(body, r.signers, config.timeZone);
    const { year, month } = r.r;
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': attachmentDisposition(
        `${body.unitName}${year}年${month}月矛盾纠纷排查调处月报.xlsx`,
        `return-${year}-${String(month).padStart(2, '0')}.xlsx`,
      ),
    });
  });

  app.get('/type-map', async (c) => c.json<TypeMapResponse>({ types: upwardTypesOf(await store.listUpwardTypes()) }));

  app.put('/type-map', requireRole('admin'), async (c) => {
    const body = await parseJsonBody(c, TypeMapRequest);
    if (!body.ok) return sendFailure(c, body);
    const seen = new Set<string>();
    for (const [i, e] of body.value.entries.entries()) {
      if (!LOCAL_TYPES.has(e.localCode)) return sendFailure(c, failure(400, 'invalid_body', `第 ${i + 1} 行：未知的本地纠纷类型 ${e.localCode}`));
      if (seen.has(e.localCode)) return sendFailure(c, failure(400, 'invalid_body', `第 ${i + 1} 行：本地类型 ${e.localCode} 重复`));
      seen.add(e.localCode);
    }
    // A row that says what the default says is no mapping: it is left out, so the table holds only choices.
    const defaults = new Map(upwardTypesOf([]).map((t) => [t.localCode, t]));
    const entries = body.value.entries.filter((e) => {
      const d = defaults.get(e.localCode);
      return e.upwardCode !== d?.upwardCode || e.upwardLabel !== d.upwardLabel;
    });
    const now = clock();
    await store.replaceUpwardTypes(entries, c.var.principal.userId, now);
    await store.appendAudit(auditEntry(c.var.principal, now, 'returns.type_map_saved', { detail: { entries: entries.length } }));
    return c.json<TypeMapResponse>({ types: upwardTypesOf(await store.listUpwardTypes()) });
  });

  app.get('/mediators', async (c) => {
    const orgUnitId = c.req.query('orgUnitId') ?? '';
    const tree = await loadOrgTree(store);
    const scoped = unitsInScope(tree, c.var.scope, orgUnitId);
    if (!scoped.ok)
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位'));
    const readable = new Set(scoped.units);
    const [users, employment] = await Promise.all([store.listUsers(), store.listMediatorEmployment()]);
    const employmentOf = new Map(employment.map((e) => [e.userId, e.employment]));
    const mediators = users
      .map((u) => ({ u, grants: u.roles.filter((g) => g.role === 'mediator' && g.orgUnitId !== null && readable.has(g.orgUnitId)) }))
      .filter((x) => x.grants.length > 0)
      .map(({ u, grants }) => ({
        userId: u.id,
        username: u.username,
        displayName: u.displayName,
        units: grants.map((g) => tree.get(g.orgUnitId!)?.name ?? g.orgUnitId!).join('、'),
        employment: employmentOf.get(u.id) ?? ('part_time' as const),
        disabled: u.disabled,
      }))
      .sort((a, b) => (a.units === b.units ? (a.displayName < b.displayName ? -1 : 1) : a.units < b.units ? -1 : 1));
    return c.json<MediatorsResponse>({ mediators });
  });

  app.put('/mediators/:userId', requireRole('admin'), async (c) => {
    const body = await parseJsonBody(c, EmploymentRequest);
    if (!body.ok) return sendFailure(c, body);
    const user = await store.findUserById(c.req.param('userId'));
    if (!user || !user.roles.some((g) => g.role === 'mediator')) return sendFailure(c, failure(404, 'not_found', '找不到该调解员'));
    const now = clock();
    await store.setMediatorEmployment(user.id, body.value.employment, now);
    await store.appendAudit(
      auditEntry(c.var.principal, now, 'returns.mediator_employment', { detail: { userId: user.id, employment: body.value.employment } }),
    );
    return c.json<OkAnswer>({ ok: true });
  });

  return app;
}
