// Two units under one parent never share a name: adding, renaming, moving and importing are
// refused with a Chinese 409 'duplicate_name' naming the parent, checked in the write's own
// transaction (no unique index: a database may already hold such pairs, which stay editable).
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { execRaw } from './support/raw-sql.ts';
import { storeCases } from './support/stores.ts';
import { G1, G2, G3, seedTownship, V1, V2, type Township } from './support/sync-fixtures.ts';

interface Answer {
  id?: string;
  name?: string;
  error?: { code: string; message: string };
}

describe.each(storeCases())('sibling names on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });
  const call = (method: 'POST' | 'PATCH', url: string, body: unknown) => t().json<Answer>(method, url, { token: town.tokens.admin!, body });
  const unitsAndAudit = async () => ({ units: await t().store.listOrgUnits(), audit: await t().store.listAudit({ limit: 1000 }) });

  it('adding a grid with the name of a grid of the same village is refused, and nothing is written', async () => {
    const before = await unitsAndAudit();
    const res = await call('POST', '/api/admin/org-units', { parentId: V1, kind: 'grid', name: '红星村第一网格' });
    expect([res.status, res.body.error]).toEqual([409, { code: 'duplicate_name', message: '红星村下已有同名单位“红星村第一网格”', field: 'name' }]);
    expect(await unitsAndAudit()).toEqual(before);
    // The same name under another village is another grid.
    expect((await call('POST', '/api/admin/org-units', { id: 'v2-dup', parentId: V2, kind: 'grid', name: '红星村第一网格' })).status).toBe(201);
  });

  it('renaming to a sibling’s name or moving next to a namesake is refused; keeping one’s own name is not', async () => {
    const renamed = await call('PATCH', `/api/admin/org-units/${G2}`, { name: '红星村第一网格' });
    expect([renamed.status, renamed.body.error?.code, renamed.body.error?.message]).toEqual([409, 'duplicate_name', '红星村下已有同名单位“红星村第一网格”']);
    const moved = await call('PATCH', '/api/admin/org-units/v2-dup', { parentId: V1 });
    expect([moved.status, moved.body.error?.code]).toEqual([409, 'duplicate_name']);
    expect((await t().store.listOrgUnits()).find((u) => u.id === 'v2-dup')?.parentId).toBe(V2);
    // The edit form sends the name along with every change.
    expect((await call('PATCH', `/api/admin/org-units/${G1}`, { name: '红星村第一网格', shortName: '一网格' })).status).toBe(200);
    const top = await call('POST', '/api/admin/org-units', { parentId: null, kind: 'town', name: '江口镇' });
    expect([top.status, top.body.error?.code]).toEqual([409, 'duplicate_name']);
    expect(top.body.error?.message).toBe('顶层已有同名单位“江口镇”');
  });

  it('a sheet creating a unit with a sibling’s name is refused whole, by the plan or in the write', async () => {
    const sheet = ['编号,上级编号,类型,名称,简称', `new-a,${V1},网格,新网格,`, `new-b,${V1},网格,红星村第二网格,`].join('\n');
    const res = await t().json<Answer>('POST', '/api/admin/org-units/import', {
      token: town.tokens.admin!,
      body: sheet,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(400);
    expect(await t().store.listOrgUnits()).not.toContainEqual(expect.objectContaining({ id: 'new-a' }));
    // A sheet planned against a tree that changed meanwhile: the write's own check refuses it.
    const unit = { id: 'new-c', parentId: V1, kind: 'grid' as const, name: '红星村第二网格', code: null, shortName: null };
    const created = await t().store.applyOrgChanges({ creates: [{ ...unit, id: 'new-d', name: '新网格' }, unit], audit: [] }, new Date());
    expect(created).toEqual({ code: 'duplicate_name', unitId: 'new-c', name: '红星村第二网格', parentId: V1 });
    const renamed = await t().store.applyOrgChanges({ updates: [{ id: G3, patch: { name: '红星村第二网格', parentId: V1 } }], audit: [] }, new Date());
    expect(renamed).toMatchObject({ code: 'duplicate_name', unitId: G3 });
    expect((await t().store.listOrgUnits()).filter((u) => u.id === 'new-d' || u.id === 'new-c')).toEqual([]);
    // A rename that frees a name for a new unit of the same change is fine.
    const swap = await t().store.applyOrgChanges(
      { creates: [{ ...unit, name: '红星村第二网格' }], updates: [{ id: G2, patch: { name: '红星村老二网格' } }], audit: [] },
      new Date(),
    );
    expect(swap).toBe('ok');
  });

  it('a merge that would move a grid next to a namesake is refused, and the village stays open', async () => {
    // v2-dup (红星村第一网格, made above) sits under 青山村 already.
    const res = await call('POST', `/api/admin/org-units/${V1}/close`, { closedOn: '2025-01-01', successorId: V2, moveChildren: [G1] });
    expect([res.status, res.body.error]).toEqual([409, { code: 'duplicate_name', message: '青山村下已有同名单位“红星村第一网格”' }]);
    expect((await t().store.listOrgUnits()).find((u) => u.id === V1)?.closedOn).toBeNull();
  });

  it('a pair of namesakes already in the database stays editable; only taking the name again is refused', async () => {
    await execRaw(
      t(),
      `INSERT INTO org_units (id, parent_id, kind, name, code, short_name, created_at) VALUES ('old-twin', '${V2}', 'grid', '青山村第一网格', NULL, NULL, '2024-01-01T00:00:00.000Z')`,
    );
    expect((await call('PATCH', '/api/admin/org-units/old-twin', { name: '青山村第一网格', shortName: '老一' })).status).toBe(200);
    expect((await call('PATCH', `/api/admin/org-units/${G3}`, { code: 'qs-01' })).status).toBe(200);
    expect((await call('PATCH', '/api/admin/org-units/old-twin', { name: '青山村第九网格' })).status).toBe(200);
    const taken = await call('PATCH', '/api/admin/org-units/old-twin', { name: '青山村第一网格' });
    expect([taken.status, taken.body.error?.message]).toEqual([409, '青山村下已有同名单位“青山村第一网格”']);
  });
});
