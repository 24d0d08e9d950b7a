// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { createAdminApi } from '../../../../src/app/screens/Admin/api.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('admin API client', () => {
  test('sends the session token and checks the answer', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      json(200, { orgUnits: [{ id: 't', parentId: null, kind: 'town', name: '江口镇', code: null, shortName: '江口' }] }),
    );
    const api = createAdminApi({ fetch, token: () => 'tok' });
    const r = await api.listOrgUnits();
    expect(r).toEqual({ ok: true, value: [{ id: 't', parentId: null, kind: 'town', name: '江口镇', code: null, shortName: '江口' }] });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/admin/org-units');
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer tok');
  });

  test('a refused import brings back the server’s message and the wrong rows', async () => {
    const rows = [{ row: 3, column: '类型', message: '类型“乡村”不对' }];
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      json(400, { error: { code: 'import_invalid', message: '导入失败：1 行有错误，未导入任何数据', rows } }),
    );
    const api = createAdminApi({ fetch, token: () => 'tok' });
    const bytes = new Blob(['编号\n']);
    expect(await api.importOrgUnits({ bytes, type: 'text/csv' })).toEqual({
      ok: false,
      status: 400,
      code: 'import_invalid',
      message: '导入失败：1 行有错误，未导入任何数据',
      rows,
    });
    const [url, init] = fetch.mock.calls[0]!;
    expect([url, init?.method, new Headers(init?.headers).get('Content-Type'), init?.body]).toEqual(['/api/admin/org-units/import', 'POST', 'text/csv', bytes]);
  });

  test('401 ends the session; no network and odd answers are codes, not exceptions', async () => {
    const onUnauthorized = vi.fn();
    const expired = createAdminApi({
      fetch: async () => json(401, { error: { code: 'unauthorized', message: '请重新登录' } }),
      token: () => 'tok',
      onUnauthorized,
    });
    expect(await expired.listUsers()).toMatchObject({ ok: false, code: 'unauthorized', message: '请重新登录' });
    expect(onUnauthorized).toHaveBeenCalledOnce();

    const offline = createAdminApi({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')), token: () => 'tok' });
    expect(await offline.listUsers()).toMatchObject({ ok: false, code: 'offline' });

    const portal = createAdminApi({ fetch: async () => new Response('<html>login</html>', { status: 200 }), token: () => 'tok' });
    expect(await portal.listUsers()).toMatchObject({ ok: false, code: 'bad_response' });

    const crashed = createAdminApi({ fetch: async () => new Response('oops', { status: 502 }), token: () => 'tok' });
    expect(await crashed.listUsers()).toMatchObject({ ok: false, code: 'server_error', message: '服务器出错（502），请稍后重试' });
  });

  test('a request the server’s schema refuses is refused here, in the server’s words, and not sent', async () => {
    const fetch = vi.fn(async () => json(201, {}));
    const api = createAdminApi({ fetch, token: () => 'tok' });
    // The field's key is not for the person: it comes apart from the message.
    expect(await api.resetPassword('u1', 'short')).toEqual({ ok: false, status: 400, code: 'invalid_body', message: '密码至少 8 位', field: 'password' });
    expect(
      await api.createUser({ username: 'a b', password: 'long-enough-1', displayName: '张三', roles: [{ role: 'grid_worker', orgUnitId: 'g1' }] }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_body',
      message: '用户名应为 2–32 位汉字、字母、数字、点、横线或下划线',
      field: 'username',
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  test('the server’s "field: message" comes back as the message and the field it is about', async () => {
    const api = createAdminApi({ fetch: async () => json(400, { error: { code: 'unknown_org_unit', message: 'roles.1: 找不到组织 x' } }), token: () => 'tok' });
    expect(await api.createUser({ username: 'wang', password: 'long-enough-1', displayName: '王', roles: [{ role: 'admin', orgUnitId: '*' }] })).toEqual({
      ok: false,
      status: 400,
      code: 'unknown_org_unit',
      message: '找不到组织 x',
      field: 'roles.1',
    });
    const plain = createAdminApi({ fetch: async () => json(409, { error: { code: 'duplicate', message: '用户名 wang 已被使用' } }), token: () => 'tok' });
    expect(await plain.listUsers()).toEqual({ ok: false, status: 409, code: 'duplicate', message: '用户名 wang 已被使用' });
  });

  test('the answer’s own field wins; a message that also leads with it is said without it', async () => {
    const refusing = (error: unknown) => createAdminApi({ fetch: async () => json(400, { error }), token: () => 'tok' });
    const user = { username: 'wang', password: 'long-enough-1', displayName: '王', roles: [{ role: 'admin' as const, orgUnitId: '*' }] };
    expect(await refusing({ code: 'invalid_grant', message: '与第 1 个角色重复', field: 'roles.1' }).createUser(user)).toEqual({
      ok: false,
      status: 400,
      code: 'invalid_grant',
      message: '与第 1 个角色重复',
      field: 'roles.1',
    });
    expect(await refusing({ code: 'invalid_body', message: 'displayName: 请填写姓名', field: 'displayName' }).createUser(user)).toMatchObject({
      message: '请填写姓名',
      field: 'displayName',
    });
  });

  test('no token: nothing is sent', async () => {
    const fetch = vi.fn(async () => json(200, {}));
    const api = createAdminApi({ fetch, token: () => undefined });
    expect(await api.listUsers()).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(fetch).not.toHaveBeenCalled();
  });

  test('audit filters go into the query; the CSV export leaves the page cursor out', async () => {
    const fetch = vi.fn(async (_url: string) => json(200, { entries: [], nextBefore: null }));
    const api = createAdminApi({ fetch, token: () => 'tok' });
    await api.listAudit({ from: '2025-01-01', action: 'login', before: 40 });
    expect(fetch.mock.calls[0]![0]).toBe('/api/admin/audit?from=2025-01-01&action=login&before=40');
    await api.downloadAuditCsv({ from: '2025-01-01', before: 40 });
    expect(fetch.mock.calls[1]![0]).toBe('/api/admin/audit.csv?from=2025-01-01');
  });
});
