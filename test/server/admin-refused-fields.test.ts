// A refusal of an admin form's input names the field it is about ({error:{code, message, field}}),
// so that the admin screens say it at that field: the account's username, password and each
// role row (roles.N: a unit missing, closed or not fitting the role, a row repeated), and an org
// unit's name, code and parent. The message is for the person, without the field's key; the
// schema's refusals keep their "path: " lead for clients that read only the message.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { G1, G2, PASSWORD, seedTownship, TOWN, TOWN_COMMITTEE, V1, V2, type Township } from './support/sync-fixtures.ts';

interface Refusal {
  error?: { code: string; message: string; field?: string };
}

describe.each(storeCases())('refused admin fields on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });
  const call = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
    const res = await t().json<Refusal>(method, url, { token: town.tokens.admin!, body });
    return [res.status, res.body.error];
  };
  const newUser = (changes: Record<string, unknown>) =>
    call('POST', '/api/admin/users', { username: 'field1', password: PASSWORD, displayName: '字段', roles: [{ role: 'office', orgUnitId: TOWN }], ...changes });

  it('a new account: the username, the password and the display name', async () => {
    expect(await newUser({ username: 'grid1' })).toEqual([409, { code: 'duplicate', message: '用户名 grid1 已被使用', field: 'username' }]);
    expect(await newUser({ password: 'abcdefgh' })).toEqual([
      400,
      { code: 'weak_password', message: '密码不能是连续的数字或字母（如 12345678），请换一个不容易被猜到的密码', field: 'password' },
    ]);
    expect(await newUser({ password: 'field1-2024' })).toMatchObject([400, { code: 'weak_password', field: 'password' }]);
    expect(await newUser({ password: 'short' })).toEqual([400, { code: 'invalid_body', message: 'password: 密码至少 8 位', field: 'password' }]);
    expect(await newUser({ displayName: '  ' })).toEqual([400, { code: 'invalid_body', message: 'displayName: 请填写姓名', field: 'displayName' }]);
    expect(await newUser({ username: 'a b' })).toMatchObject([400, { code: 'invalid_body', field: 'username' }]);
  });

  it('each role row by its index: a unit missing, not fitting the role, or a row repeated', async () => {
    const office = { role: 'office', orgUnitId: TOWN };
    expect(await newUser({ roles: [office, { role: 'mediator' }] })).toEqual([
      400,
      { code: 'unknown_org_unit', message: '请选择人民调解员所在的单位', field: 'roles.1' },
    ]);
    expect(await newUser({ roles: [office, { role: 'grid_worker', orgUnitId: 'nowhere' }] })).toEqual([
      400,
      { code: 'unknown_org_unit', message: '找不到组织 nowhere', field: 'roles.1' },
    ]);
    expect(await newUser({ roles: [{ role: 'grid_worker', orgUnitId: TOWN_COMMITTEE }] })).toMatchObject([
      400,
      { code: 'invalid_grant', message: expect.stringMatching(/^网格员不能分配在调委会上/), field: 'roles.0' },
    ]);
    expect(await newUser({ roles: [office, { role: 'grid_worker', orgUnitId: G1 }, { role: 'office', orgUnitId: TOWN }] })).toEqual([
      400,
      { code: 'invalid_grant', message: '与第 1 个角色重复', field: 'roles.2' },
    ]);
    // Two admin rows are one grant (an admin covers the tree, whatever unit it names).
    expect(await newUser({ roles: [{ role: 'admin' }, { role: 'admin', orgUnitId: TOWN }] })).toEqual([
      400,
      { code: 'invalid_grant', message: '与第 1 个角色重复', field: 'roles.1' },
    ]);
    expect(await t().store.findUserByUsername('field1')).toBeUndefined();
    // The same role on two units is two grants.
    const both = await t().json('POST', '/api/admin/users', {
      token: town.tokens.admin!,
      body: {
        username: 'field2',
        password: PASSWORD,
        displayName: '两格',
        roles: [
          { role: 'grid_worker', orgUnitId: G1 },
          { role: 'grid_worker', orgUnitId: G2 },
        ],
      },
    });
    expect(both.status).toBe(201);
  });

  it('changing an account’s roles: the same rows, the same fields', async () => {
    const id = town.userIds.grid1!;
    expect(
      await call('PATCH', `/api/admin/users/${id}`, {
        roles: [
          { role: 'grid_worker', orgUnitId: G1 },
          { role: 'grid_worker', orgUnitId: G1 },
        ],
      }),
    ).toEqual([400, { code: 'invalid_grant', message: '与第 1 个角色重复', field: 'roles.1' }]);
    expect(await call('PATCH', `/api/admin/users/${id}`, { displayName: '' })).toMatchObject([400, { code: 'invalid_body', field: 'displayName' }]);
    expect(await call('POST', `/api/admin/users/${id}/password`, { password: '11111111' })).toMatchObject([400, { code: 'weak_password', field: 'password' }]);
  });

  it('an org unit: a sibling’s name, a code in use, a parent it cannot have', async () => {
    expect(await call('POST', '/api/admin/org-units', { parentId: V1, kind: 'grid', name: '红星村第一网格' })).toEqual([
      409,
      { code: 'duplicate_name', message: '红星村下已有同名单位“红星村第一网格”', field: 'name' },
    ]);
    expect(await call('PATCH', `/api/admin/org-units/${G2}`, { name: '红星村第一网格' })).toMatchObject([409, { code: 'duplicate_name', field: 'name' }]);
    expect(await call('PATCH', `/api/admin/org-units/${G1}`, { code: '500235110201' })).toEqual([200, undefined]);
    expect(await call('POST', '/api/admin/org-units', { parentId: V2, kind: 'grid', name: '青山村第二网格', code: '500235110201' })).toEqual([
      409,
      { code: 'duplicate', message: '编号或代码已被使用', field: 'code' },
    ]);
    expect(await call('PATCH', `/api/admin/org-units/${G2}`, { code: '500235110201' })).toEqual([
      409,
      { code: 'duplicate', message: '代码已被使用', field: 'code' },
    ]);
    expect(await call('PATCH', `/api/admin/org-units/${V1}`, { parentId: G1 })).toMatchObject([400, { code: 'invalid_parent', field: 'parentId' }]);
    expect(await call('PATCH', `/api/admin/org-units/${G2}`, { parentId: TOWN })).toEqual([
      400,
      { code: 'invalid_parent', message: '网格应建在村或社区下', field: 'parentId' },
    ]);
    expect(await call('PATCH', `/api/admin/org-units/${G2}`, { parentId: 'nowhere' })).toMatchObject([400, { code: 'unknown_parent', field: 'parentId' }]);
  });
});
