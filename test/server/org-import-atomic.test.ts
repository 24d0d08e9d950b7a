// An org import is one transaction: its creates, its updates and their audit rows are written
// together or not at all. A real constraint violation on the last row (a partial unique index
// set up from outside the app) must leave the tree and the audit log as they were.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { execRaw } from './support/raw-sql.ts';
import { storeCases } from './support/stores.ts';
import { seedTownship, TOWN, V1, V2, type Township } from './support/sync-fixtures.ts';

const HEADER = '编号,上级编号,类型,名称,简称';

describe.each(storeCases())('org import in one transaction on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });
  const importRows = (rows: string[]) =>
    t().json<{ error?: { code: string }; imported?: number }>('POST', '/api/admin/org-units/import', {
      token: town.tokens.admin!,
      body: [HEADER, ...rows].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });

  it('a constraint violation on the last update leaves no create, no update and no audit row', async () => {
    // Two units may not share this short name: the planner does not know, the database refuses the second.
    await execRaw(t(), "CREATE UNIQUE INDEX inject_one_short_name ON org_units (short_name) WHERE short_name = '重名'");
    const before = await t().store.listOrgUnits();
    const auditBefore = await t().store.listAudit({ limit: 1000 });
    const res = await importRows([`nv-a,${TOWN},村,新甲村,新甲`, `${V1},${TOWN},村,红星村,重名`, `${V2},${TOWN},村,青山村,重名`]);
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('duplicate');
    expect(await t().store.listOrgUnits()).toEqual(before);
    expect(await t().store.listAudit({ limit: 1000 })).toEqual(auditBefore);
    await execRaw(t(), 'DROP INDEX inject_one_short_name');
  });

  it('without the failure the same sheet writes its create, both updates and their audit rows', async () => {
    const res = await importRows([`nv-a,${TOWN},村,新甲村,新甲`, `${V1},${TOWN},村,红星村,红星一`, `${V2},${TOWN},村,青山村,青山一`]);
    expect(res.status).toBe(201);
    const units = new Map((await t().store.listOrgUnits()).map((u) => [u.id, u]));
    expect(units.get('nv-a')).toMatchObject({ parentId: TOWN, name: '新甲村' });
    expect([units.get(V1)?.shortName, units.get(V2)?.shortName]).toEqual(['红星一', '青山一']);
    const audit = await t().store.listAudit({ limit: 10 });
    expect(audit.filter((a) => a.action === 'org_unit.updated').map((a) => a.orgUnitId)).toEqual(expect.arrayContaining([V1, V2]));
    expect(audit.some((a) => a.action === 'org_unit.imported')).toBe(true);
  });
});
