// A mistaken import is no longer for ever: the preview answers what an import would create and
// change without writing; a repeated town row (another 编号, same name at the top) is refused;
// parents may be named by 编号, 代码 or a unique name; an existing 编号 is an update.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { invalidateOrgTree } from '../../src/server/access/org-tree.ts';
import { seedTownship, TOWN, V1, type Township } from './support/sync-fixtures.ts';

interface Preview {
  creates: { id: string; parentId: string | null; name: string }[];
  updates: { row: number; before: { name: string }; after: { name: string } }[];
  unchanged: number;
}
type Refused = { error: { code: string; message: string; rows: { row: number; column?: string; message: string }[] } };

const HEADER = '编号,上级编号,类型,名称,简称';

describe.each(storeCases())('org import preview on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });
  const send = <T>(path: 'import' | 'import/preview', rows: string[]) =>
    t().json<T>('POST', `/api/admin/org-units/${path}`, {
      token: town.tokens.admin!,
      body: [HEADER, ...rows].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });

  it('refuses a repeated town row under another 编号: no second root town', async () => {
    for (const path of ['import/preview', 'import'] as const) {
      const res = await send<Refused>(path, ['500235110,,镇,江口镇,江口', '500235110201,500235110,村,向阳村,']);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('import_invalid');
      expect(res.body.error.rows[0]).toEqual({ row: 2, column: '名称', message: `已有乡镇“江口镇”（编号 ${TOWN}），不能再建一个` });
    }
    // Under a county the repeated town would not be a top-level twin, yet it is still the same town.
    await t().store.insertOrgUnits([{ id: 'county-x', parentId: null, kind: 'county', name: '云阳县', code: null, shortName: null }], new Date());
    invalidateOrgTree(t().store);
    const moved = await t().json('PATCH', `/api/admin/org-units/${TOWN}`, { token: town.tokens.admin!, body: { parentId: 'county-x' } });
    expect(moved.status).toBe(200);
    const again = await send<Refused>('import/preview', ['500235110,云阳县,镇,江口镇,江口']);
    expect(again.body.error.rows[0]!.message).toBe(`已有乡镇“江口镇”（编号 ${TOWN}），不能再建一个`);
    // The town's own row with a blank 上级编号 keeps it under its county: nothing to change.
    const own = await send<Preview>('import/preview', [`${TOWN},,镇,江口镇,江口`]);
    expect(own.body).toEqual({ creates: [], updates: [], unchanged: 1 });
    expect((await t().store.listOrgUnits()).filter((u) => u.kind === 'town')).toHaveLength(1);
  });

  it('refuses two units of one name under one parent, in the sheet or against the tree', async () => {
    const res = await send<Refused>('import/preview', [`x-1,${V1},网格,红星村第一网格,`, `x-2,${TOWN},村,新村,`, `x-3,${TOWN},村,新村,`]);
    expect(res.status).toBe(400);
    expect(res.body.error.rows.map((r) => [r.row, r.message])).toEqual([
      [2, expect.stringMatching(/^“红星村”下已有“红星村第一网格”（编号 .+），不能再建一个$/)],
      [4, '与第 3 行重名：“江口镇”下不能有两个“新村”'],
    ]);
  });

  it('names a parent by a unique name, and asks for the 编号 when the name is not unique', async () => {
    const ok = await send<Preview>('import/preview', ['g-x,红星村,网格,红星村第九网格,']);
    expect(ok.body.creates[0]).toMatchObject({ id: 'g-x', parentId: V1 });
    const twice = await send<Refused>('import/preview', [
      'a-1,江口镇,村,甲村,',
      'a-2,江口镇,村,乙村,',
      'a-1-g,甲村,网格,一网格,',
      'a-2-g,乙村,网格,一网格,',
      'a-3-g,一网格,网格,二网格,',
    ]);
    expect(twice.body.error.rows.at(-1)).toEqual({ row: 6, column: '上级编号', message: '有 2 个单位叫“一网格”，请填上级的编号' });
  });
  it('previews creates, updates and unchanged rows, and writes nothing', async () => {
    const before = (await t().store.listOrgUnits()).length;
    const rows = [`${TOWN},,镇,江口镇,江口`, `${V1},${TOWN},村,红星村（更名）,红星`, `nv-1,${TOWN},村,新村,新`, 'nv-1-g1,新村,网格,新村第一网格,'];
    const preview = await send<Preview>('import/preview', rows);
    expect(preview.status).toBe(200);
    expect(preview.body.creates.map((u) => [u.id, u.parentId])).toEqual([
      ['nv-1', TOWN],
      ['nv-1-g1', 'nv-1'],
    ]);
    expect(preview.body.updates).toEqual([
      expect.objectContaining({ row: 3, before: expect.objectContaining({ name: '红星村' }), after: expect.objectContaining({ name: '红星村（更名）' }) }),
    ]);
    expect(preview.body.unchanged).toBe(1);
    expect(await t().store.listOrgUnits()).toHaveLength(before);

    const done = await send<{ imported: number; updated: number }>('import', rows);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ imported: 2, updated: 1 });
    const units = await t().store.listOrgUnits();
    expect(units).toHaveLength(before + 2);
    expect(units.find((u) => u.id === V1)!.name).toBe('红星村（更名）');
    expect(units.find((u) => u.id === 'nv-1-g1')!.parentId).toBe('nv-1');
  });
});
