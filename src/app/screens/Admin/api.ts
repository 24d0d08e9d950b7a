// The admin endpoints as the admin screens call them: org units (by hand and from a CSV
// sheet), accounts, devices and the audit log. Every answer is checked against a schema; a
// refusal comes back as a code with the server's Chinese message (and, for a sheet import,
// the rows that were wrong), never as an exception.
import * as v from 'valibot';

export const OrgUnitSchema = v.object({
  id: v.string(),
  parentId: v.nullable(v.string()),
  kind: v.picklist(['county', 'town', 'village', 'community', 'grid', 'committee', 'station']),
  name: v.string(),
  code: v.optional(v.nullable(v.string()), null),
  shortName: v.optional(v.nullable(v.string()), null),
});
export type OrgUnit = v.InferOutput<typeof OrgUnitSchema>;
export type OrgUnitKind = OrgUnit['kind'];

const GrantSchema = v.object({ role: v.picklist(['admin', 'office', 'mediator', 'grid_worker']), orgUnitId: v.string() });
export type Grant = v.InferOutput<typeof GrantSchema>;
export type RoleCode = Grant['role'];

export const UserSchema = v.object({
  id: v.string(),
  username: v.string(),
  displayName: v.string(),
  disabled: v.boolean(),
  roles: v.array(GrantSchema),
  createdAt: v.string(),
});
export type AdminUser = v.InferOutput<typeof UserSchema>;

const DeviceSchema = v.object({
  id: v.string(),
  userId: v.string(),
  username: v.string(),
  deviceId: v.nullable(v.string()),
  deviceName: v.nullable(v.string()),
  createdAt: v.string(),
  lastUsedAt: v.string(),
  expiresAt: v.string(),
});
export type Device = v.InferOutput<typeof DeviceSchema>;

const AuditEntrySchema = v.object({
  id: v.number(),
  at: v.string(),
  actorId: v.nullable(v.string()),
  actorName: v.nullable(v.string()),
  action: v.string(),
  subjectId: v.nullable(v.string()),
  orgUnitId: v.nullable(v.string()),
  reason: v.nullable(v.string()),
  detail: v.optional(v.unknown()),
});
export type AuditEntry = v.InferOutput<typeof AuditEntrySchema>;

const RowErrorSchema = v.object({ row: v.number(), column: v.optional(v.string()), message: v.string() });
export type RowError = v.InferOutput<typeof RowErrorSchema>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An org sheet to import: the file's bytes untouched and how the server should read them. */
export interface OrgSheet {
  bytes: Blob;
  type: 'text/csv' | typeof XLSX_TYPE;
}

const ErrorBody = v.object({
  error: v.object({ code: v.string(), message: v.string(), rows: v.optional(v.array(RowErrorSchema)) }),
});

export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; status: number; rows?: RowError[] };

export interface NewOrgUnit {
  parentId: string | null;
  kind: OrgUnitKind;
  name: string;
  code?: string | null;
  shortName?: string | null;
}
export interface OrgUnitChanges {
  parentId?: string | null;
  name?: string;
  code?: string | null;
  shortName?: string | null;
}
export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  roles: Grant[];
}
export interface UserChanges {
  displayName?: string;
  disabled?: boolean;
  roles?: Grant[];
}
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
  /** Imports the sheet as the admin picked it; the server reads it and answers the wrong rows. */
  importOrgUnits(sheet: OrgSheet): Promise<ApiResult<{ imported: number }>>;
  downloadOrgTemplate(): Promise<ApiResult<Blob>>;
  listUsers(): Promise<ApiResult<AdminUser[]>>;
  createUser(user: NewUser): Promise<ApiResult<AdminUser>>;
  updateUser(id: string, changes: UserChanges): Promise<ApiResult<AdminUser>>;
  resetPassword(id: string, password: string): Promise<ApiResult<{ revokedTokens: number }>>;
  listDevices(userId?: string): Promise<ApiResult<Device[]>>;
  revokeDevice(id: string): Promise<ApiResult<null>>;
  listAudit(filter: AuditFilter): Promise<ApiResult<{ entries: AuditEntry[]; nextBefore: number | null }>>;
  downloadAuditCsv(filter: AuditFilter): Promise<ApiResult<Blob>>;
}

export interface AdminApiDeps {
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** The session's bearer token, read at each call (it may change after a re-login). */
  token: () => string | undefined;
  /** The server said 401: the session is over. */
  onUnauthorized?: () => void;
}

const TIMEOUT_MS = 30_000;
const Ok = v.object({ ok: v.literal(true) });

export function createAdminApi(deps: AdminApiDeps): AdminApi {
  async function send(path: string, init: RequestInit): Promise<ApiResult<Response>> {
    const token = deps.token();
    if (!token) return { ok: false, status: 401, code: 'unauthorized', message: '登录已失效，请重新登录' };
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response: Response;
    try {
      response = await deps.fetch(path, { ...init, headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      return { ok: false, status: 0, code: 'offline', message: '连不上服务器，请检查网络后重试' };
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) return { ok: true, value: response };
    if (response.status === 401) deps.onUnauthorized?.();
    const parsed = v.safeParse(ErrorBody, await readJson(response));
    if (parsed.success) {
      const { code, message, rows } = parsed.output.error;
      return { ok: false, status: response.status, code, message, ...(rows ? { rows } : {}) };
    }
    return { ok: false, status: response.status, code: 'server_error', message: `服务器出错（${response.status}），请稍后重试` };
  }

  async function json<T>(path: string, init: RequestInit, schema: v.GenericSchema<unknown, T>): Promise<ApiResult<T>> {
    const sent = await send(path, init);
    if (!sent.ok) return sent;
    const parsed = v.safeParse(schema, await readJson(sent.value));
    if (!parsed.success) return { ok: false, status: sent.value.status, code: 'bad_response', message: '服务器的应答无法识别，请刷新页面后重试' };
    return { ok: true, value: parsed.output };
  }

  async function blob(path: string): Promise<ApiResult<Blob>> {
    const sent = await send(path, { method: 'GET' });
    if (!sent.ok) return sent;
    return { ok: true, value: await sent.value.blob() };
  }

  const withBody = (method: string, body: unknown): RequestInit => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const map = <T, U>(r: ApiResult<T>, f: (t: T) => U): ApiResult<U> => (r.ok ? { ok: true, value: f(r.value) } : r);
  const auditQuery = (f: AuditFilter) => {
    const q = new URLSearchParams();
    for (const [k, val] of Object.entries(f)) if (val !== undefined && val !== '') q.set(k, String(val));
    const s = q.toString();
    return s ? `?${s}` : '';
  };

  return {
    listOrgUnits: async () => map(await json('/api/admin/org-units', { method: 'GET' }, v.object({ orgUnits: v.array(OrgUnitSchema) })), (b) => b.orgUnits),
    createOrgUnit: (unit) => json('/api/admin/org-units', withBody('POST', unit), OrgUnitSchema),
    updateOrgUnit: (id, changes) => json(`/api/admin/org-units/${encodeURIComponent(id)}`, withBody('PATCH', changes), OrgUnitSchema),
    importOrgUnits: (sheet) =>
      json('/api/admin/org-units/import', { method: 'POST', headers: { 'Content-Type': sheet.type }, body: sheet.bytes }, v.object({ imported: v.number() })),
    downloadOrgTemplate: () => blob('/api/admin/org-units/template.csv'),
    listUsers: async () => map(await json('/api/admin/users', { method: 'GET' }, v.object({ users: v.array(UserSchema) })), (b) => b.users),
    createUser: (user) => json('/api/admin/users', withBody('POST', user), UserSchema),
    updateUser: (id, changes) => json(`/api/admin/users/${encodeURIComponent(id)}`, withBody('PATCH', changes), UserSchema),
    resetPassword: (id, password) =>
      json(`/api/admin/users/${encodeURIComponent(id)}/password`, withBody('POST', { password }), v.object({ revokedTokens: v.number() })),
    listDevices: async (userId) =>
      map(await json(`/api/admin/devices${userId ? `?userId=${encodeURIComponent(userId)}` : ''}`, { method: 'GET' }, v.object({ devices: v.array(DeviceSchema) })), (b) => b.devices),
    revokeDevice: async (id) => map(await json(`/api/admin/devices/${encodeURIComponent(id)}`, { method: 'DELETE' }, Ok), () => null),
    listAudit: (filter) => json(`/api/admin/audit${auditQuery(filter)}`, { method: 'GET' }, v.object({ entries: v.array(AuditEntrySchema), nextBefore: v.nullable(v.number()) })),
    downloadAuditCsv: (filter) => blob(`/api/admin/audit.csv${auditQuery({ ...filter, before: undefined })}`),
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/** Hands a downloaded file to the browser as a download with a Chinese file name. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; revoke after the browser has taken the URL.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
