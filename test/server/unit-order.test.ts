// Lists of grids read like the org chart: village by village in the tree's order, each village's
// grids 第一, 第二, 第三… as the tree has them. Sorting the Chinese names by code unit instead
// puts 第三网格 before 第二网格 and 三合村 before 向阳村, and the statistics workbook's
// 排查按网格 came out backwards (the last village's last grid first).
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyReturnResponse } from '#shared/api/returns';
import type { CompletenessResponse } from '#shared/stats/completeness';
import { hashPassword } from '../../src/server/access/passwords.ts';
import { invalidateOrgTree } from '../../src/server/access/org-tree.ts';
import type { OrgUnit } from '../../src/server/storage/account-store.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';

const unit = (id: string, parentId: string | null, kind: OrgUnit['kind'], name: string): OrgUnit => ({ id, parentId, kind, name, code: null, shortName: null });

// Ids in the order of the chart (as a statistical division code would be); names that a
// code-unit sort scrambles: 向 (U+5411) after 三 (U+4E09), 第二 (U+4E8C) after 第三 (U+4E09).
const UNITS: OrgUnit[] = [
  unit('t', null, 'town', '江口镇'),
  unit('t-201', 't', 'village', '向阳村'),
  unit('t-201-01', 't-201', 'grid', '向阳村第一网格'),
  unit('t-201-02', 't-201', 'grid', '向阳村第二网格'),
  unit('t-201-03', 't-201', 'grid', '向阳村第三网格'),
  unit('t-201-04', 't-201', 'grid', '向阳村第四网格'),
  unit('t-226', 't', 'village', '三合村'),
  unit('t-226-01', 't-226', 'grid', '三合村第一网格'),
  unit('t-226-02', 't-226', 'grid', '三合村第二网格'),
];
const CHART_ORDER = UNITS.filter((u) => u.kind === 'grid').map((u) => u.name);

describe.each(storeCases())('grids in tree order on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let token: string;
  beforeAll(async () => {
    await t().store.insertOrgUnits(UNITS, new Date());
    invalidateOrgTree(t().store);
    const r = await t().store.insertUser({
      id: randomUUID(),
      username: 'office',
      displayName: '综治办',
      passwordHash: await hashPassword('test-pass-123'),
      roles: [{ role: 'office', orgUnitId: 't' }],
      createdAt: new Date(),
    });
    expect(r).toBe('ok');
    token = (await t().json<{ token: string }>('POST', '/api/auth/login', { body: { username: 'office', password: 'test-pass-123' } })).body.token;
  });

  it('the statistics workbook lists 排查按网格 in tree order', async () => {
    const res = await t().request('GET', '/api/exports/stats.xlsx?year=2024&orgUnitId=t', { token });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('排查按网格')!;
    const names: string[] = [];
    for (let r = 4; r <= ws.rowCount; r++) names.push(String(ws.getRow(r).getCell(1).value));
    const village = (g: OrgUnit) => UNITS.find((u) => u.id === g.parentId)!.name;
    expect(names).toEqual([...UNITS.filter((u) => u.kind === 'grid').map((g) => `${village(g)} ${g.name}`), '合计']);
  });

  it('the monthly return lists 半月排查 in tree order', async () => {
    const r = await t().json<MonthlyReturnResponse>('GET', '/api/returns/monthly?year=2024&month=6&orgUnitId=t', { token });
    expect(r.status).toBe(200);
    expect(r.body.halfMonth.map((g) => g.name)).toEqual(CHART_ORDER);
  });

  it('报告率与及时率 lists grids and villages in tree order', async () => {
    const r = await t().json<CompletenessResponse>('GET', '/api/stats/completeness?year=2024&month=6&orgUnitId=t', { token });
    expect(r.status).toBe(200);
    expect(r.body.grids.map((g) => g.name)).toEqual(CHART_ORDER);
    expect(r.body.villages.map((v) => v.name)).toEqual(['向阳村', '三合村']);
  });
});
