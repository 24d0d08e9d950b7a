// GET /api/stats/summary?year=Y&orgUnitId=U[&month=M | &quarter=Q] (office and admin): the
// design's summary for U and everything below it, byOrgUnit keyed by U's children. The
// figures come from GROUP BY aggregates over the projection tables (services/stats.ts), never
// from rescanning events; the definitions are #shared/stats/summary's, shown with the numbers.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { SummaryResponse } from '#shared/api/stats';
import { STAT_DEFINITIONS } from '#shared/stats/summary';
import { FORBIDDEN, requireRole, requireUser } from '../access/middleware.ts';
import { loadOrgTree } from '../access/org-tree.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { validate } from '../http/body.ts';
import { monthRangeOf, summaryFromAggregates } from '../services/stats.ts';
import type { Store } from '../storage/store.ts';

const intIn = (min: number, max: number, what: string) =>
  v.pipe(v.string(), v.regex(/^\d{1,4}$/, `${what}应为整数`), v.transform(Number), v.minValue(min, `${what}应在 ${min}–${max} 之间`), v.maxValue(max, `${what}应在 ${min}–${max} 之间`));

const SummaryQuery = v.object({
  year: intIn(2000, 2200, '年份'),
  orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64)),
  month: v.optional(intIn(1, 12, '月份')),
  quarter: v.optional(intIn(1, 4, '季度')),
});

export function statsRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/summary', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const q = validate(SummaryQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const { year, orgUnitId, month, quarter } = q.value;
    if (month !== undefined && quarter !== undefined) return sendFailure(c, failure(400, 'invalid_body', '月份和季度只能选一个'));
    const tree = await loadOrgTree(store);
    if (!tree.get(orgUnitId)) return sendFailure(c, failure(404, 'not_found', '找不到该单位'));
    if (!c.var.scope.canRead(orgUnitId)) return c.json(FORBIDDEN, 403);

    const childOf = new Map<string, string>();
    for (const child of tree.childrenOf(orgUnitId)) for (const id of tree.subtree(child.id)) childOf.set(id, child.id);
    const period = { year, ...(month !== undefined ? { month } : {}), ...(quarter !== undefined ? { quarter } : {}) };
    const agg = await store.statsAggregates({ year, ...monthRangeOf(period) });
    const summary = summaryFromAggregates(agg, period, { subtree: new Set(tree.subtree(orgUnitId)), childOf: (id) => childOf.get(id) });
    // Every child appears in byOrgUnit, with 0 when it has nothing: a village with no cases is a figure too.
    for (const child of tree.childrenOf(orgUnitId)) {
      summary.mediation.byOrgUnit[child.id] ??= 0;
      summary.outreach.byOrgUnit[child.id] ??= 0;
    }
    return c.json<SummaryResponse>({ ...summary, orgUnitId, timeZone: config.timeZone, definitions: STAT_DEFINITIONS });
  });
  return app;
}
