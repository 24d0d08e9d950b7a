// An in-memory admin API for component tests: keeps units and users, records calls, and
// answers like the server for the few rules the screens rely on.
import { vi } from 'vitest';
import type { AdminApi, AdminUser, ApiResult, OrgUnit } from '../../../../src/app/screens/Admin/api.ts';

export interface FakeAdminApi extends AdminApi {
  units: OrgUnit[];
  users: AdminUser[];
}

const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
const refuse = <T>(status: number, code: string, message: string, field?: string): ApiResult<T> => ({
  ok: false,
  status,
  code,
  message,
  ...(field ? { field } : {}),
});

export function fakeAdminApi(units: OrgUnit[] = [], users: AdminUser[] = [adminUser()]): FakeAdminApi {
  let next = 1;
  // Like the server: no two units of one parent share a name.
  const nameTaken = <T>(parentId: string | null, name: string, self?: string): ApiResult<T> | undefined => {
    if (!api.units.some((u) => u.parentId === parentId && u.name === name && u.id !== self)) return undefined;
    const parent = api.units.find((u) => u.id === parentId);
    return refuse<T>(409, 'duplicate_name', `${parent ? `${parent.name}下` : '顶层'}已有同名单位“${name}”`, 'name');
  };
  const api: FakeAdminApi = {
    units,
    users,
    listOrgUnits: vi.fn(async () => ok([...api.units])),
    createOrgUnit: vi.fn(async (u) => {
      const taken = nameTaken<OrgUnit>(u.parentId ?? null, u.name);
      if (taken) return taken;
      const unit: OrgUnit = {
        id: `${u.kind}-${next++}`,
        parentId: u.parentId,
        kind: u.kind,
        name: u.name,
        code: u.code ?? null,
        shortName: u.shortName ?? null,
      };
      api.units.push(unit);
      return ok(unit);
    }),
    updateOrgUnit: vi.fn(async (id, changes) => {
      const unit = api.units.find((u) => u.id === id);
      if (!unit) return refuse<OrgUnit>(404, 'not_found', '找不到该组织');
      const taken = nameTaken<OrgUnit>(changes.parentId === undefined ? unit.parentId : changes.parentId, changes.name ?? unit.name, id);
      if (taken) return taken;
      Object.assign(unit, changes);
      return ok({ ...unit });
    }),
    closeOrgUnit: vi.fn(async (id, request) => {
      const unit = api.units.find((u) => u.id === id);
      if (!unit) return refuse<{ orgUnits: OrgUnit[]; closed: string[]; moved: string[] }>(404, 'not_found', '找不到该组织');
      Object.assign(unit, { closedOn: request.closedOn, successorId: request.successorId ?? null, parentId: request.successorId ?? unit.parentId });
      for (const c of request.moveChildren ?? [])
        Object.assign(
          api.units.find((u) => u.id === c)!,
          { parentId: request.successorId },
        );
      return ok({ orgUnits: [{ ...unit }], closed: [], moved: [...(request.moveChildren ?? [])] });
    }),
    previewOrgImport: vi.fn(async () => ok({ creates: [], updates: [], unchanged: 0 })),
    importOrgUnits: vi.fn(async () => ok({ imported: 0 })),
    downloadOrgTemplate: vi.fn(async () => ok(null)),
    listUsers: vi.fn(async () => ok([...api.users])),
    createUser: vi.fn(async (u) => {
      if (api.users.some((x) => x.username === u.username)) return refuse<AdminUser>(409, 'duplicate', `用户名 ${u.username} 已被使用`, 'username');
      const user: AdminUser = {
        id: `user-${next++}`,
        username: u.username,
        displayName: u.displayName,
        disabled: false,
        roles: u.roles,
        createdAt: '2025-03-01T00:00:00.000Z',
      };
      api.users.push(user);
      return ok(user);
    }),
    updateUser: vi.fn(async (id, changes) => {
      const user = api.users.find((u) => u.id === id);
      if (!user) return refuse<AdminUser>(404, 'not_found', '找不到该用户');
      Object.assign(user, changes);
      return ok({ ...user });
    }),
    resetPassword: vi.fn(async () => ok({ revokedTokens: 2 })),
    listDevices: vi.fn(async () => ok([])),
    revokeDevice: vi.fn(async () => ok(null)),
    listAudit: vi.fn(async () => ok({ entries: [], nextBefore: null })),
    downloadAuditCsv: vi.fn(async () => ok(null)),
  };
  return api;
}

function adminUser(): AdminUser {
  return {
    id: 'admin-1',
    username: 'admin',
    displayName: '管理员',
    disabled: false,
    roles: [{ role: 'admin', orgUnitId: '*' }],
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

export const unit = (id: string, parentId: string | null, kind: OrgUnit['kind'], name: string, shortName: string | null = null): OrgUnit => ({
  id,
  parentId,
  kind,
  name,
  code: null,
  shortName,
});
