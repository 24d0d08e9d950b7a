// The audit log keeps a unit's name as it was at the time of each action (later renames do
// not rewrite history): unitName on every change, previousName with it for a rename.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { seedTownship, TOWN, V1, V2, type Township } from './support/sync-fixtures.ts';

describe.each(storeCases())('unit names in the audit log on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });
  const call = (method: 'POST' | 'PATCH', url: string, body: unknown) => t().json<{ id: string }>(method, url, { token: town.tokens.admin!, body });
  const detailsOf = async (unitId: string) =>
    (await t().store.listAudit({ limit: 1000 }))
      .filter((a) => a.orgUnitId === unitId)
      .map((a) => [a.action, a.detail] as const)
      .reverse();

  it('a grid added, renamed twice and moved keeps each name it had', async () => {
    const made = await call('POST', '/api/admin/org-units', { parentId: V1, kind: 'grid', name: '红星村第五网格' });
    const id = made.body.id;
    expect((await call('PATCH', `/api/admin/org-units/${id}`, { name: '红星村第六网格' })).status).toBe(200);
    expect((await call('PATCH', `/api/admin/org-units/${id}`, { name: '红星村第七网格', shortName: '七' })).status).toBe(200);
    expect((await call('PATCH', `/api/admin/org-units/${id}`, { name: '红星村第七网格', parentId: V2 })).status).toBe(200);
    expect(await detailsOf(id)).toEqual([
      ['org_unit.created', { name: '红星村第五网格', kind: 'grid', parentId: V1 }],
      ['org_unit.updated', { name: '红星村第六网格', unitName: '红星村第六网格', previousName: '红星村第五网格' }],
      ['org_unit.updated', { name: '红星村第七网格', shortName: '七', unitName: '红星村第七网格', previousName: '红星村第六网格' }],
      ['org_unit.updated', { name: '红星村第七网格', parentId: V2, unitName: '红星村第七网格' }],
    ]);
  });

  it('a sheet’s rename keeps the old and the new name too', async () => {
    const sheet = ['编号,上级编号,类型,名称,简称', `${V2},${TOWN},村,青山新村,青山`].join('\n');
    const res = await t().json('POST', '/api/admin/org-units/import', { token: town.tokens.admin!, body: sheet, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(201);
    expect((await detailsOf(V2)).at(-1)).toEqual([
      'org_unit.updated',
      { name: '青山新村', parentId: TOWN, shortName: '青山', unitName: '青山新村', previousName: '青山村' },
    ]);
  });
});
