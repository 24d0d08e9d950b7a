// Login, logout and "who am I" (GET /api/me, with the org units the phone needs offline).
import * as v from 'valibot';

export const LoginRequest = v.object({
  username: v.pipe(v.string('请填写用户名'), v.trim(), v.minLength(1, '请填写用户名'), v.maxLength(64, '用户名过长')),
  password: v.pipe(v.string('请填写密码'), v.minLength(1, '请填写密码'), v.maxLength(256, '密码过长')),
  deviceId: v.optional(v.pipe(v.string('设备编号应为文字'), v.minLength(1, '设备编号不能为空'), v.maxLength(64, '设备编号过长'))),
  deviceName: v.optional(v.pipe(v.string('设备名称应为文字'), v.trim(), v.maxLength(100, '设备名称过长'))),
});
export type LoginRequest = v.InferInput<typeof LoginRequest>;

/** A role held on a unit; an admin's grant names the whole tree ('*'). */
const SessionGrant = v.object({ role: v.string(), orgUnitId: v.string() });

export const SessionUser = v.object({
  id: v.string(),
  username: v.string(),
  displayName: v.string(),
  roles: v.array(SessionGrant),
});
export type SessionUser = v.InferOutput<typeof SessionUser>;

export const LoginResponse = v.object({ token: v.pipe(v.string(), v.minLength(1)), user: SessionUser, expiresAt: v.optional(v.string()) });
export type LoginResponse = v.InferOutput<typeof LoginResponse>;

export const MeOrgUnit = v.object({
  id: v.string(),
  parentId: v.nullable(v.string()),
  // A string on the phone: a kind a newer server adds still shows by its name.
  kind: v.string(),
  name: v.string(),
  shortName: v.optional(v.nullable(v.string())),
  code: v.optional(v.nullable(v.string())),
  /** Whether the user may record cases, outreach and sweeps here. */
  writable: v.optional(v.boolean()),
  /** 撤并: the local date from which it takes no new records, and the unit it was merged into. */
  closedOn: v.optional(v.string()),
  successorId: v.optional(v.nullable(v.string())),
});
export type MeOrgUnit = v.InferOutput<typeof MeOrgUnit>;

/** A unit of the user's town outside the units they read: only its name, for what a 更正 moved to or from it. */
export const MeUnitName = v.object({ id: v.string(), parentId: v.nullable(v.string()), kind: v.string(), name: v.string() });
export type MeUnitName = v.InferOutput<typeof MeUnitName>;

export const MeResponse = v.object({
  user: SessionUser,
  orgUnits: v.array(MeOrgUnit),
  // Absent from an older server: the phone then shows such a unit as 其他单位.
  unitNames: v.optional(v.array(MeUnitName), []),
});
export type MeResponse = v.InferOutput<typeof MeResponse>;
