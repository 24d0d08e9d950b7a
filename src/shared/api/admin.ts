// Administration (/api/admin/*): the org tree (by hand or from a sheet), accounts and their
// roles, password resets, devices (live tokens) and the audit log. The request schemas are
// what the server validates; the answers what the admin screens check.
import * as v from 'valibot';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords.ts';
import { ORG_UNIT_KINDS, ROLES, codesOf } from '../codes.ts';

export const ORG_UNIT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const text = (max: number, what: string) =>
  v.pipe(v.string(`${what}应为文字`), v.trim(), v.minLength(1, `请填写${what}`), v.maxLength(max, `${what}不超过 ${max} 字`));
const optionalText = (max: number, what: string) =>
  v.optional(v.nullable(v.pipe(v.string(`${what}应为文字`), v.trim(), v.maxLength(max, `${what}不超过 ${max} 字`))));
const unitId = (what: string) => v.pipe(v.string(`${what}应为文字`), v.regex(ORG_UNIT_ID_PATTERN, `${what}应为 1–64 位字母、数字、点、横线或下划线`));

const OrgUnitKind = v.picklist(codesOf(ORG_UNIT_KINDS), '类型应为 county、town、village、community、grid、committee 或 station');
type OrgUnitKind = v.InferOutput<typeof OrgUnitKind>;
export const RoleCode = v.picklist(codesOf(ROLES), '角色应为 admin、office、mediator 或 grid_worker');
export type RoleCode = v.InferOutput<typeof RoleCode>;

export const NewOrgUnitRequest = v.object({
  id: v.optional(unitId('编号')),
  parentId: v.optional(v.nullable(unitId('上级编号'))),
  kind: OrgUnitKind,
  name: text(100, '名称'),
  code: optionalText(64, '代码'),
  shortName: optionalText(20, '简称'),
});
export type NewOrgUnitRequest = v.InferInput<typeof NewOrgUnitRequest>;

export const OrgUnitChangesRequest = v.object({
  parentId: v.optional(v.nullable(unitId('上级编号'))),
  name: v.optional(text(100, '名称')),
  code: optionalText(64, '代码'),
  shortName: optionalText(20, '简称'),
});
export type OrgUnitChangesRequest = v.InferInput<typeof OrgUnitChangesRequest>;

/**
 * 撤并: the unit takes no new records from `closedOn` (a local date, not after today); with
 * `successorId` it is merged into that unit, and `moveChildren` (its direct children) move there too.
 */
export const OrgUnitCloseRequest = v.object({
  closedOn: v.pipe(v.string('撤并日期应为文字'), v.regex(/^\d{4}-\d{2}-\d{2}$/, '撤并日期格式应为 YYYY-MM-DD'), v.check(isCalendarDate, '撤并日期不存在')),
  successorId: v.optional(v.nullable(unitId('并入单位'))),
  moveChildren: v.optional(v.pipe(v.array(unitId('下级单位'), '下级单位应为列表'), v.maxLength(500, '下级单位过多'))),
});
export type OrgUnitCloseRequest = v.InferInput<typeof OrgUnitCloseRequest>;

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A sheet read by the browser's file reader (the server also takes text/csv and .xlsx bodies). */
export const OrgImportRequest = v.object({ csv: v.pipe(v.string('csv 应为文字'), v.minLength(1, '文件为空')) });

const Password = v.pipe(
  v.string('密码应为文字'),
  v.minLength(MIN_PASSWORD_LENGTH, `密码至少 ${MIN_PASSWORD_LENGTH} 位`),
  v.maxLength(MAX_PASSWORD_LENGTH, `密码不超过 ${MAX_PASSWORD_LENGTH} 位`),
);
const GrantRequest = v.object({
  role: RoleCode,
  orgUnitId: v.optional(v.pipe(v.string('组织编号应为文字'), v.maxLength(64, '组织编号过长'))),
});
export const GrantsRequest = v.pipe(v.array(GrantRequest, '角色应为列表'), v.minLength(1, '请至少分配一个角色'), v.maxLength(50, '角色过多'));
/** What a username may be, said once for the schema's message and the form's hint. */
export const USERNAME_RULE = '2–32 位汉字、字母、数字、点、横线或下划线';
export const NewUserRequest = v.object({
  username: v.pipe(v.string('用户名应为文字'), v.trim(), v.regex(/^[\p{L}\p{N}_.-]{2,32}$/u, `用户名应为 ${USERNAME_RULE}`)),
  password: Password,
  displayName: text(40, '姓名'),
  roles: GrantsRequest,
});
export type NewUserRequest = v.InferInput<typeof NewUserRequest>;
export const UserChangesRequest = v.object({
  displayName: v.optional(text(40, '姓名')),
  disabled: v.optional(v.boolean('停用应为 true 或 false')),
  roles: v.optional(GrantsRequest),
});
export type UserChangesRequest = v.InferInput<typeof UserChangesRequest>;
export const PasswordResetRequest = v.object({ password: Password });

export const OrgUnit = v.object({
  id: v.string(),
  parentId: v.nullable(v.string()),
  kind: OrgUnitKind,
  name: v.string(),
  code: v.optional(v.nullable(v.string()), null),
  shortName: v.optional(v.nullable(v.string()), null),
  /** 撤并: the local date from which it takes no new records, and the unit it was merged into. */
  closedOn: v.optional(v.nullable(v.string())),
  successorId: v.optional(v.nullable(v.string())),
});
export type OrgUnit = v.InferOutput<typeof OrgUnit>;
export const OrgUnitsResponse = v.object({ orgUnits: v.array(OrgUnit) });
/** The units a close changed: the unit, those closed with it, those moved to its successor. */
export const OrgUnitCloseResponse = v.object({ orgUnits: v.array(OrgUnit), closed: v.array(v.string()), moved: v.array(v.string()) });
export const OrgImportResponse = v.object({ imported: v.number(), updated: v.optional(v.number()), orgUnits: v.optional(v.array(OrgUnit)) });
/** The dry run of an import: the units it would create, the changes it would make, rows already as the tree has them. */
export const OrgImportPreview = v.object({
  creates: v.array(OrgUnit),
  updates: v.array(v.object({ row: v.number(), before: OrgUnit, after: OrgUnit })),
  unchanged: v.number(),
});

/** A grant as the admin screens see it: an admin's names the whole tree ('*'). */
export const Grant = v.object({ role: RoleCode, orgUnitId: v.string() });
export type Grant = v.InferOutput<typeof Grant>;

export const AdminUser = v.object({
  id: v.string(),
  username: v.string(),
  displayName: v.string(),
  disabled: v.boolean(),
  roles: v.array(Grant),
  createdAt: v.string(),
});
export type AdminUser = v.InferOutput<typeof AdminUser>;
export const UsersResponse = v.object({ users: v.array(AdminUser) });
export const PasswordResetResponse = v.object({ ok: v.literal(true), revokedTokens: v.number() });

/** A live token: one per logged-in device. */
export const Device = v.object({
  id: v.string(),
  userId: v.string(),
  username: v.string(),
  deviceId: v.nullable(v.string()),
  deviceName: v.nullable(v.string()),
  createdAt: v.string(),
  lastUsedAt: v.string(),
  expiresAt: v.string(),
  revokedAt: v.optional(v.nullable(v.string())),
});
export type Device = v.InferOutput<typeof Device>;
export const DevicesResponse = v.object({ devices: v.array(Device) });
