// Office screens' reads (office and admin, within their scope):
// - GET /api/office/records?metric=…&year=…&orgUnitId=…[&month|&quarter][&unit&type&channel…]
//   the records behind a figure, a page at a time, personal data masked unless the role may
//   see it (each page shown unmasked is written to the audit log);
// - GET /api/office/grids?year=…&orgUnitId=…[&month|&quarter] sweeps per grid of the subtree,
//   every grid listed, so the grids that reported nothing stand out.
import { Hono } from 'hono';
import { requireRole, requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/security.ts';
import { monthRangeOf, STATE_LIMIT, sweepsByGrid } from '../office/figures.ts';
import { listRecords } from '../office/records.ts';
import { readOfficeRequest } from '../office/request.ts';
import type { Store } from '../storage/store.ts';
import { auditEntry } from './admin.ts';

export const DEFAULT_PAGE_SIZE = 50;

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
    const result = await listRecords(store, { ...filters, metric: query.metric }, units, rows, pageSize, (page - 1) * pageSize);
    if (result.kind === 'case') {
      const unmasked = result.rows.filter((row) => !row.masked);
      if (unmasked.length > 0) {
        await store.appendAudit(
          auditEntry(c.var.principal, clock(), 'records.viewed_unmasked', { orgUnitId: query.orgUnitId, detail: { metric: query.metric, subjectIds: unmasked.map((x) => x.subjectId) } }),
        );
      }
    }
    return c.json({ ...result, page, pageSize, period: r.value.periodLabel });
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
    return c.json({ period: r.value.periodLabel, grids: list, silent: list.filter((g) => g.count === 0).length });
  });

  return app;
}
