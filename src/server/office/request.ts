// What every office route needs from a request: the period and filters from the query string
// (one schema, #shared/office/records), the units it covers within the caller's scope, and
// how rows are labelled and masked for this caller. Refusals come back as failures.
import * as v from 'valibot';
import { RecordsQuery } from '#shared/office/records';
import { periodOf } from '#shared/stats/summary';
import { periodTree } from '../access/org-closing.ts';
import { loadOrgTree, type OrgTree, type OrgTreeSource } from '../access/org-tree.ts';
import type { Scope } from '../access/scope.ts';
import { failure, type Failure } from '../http/errors.ts';
import { validate } from '../http/body.ts';
import type { OrgUnit } from '../storage/account-store.ts';
import type { RecordFilters, RowContext } from './records.ts';
import { unitsInScope } from './scope-units.ts';

/** The drill-down query without `metric` (exports default it per file). */
const OfficeQuery = v.object({ ...RecordsQuery.entries, metric: v.optional(RecordsQuery.entries.metric) });

export interface OfficeRequest {
  tree: OrgTree;
  root: OrgUnit;
  /** Readable units of the root's subtree, narrowed to `unit`'s subtree when given. */
  units: string[];
  query: v.InferOutput<typeof OfficeQuery>;
  filters: Omit<RecordFilters, 'metric'>;
  periodLabel: string;
  rows: RowContext;
}

export async function readOfficeRequest(
  store: OrgTreeSource,
  scope: Scope,
  rawQuery: Record<string, string>,
  timeZone: string,
): Promise<{ ok: true; value: OfficeRequest } | Failure> {
  const parsed = validate(OfficeQuery, rawQuery);
  if (!parsed.ok) return parsed;
  const q = parsed.value;
  if (q.month !== undefined && q.quarter !== undefined) return failure(400, 'invalid_body', '月份和季度只能选一个');
  // Read with the tree as it stood at the period's end, as the summary is (access/org-closing.ts).
  const tree = periodTree(await loadOrgTree(store), q);
  const scoped = unitsInScope(tree, scope, q.orgUnitId);
  if (!scoped.ok) return scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位');
  let units = scoped.units;
  if (q.unit !== undefined) {
    const below = new Set(tree.subtree(q.unit));
    if (!units.includes(q.unit)) return failure(404, 'not_found', '找不到该下级单位');
    // The queried unit itself is its own records (本级), as the by-unit breakdowns count them:
    // the dashboard's bar 江口镇（本级）29 lists those 29, not the town's whole subtree.
    units = q.unit === q.orgUnitId ? [q.unit] : units.filter((id) => below.has(id));
  }
  const filters: Omit<RecordFilters, 'metric'> = { year: q.year };
  for (const k of ['month', 'quarter'] as const) if (q[k] !== undefined) filters[k] = q[k];
  for (const k of ['type', 'channel', 'agreement', 'form', 'theme', 'campaign'] as const) if (q[k] !== undefined) filters[k] = q[k];
  const period = periodOf(filters);
  const periodLabel = q.month !== undefined ? `${q.year}年${q.month}月` : q.quarter !== undefined ? `${q.year}年第${q.quarter}季度` : `${q.year}年`;
  return {
    ok: true,
    value: {
      tree,
      root: scoped.root,
      units,
      query: q,
      filters,
      periodLabel: `${periodLabel}（${period.from} 至 ${period.to}）`,
      rows: {
        timeZone,
        unitName: (id) => tree.get(id)?.name ?? id,
        seesPersonalData: (id) => scope.seesPersonalData(id),
      },
    },
  };
}
