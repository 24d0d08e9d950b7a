// The admin endpoints as the admin screens call them: org units (by hand and from a CSV or
// .xlsx sheet), accounts, devices and the audit log. A typed wrapper over the app's one client
// (src/app/net) with the shared schemas (#shared/api/admin); a refusal comes back as a code
// with the server's Chinese message (and, for a sheet import, the rows that were wrong),
// never as an exception.
import * as v from 'valibot';
import {
  AdminUser as UserSchema,
  DevicesResponse,
  NewOrgUnitRequest,
  NewUserRequest,
  OrgUnitChangesRequest,
  OrgUnitCloseRequest,
  OrgUnitCloseResponse,
  PasswordResetRequest,
  UserChangesRequest,
  OrgImportPreview,
  OrgImportResponse,
  OrgUnit as OrgUnitSchema,
  OrgUnitsResponse,
  PasswordResetResponse,
  UsersResponse,
  type Device,
  type Grant,
  type RoleCode,
} from '#shared/api/admin';
import { AuditPage, type AuditEntry } from '#shared/api/audit';
import { OkAnswer, type RowError } from '#shared/api/errors';
import { issueMessage, issuePath } from '#shared/issues';
import { createApiClient } from '../../net/client.ts';
import { describeFailure, type Failure, type FetchLike, type Outcome } from '../../net/http.ts';
import { splitField } from '../../net/refused-field.ts';

export type { AuditEntry, Device, Grant, RoleCode, RowError };
export type OrgUnit = v.InferOutput<typeof OrgUnitSchema>;
export type OrgUnitKind = OrgUnit['kind'];
export type AdminUser = v.InferOutput<typeof UserSchema>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An org sheet to import: the file's bytes untouched and how the server should read them. */
export type OrgImportPlan = v.InferOutput<typeof OrgImportPreview>;

export interface OrgSheet {
  bytes: Blob;
  type: 'text/csv' | typeof XLSX_TYPE;
}

/**
 * A refusal's message is for the person, without the field's key; `field` names the field it
 * is about (the request's path: 'username', 'roles.0'), so that a form can show it there.
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; status: number; rows?: RowError[]; field?: string };

type NewOrgUnit = v.InferInput<typeof NewOrgUnitRequest>;
type OrgUnitChanges = v.InferInput<typeof OrgUnitChangesRequest>;
type NewUser = v.InferInput<typeof NewUserRequest>;
type OrgUnitClose = v.InferInput<typeof OrgUnitCloseRequest>;
type UserChanges = v.InferInput<typeof UserChangesRequest>;
export interface AuditFilter {
  from?: string;
  to?: string;
  action?: string;
  actorId?: string;
  before?: number;
}

export interface AdminApi {
  listOrgUnits(): Promise<ApiResult<OrgUnit[]>>;
  createOrgUnit(unit: NewOrgUnit): Promise<ApiResult<OrgUnit>>;
  updateOrgUnit(id: string, changes: OrgUnitChanges): Promise<ApiResult<OrgUnit>>;
  /** 撤并 from a date, optionally into a successor with some of its children; answers the units changed. */
  closeOrgUnit(id: string, request: OrgUnitClose): Promise<ApiResult<{ orgUnits: OrgUnit[]; closed: string[]; moved: string[] }>>;
  /** Imports the sheet as the admin picked it; the server reads it and answers the wrong rows. */
  /** The dry run: what importing the sheet would create and change (or its wrong rows); writes nothing. */
  previewOrgImport(sheet: OrgSheet): Promise<ApiResult<OrgImportPlan>>;
  importOrgUnits(sheet: OrgSheet): Promise<ApiResult<{ imported: number; updated?: number | undefined }>>;
  /** Downloads and saves the org sheet template. */
  downloadOrgTemplate(): Promise<ApiResult<null>>;
  listUsers(): Promise<ApiResult<AdminUser[]>>;
  createUser(user: NewUser): Promise<ApiResult<AdminUser>>;
  updateUser(id: string, changes: UserChanges): Promise<ApiResult<AdminUser>>;
  resetPassword(id: string, password: string): Promise<ApiResult<{ revokedTokens: number }>>;
  listDevices(userId?: string): Promise<ApiResult<Device[]>>;
  revokeDevice(id: string): Promise<ApiResult<null>>;
  listAudit(filter: AuditFilter): Promise<ApiResult<{ entries: AuditEntry[]; nextBefore: number | null }>>;
  /** Downloads and saves the audit log as CSV. */
  downloadAuditCsv(filter: AuditFilter): Promise<ApiResult<null>>;
}

export interface AdminApiDeps {
  fetch: FetchLike;
  /** The session's bearer token, read at each call (it may change after a re-login). */
  token: () => string | undefined;
  /** The server said 401: the session is over. */
  onUnauthorized?: () => void;
}

const NOT_LOGGED_IN = { ok: false, status: 401, code: 'unauthorized', message: '登录已失效，请重新登录' } as const;

/** The admin screens' result shape for one of the client's failures. */
function resultOf(failure: Failure): ApiResult<never> {
  switch (failure.kind) {
    case 'offline':
    case 'timeout':
      return { ok: false, status: 0, code: 'offline', message: '连不上服务器，请检查网络后重试' };
    case 'bad_response':
      return { ok: false, status: failure.status, code: 'bad_response', message: '服务器的应答无法识别，请刷新页面后重试' };
    case 'server_error':
      return { ok: false, status: failure.status, code: 'server_error', message: `服务器出错（${failure.status}），请稍后重试` };
    case 'storage_full':
      return { ok: false, status: 507, code: 'storage_full', message: describeFailure(failure) };
    case 'unauthorized':
      return { ...NOT_LOGGED_IN, message: failure.message ?? NOT_LOGGED_IN.message };
    case 'rate_limited':
      return { ok: false, status: 429, code: 'rate_limited', message: failure.message ?? '请求过于频繁，请稍后再试' };
    case 'refused':
      return {
        ok: false,
        status: failure.status,
        code: failure.code ?? 'refused',
        ...splitField(failure.message ?? `服务器拒绝了请求（${failure.status}）`, failure.field),
        ...(failure.rows ? { rows: failure.rows } : {}),
      };
  }
}

export function createAdminApi(deps: AdminApiDeps): AdminApi {
  const api = createApiClient({ ...deps, timeoutMs: 30_000 });
  // No token, nothing sent: the session is already over.
  const guarded = async <T>(call: () => Promise<Outcome<T>>): Promise<ApiResult<T>> => {
    if (!deps.token()) return NOT_LOGGED_IN;
    const out = await call();
    return out.ok ? { ok: true, value: out.body } : resultOf(out.failure);
  };
  const get = <T>(url: string, schema: v.GenericSchema<unknown, T>) => guarded(() => api.get(url, schema));
  const send = <T>(method: 'POST' | 'PATCH' | 'DELETE', url: string, body: unknown, schema: v.GenericSchema<unknown, T>) =>
    guarded(() => api.send(method, url, body, schema));
  const download = async (path: string): Promise<ApiResult<null>> => {
    if (!deps.token()) return NOT_LOGGED_IN;
    const error = await api.download(path);
    return error === undefined ? { ok: true, value: null } : { ok: false, status: 0, code: 'download_failed', message: error };
  };
  // The request's own schema first: a body the server would refuse is refused here, with the
  // server's words, and nothing is sent.
  const checked = <T>(request: v.GenericSchema, body: unknown, then: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> => {
    const parsed = v.safeParse(request, body);
    if (parsed.success) return then();
    const first = parsed.issues[0];
    const field = first ? issuePath(first) : '';
    return Promise.resolve({
      ok: false,
      status: 400,
      code: 'invalid_body',
      message: first ? issueMessage(first) : '请求内容格式不对',
      ...(field ? { field } : {}),
    });
  };
  const map = <T, U>(r: ApiResult<T>, f: (t: T) => U): ApiResult<U> => (r.ok ? { ok: true, value: f(r.value) } : r);
  const auditQuery = (f: AuditFilter) => {
    const q = new URLSearchParams();
    for (const [k, val] of Object.entries(f)) if (val !== undefined && val !== '') q.set(k, String(val));
    const s = q.toString();
    return s ? `?${s}` : '';
  };

  return {
    listOrgUnits: async () => map(await get('/api/admin/org-units', OrgUnitsResponse), (b) => b.orgUnits),
    createOrgUnit: (unit) => checked(NewOrgUnitRequest, unit, () => send('POST', '/api/admin/org-units', unit, OrgUnitSchema)),
    updateOrgUnit: (id, changes) =>
      checked(OrgUnitChangesRequest, changes, () => send('PATCH', `/api/admin/org-units/${encodeURIComponent(id)}`, changes, OrgUnitSchema)),
    closeOrgUnit: (id, request) =>
      checked(OrgUnitCloseRequest, request, () => send('POST', `/api/admin/org-units/${encodeURIComponent(id)}/close`, request, OrgUnitCloseResponse)),
    previewOrgImport: (sheet) => guarded(() => api.upload('POST', '/api/admin/org-units/import/preview', sheet.bytes, sheet.type, OrgImportPreview)),
    importOrgUnits: (sheet) => guarded(() => api.upload('POST', '/api/admin/org-units/import', sheet.bytes, sheet.type, OrgImportResponse)),
    // The .xlsx template: its code columns are text, so Excel keeps a 12-digit 编号 as typed (not 5.00235E+11).
    downloadOrgTemplate: () => download('/api/admin/org-units/template.xlsx'),
    listUsers: async () => map(await get('/api/admin/users', UsersResponse), (b) => b.users),
    createUser: (user) => checked(NewUserRequest, user, () => send('POST', '/api/admin/users', user, UserSchema)),
    updateUser: (id, changes) => checked(UserChangesRequest, changes, () => send('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, changes, UserSchema)),
    resetPassword: (id, password) =>
      checked(PasswordResetRequest, { password }, () =>
        send('POST', `/api/admin/users/${encodeURIComponent(id)}/password`, { password }, PasswordResetResponse),
      ),
    listDevices: async (userId) =>
      map(await get(`/api/admin/devices${userId ? `?userId=${encodeURIComponent(userId)}` : ''}`, DevicesResponse), (b) => b.devices),
    revokeDevice: async (id) => map(await send('DELETE', `/api/admin/devices/${encodeURIComponent(id)}`, undefined, OkAnswer), () => null),
    listAudit: (filter) => get(`/api/admin/audit${auditQuery(filter)}`, AuditPage),
    downloadAuditCsv: (filter) => download(`/api/admin/audit.csv${auditQuery({ ...filter, before: undefined })}`),
  };
}
