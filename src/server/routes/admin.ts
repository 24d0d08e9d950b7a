// Administration: the org tree (by hand or from a CSV sheet), accounts and their roles,
// password resets, devices (live tokens) and their revocation. Admin only, except that
// office staff may read the tree of their own subtree. Every change is written to the
// audit log with who made it, in the change's own transaction (the store takes the entry along).
import { randomBytes, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type * as v from 'valibot';
import {
  type GrantsRequest,
  NewOrgUnitRequest,
  NewUserRequest,
  OrgImportRequest,
  OrgUnitCloseRequest,
  type OrgUnitCloseResponse,
  OrgUnitChangesRequest,
  PasswordResetRequest,
  UserChangesRequest,
  type AdminUser,
  type DevicesResponse,
  type OrgImportPreview,
  type OrgImportResponse,
  type OrgUnit,
  type OrgUnitsResponse,
  type PasswordResetResponse,
  type UsersResponse,
} from '#shared/api/admin';
import type { OkAnswer, RowError } from '#shared/api/errors';
import { ROLES, type Role } from '#shared/codes';
import { auditEntry } from '../access/audit.ts';
import { requireRole, requireUser } from '../access/middleware.ts';
import { invalidateOrgTree, loadOrgTree, type OrgTree } from '../access/org-tree.ts';
import {
  checkPlacement,
  decodeSheetText,
  kindLabel,
  orgTemplateCsv,
  orgTemplateXlsx,
  planOrgImport,
  type ImportResult,
  XLSX_TYPE,
  xlsxToCsv,
} from '../access/org-import.ts';
import { closedLabel, planUnitClose } from '../access/org-closing.ts';
import { hashPassword } from '../access/passwords.ts';
import { localDateOf } from '#shared/time';
import { ALL_UNITS } from '../access/scope.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, refusedAt, sendFailure, type Failure } from '../http/errors.ts';
import { INVALID_TEXT_MESSAGE, isStorableText, parseJsonBody, readJsonObject, validate } from '../http/body.ts';
import type { AccountStore, AccountUser, NameClash, OrgUnit as StoredOrgUnit, StoredRoleGrant } from '../storage/account-store.ts';
import type { SharedStateStore } from '../storage/shared-state-store.ts';
import { GRANT_KINDS } from '#shared/org-rules';
import { passwordProblem } from '#shared/passwords';

export interface AdminRouteDeps {
  store: AccountStore & SharedStateStore;
  clock: () => Date;
  /** The zone whose calendar a close date is checked against (config.timeZone). */
  timeZone: string;
}

/** 400 'weak_password' at the password, with the shared rule's message (the admin screen shows the same one before sending). */
function weakPassword(password: string, username: string): Failure | undefined {
  const problem = passwordProblem(password, username);
  return problem === undefined ? undefined : refusedAt('password', 400, 'weak_password', problem);
}

const ROLE_LABELS: Record<Role, string> = Object.fromEntries(ROLES.map((r) => [r.code, r.label])) as Record<Role, string>;

/**
 * Grants as stored (admin covers the tree: no unit), or why one is not acceptable, at its row
 * (`roles.N`): a unit that does not exist, is closed or does not fit the role, or a row that
 * repeats an earlier one (the store would keep it once; the admin meant something else).
 */
function checkGrants(grants: v.InferOutput<typeof GrantsRequest>, tree: OrgTree): { ok: true; value: StoredRoleGrant[] } | Failure {
  const out: StoredRoleGrant[] = [];
  for (const [i, g] of grants.entries()) {
    const at = `roles.${i}`;
    let grant: StoredRoleGrant;
    if (g.role === 'admin') {
      // An admin covers the whole tree: a unit named with the grant (as the contract's
      // {role, orgUnitId} shape invites) must exist, and is not kept.
      if (g.orgUnitId !== undefined && g.orgUnitId !== ALL_UNITS && g.orgUnitId !== '' && !tree.get(g.orgUnitId)) {
        return refusedAt(at, 400, 'unknown_org_unit', `找不到组织 ${g.orgUnitId}`);
      }
      grant = { role: 'admin', orgUnitId: null };
    } else {
      const unit = g.orgUnitId ? tree.get(g.orgUnitId) : undefined;
      if (!unit) return refusedAt(at, 400, 'unknown_org_unit', g.orgUnitId ? `找不到组织 ${g.orgUnitId}` : `请选择${ROLE_LABELS[g.role]}所在的单位`);
      if (unit.closedOn) return refusedAt(at, 400, 'invalid_grant', `${unit.name}${closedLabel(unit, tree) ?? '已撤并'}，不能再分配角色`);
      if (!GRANT_KINDS[g.role].includes(unit.kind)) {
        return refusedAt(
          at,
          400,
          'invalid_grant',
          `${ROLE_LABELS[g.role]}不能分配在${kindLabel(unit.kind)}上（可选：${GRANT_KINDS[g.role].map(kindLabel).join('、')}）`,
        );
      }
      grant = { role: g.role, orgUnitId: unit.id };
    }
    const same = out.findIndex((x) => x.role === grant.role && x.orgUnitId === grant.orgUnitId);
    if (same >= 0) return refusedAt(at, 400, 'invalid_grant', `与第 ${same + 1} 个角色重复`);
    out.push(grant);
  }
  return { ok: true, value: out };
}

const wireUser = (u: AccountUser): AdminUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  disabled: u.disabled,
  roles: u.roles.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId ?? ALL_UNITS })),
  createdAt: u.createdAt,
});

/** A unit as the admin screens read it: its 撤并 date and successor, not its move history. */
const wireUnit = ({ formerParents: _, ...u }: StoredOrgUnit): OrgUnit => ({ ...u, closedOn: u.closedOn ?? null, successorId: u.successorId ?? null });

/**
 * What 409 'duplicate_name' says: "向阳村下已有同名单位“向阳村第一网格”". The store finds the clash in
 * the write's own transaction; the parent is named from the tree, or from the units being created with it.
 */
function nameTaken(clash: NameClash, tree: OrgTree, creating: readonly StoredOrgUnit[] = []): string {
  const parent = clash.parentId === null ? undefined : (tree.get(clash.parentId) ?? creating.find((u) => u.id === clash.parentId));
  const where = clash.parentId === null ? '顶层' : `${parent?.name ?? clash.parentId}下`;
  return `${where}已有同名单位“${clash.name}”`;
}

/**
 * The unit's name as the audit entry keeps it, at the time of the action (the log is read
 * after later renames): unitName, and for a rename previousName too.
 */
function namesOf(before: Pick<StoredOrgUnit, 'name'>, patch: { name?: string } = {}): { unitName: string; previousName?: string } {
  const name = patch.name ?? before.name;
  return name === before.name ? { unitName: name } : { unitName: name, previousName: before.name };
}

/** Kept here too for the routes that import it from this module. */
export { auditEntry };

export function adminRoutes({ store, clock, timeZone }: AdminRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const auth = requireUser(store, { clock });
  const adminOnly = requireRole('admin');
  const entry = (c: Context<AppEnv>, action: string, fields?: Parameters<typeof auditEntry>[3]) => auditEntry(c.var.principal, clock(), action, fields);

  app.get('/api/admin/org-units', auth, requireRole('admin', 'office'), async (c) => {
    const tree = await loadOrgTree(store);
    const scope = c.var.scope;
    const units = [...tree.units.values()].filter((u) => scope.isAdmin || scope.readableUnits.has(u.id));
    return c.json<v.InferOutput<typeof OrgUnitsResponse>>({ orgUnits: units.map(wireUnit) });
  });

  app.get('/api/admin/org-units/template.csv', auth, adminOnly, (c) => {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('组织架构导入模板.csv')}`);
    return c.body(orgTemplateCsv());
  });

  app.get('/api/admin/org-units/template.xlsx', auth, adminOnly, async (c) => {
    c.header('Content-Type', XLSX_TYPE);
    c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('组织架构导入模板.xlsx')}`);
    return c.body(await orgTemplateXlsx());
  });

  app.post('/api/admin/org-units', auth, adminOnly, async (c) => {
    const body = await parseJsonBody(c, NewOrgUnitRequest);
    if (!body.ok) return sendFailure(c, body);
    const input = body.value;
    const tree = await loadOrgTree(store);
    const parentId = input.parentId ?? null;
    const parent = parentId === null ? null : tree.get(parentId);
    if (parent === undefined) return sendFailure(c, refusedAt('parentId', 400, 'unknown_parent', `找不到上级组织 ${parentId}`));
    if (parent?.closedOn)
      return sendFailure(c, refusedAt('parentId', 400, 'invalid_parent', `上级组织${parent.name}${closedLabel(parent, tree)}，不能再建下级`));
    const misplaced = checkPlacement(input.kind, parent);
    if (misplaced) return sendFailure(c, refusedAt('parentId', 400, 'invalid_parent', misplaced));
    const unit: OrgUnit = {
      id: input.id ?? `${input.kind}-${randomBytes(6).toString('hex')}`,
      parentId,
      kind: input.kind,
      name: input.name,
      code: input.code || null,
      shortName: input.shortName || null,
    };
    const created = await store.insertOrgUnits(
      [unit],
      clock(),
      entry(c, 'org_unit.created', { orgUnitId: unit.id, detail: { name: unit.name, kind: unit.kind, parentId } }),
    );
    // The tree read above tells which of the two was taken: an id given that a unit has, else the code.
    if (created === 'duplicate') return sendFailure(c, refusedAt(input.id && tree.get(input.id) ? 'id' : 'code', 409, 'duplicate', '编号或代码已被使用'));
    if (typeof created === 'object') return sendFailure(c, refusedAt('name', 409, 'duplicate_name', nameTaken(created, tree)));
    invalidateOrgTree(store);
    return c.json<OrgUnit>(wireUnit(unit), 201);
  });

  app.patch('/api/admin/org-units/:id', auth, adminOnly, async (c) => {
    const body = await parseJsonBody(c, OrgUnitChangesRequest);
    if (!body.ok) return sendFailure(c, body);
    const id = c.req.param('id');
    const tree = await loadOrgTree(store);
    const unit = tree.get(id);
    if (!unit) return sendFailure(c, failure(404, 'not_found', '找不到该组织'));
    const changes = body.value;
    if (Object.values(changes).every((x) => x === undefined)) return sendFailure(c, failure(400, 'invalid_body', '没有要修改的内容'));
    if (changes.parentId !== undefined && changes.parentId !== unit.parentId) {
      const parent = changes.parentId === null ? null : tree.get(changes.parentId);
      const refused = (code: 'unknown_parent' | 'invalid_parent', message: string) => sendFailure(c, refusedAt('parentId', 400, code, message));
      if (parent === undefined) return refused('unknown_parent', `找不到上级组织 ${changes.parentId}`);
      if (parent && tree.subtree(id).includes(parent.id)) return refused('invalid_parent', '不能移到自己或下级组织之下');
      if (parent?.closedOn) return refused('invalid_parent', `上级组织${parent.name}${closedLabel(parent, tree)}，不能移到其下`);
      if (unit.closedOn) return refused('invalid_parent', `${unit.name}${closedLabel(unit, tree)}，不能再移动`);
      const misplaced = checkPlacement(unit.kind, parent);
      if (misplaced) return refused('invalid_parent', misplaced);
    }
    const patch = {
      ...(changes.parentId !== undefined ? { parentId: changes.parentId } : {}),
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.code !== undefined ? { code: changes.code || null } : {}),
      ...(changes.shortName !== undefined ? { shortName: changes.shortName || null } : {}),
    };
    const result = await store.updateOrgUnit(id, patch, entry(c, 'org_unit.updated', { orgUnitId: id, detail: { ...patch, ...namesOf(unit, patch) } }));
    if (result === 'duplicate') return sendFailure(c, refusedAt('code', 409, 'duplicate', '代码已被使用'));
    if (result === 'not_found') return sendFailure(c, failure(404, 'not_found', '找不到该组织'));
    if (typeof result === 'object') return sendFailure(c, refusedAt('name', 409, 'duplicate_name', nameTaken(result, tree)));
    invalidateOrgTree(store);
    return c.json<OrgUnit>(wireUnit({ ...unit, ...patch }));
  });

  // 撤并 (合村并居): closed from a date, optionally merged into another unit; written with an audit row per unit changed.
  app.post('/api/admin/org-units/:id/close', auth, adminOnly, async (c) => {
    const body = await parseJsonBody(c, OrgUnitCloseRequest);
    if (!body.ok) return sendFailure(c, body);
    const id = c.req.param('id');
    const tree = await loadOrgTree(store);
    const now = clock();
    const req = { closedOn: body.value.closedOn, successorId: body.value.successorId ?? undefined, moveChildren: body.value.moveChildren };
    const plan = planUnitClose(tree, id, req, localDateOf(now.toISOString(), timeZone));
    if (!plan.ok) return sendFailure(c, failure(plan.status, plan.code, plan.message));
    const { closedOn, successorId } = req;
    const audit = [
      entry(c, 'org_unit.closed', {
        orgUnitId: id,
        detail: { closedOn, successorId: successorId ?? null, moved: plan.moved, closed: plan.closed, ...namesOf(tree.get(id)!) },
      }),
      ...plan.moved.map((u) =>
        entry(c, 'org_unit.moved', { orgUnitId: u, detail: { from: id, to: successorId ?? null, movedOn: closedOn, ...namesOf(tree.get(u)!) } }),
      ),
      ...plan.closed.map((u) => entry(c, 'org_unit.closed', { orgUnitId: u, detail: { closedOn, with: id, ...namesOf(tree.get(u)!) } })),
    ];
    const written = await store.applyOrgChanges({ ...plan.change, audit }, now);
    if (written === 'duplicate') return sendFailure(c, failure(409, 'duplicate', '同一天不能把同一单位移动两次'));
    if (written === 'not_found') return sendFailure(c, failure(404, 'not_found', '找不到该组织'));
    if (typeof written === 'object') return sendFailure(c, failure(409, 'duplicate_name', nameTaken(written, tree)));
    invalidateOrgTree(store);
    const after = await loadOrgTree(store);
    const changed = [id, ...plan.moved, ...plan.closed].flatMap((u) => after.get(u) ?? []);
    return c.json<v.InferOutput<typeof OrgUnitCloseResponse>>({ orgUnits: changed.map(wireUnit), closed: plan.closed, moved: plan.moved });
  });

  /** The sheet of an import or preview request, planned against the tree (a Failure for a file it cannot read). */
  const planOf = async (c: Context<AppEnv>): Promise<Failure | { ok: true; plan: ImportResult }> => {
    // The sheet comes as the file the admin picked, text/csv (UTF-8 or GB18030) or an .xlsx
    // workbook, read here and nowhere else; or as JSON {csv: "…"} from a script.
    let csv: string;
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'text/csv') {
      csv = decodeSheetText(new Uint8Array(await c.req.arrayBuffer()));
    } else if (type === XLSX_TYPE) {
      const text = await xlsxToCsv(new Uint8Array(await c.req.arrayBuffer()));
      if (text === undefined) return failure(400, 'invalid_xlsx', '无法读取该 Excel 文件，请使用下载的模板（.xlsx）');
      csv = text;
    } else {
      const body = await readJsonObject(c);
      if (!body.ok) return body;
      const parsed = validate(OrgImportRequest, body.value);
      if (!parsed.ok) return parsed;
      csv = parsed.value.csv;
    }
    if (csv.includes('\u0000')) return failure(400, 'invalid_csv', '文件中含有空字符（U+0000），请检查文件格式');
    const plan = planOrgImport(csv, await loadOrgTree(store));
    // A workbook's XML may spell a lone surrogate as a character reference: refused like a JSON body's.
    const units = plan.ok ? [...plan.creates, ...plan.updates.map((u) => u.after)] : [];
    if (units.some((u) => [u.id, u.name, u.code ?? '', u.shortName ?? ''].some((x) => !isStorableText(x))))
      return failure(400, 'invalid_text', INVALID_TEXT_MESSAGE);
    return { ok: true, plan };
  };
  const refusedPlan = (errors: RowError[]) =>
    failure(400, 'import_invalid', `导入失败：${new Set(errors.map((e) => e.row)).size} 行有错误，未导入任何数据`, { rows: errors });

  // The dry run: what an import of this sheet would create and change, or every wrong row; writes nothing.
  app.post('/api/admin/org-units/import/preview', auth, adminOnly, async (c) => {
    const read = await planOf(c);
    if (!read.ok) return sendFailure(c, read);
    const { plan } = read;
    if (!plan.ok) return sendFailure(c, refusedPlan(plan.errors));
    return c.json<v.InferOutput<typeof OrgImportPreview>>({
      creates: plan.creates.map(wireUnit),
      updates: plan.updates.map((u) => ({ row: u.row, before: wireUnit(u.before), after: wireUnit(u.after) })),
      unchanged: plan.unchanged,
    });
  });

  app.post('/api/admin/org-units/import', auth, adminOnly, async (c) => {
    const read = await planOf(c);
    if (!read.ok) return sendFailure(c, read);
    const { plan } = read;
    if (!plan.ok) return sendFailure(c, refusedPlan(plan.errors));
    // Creates, updates and every audit row in one transaction: a failure midway leaves the tree as it was.
    const updates = plan.updates.map((u) => ({ id: u.after.id, patch: { name: u.after.name, parentId: u.after.parentId, shortName: u.after.shortName } }));
    const audit = [
      entry(c, 'org_unit.imported', { detail: { count: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged } }),
      ...plan.updates.map((u, i) => entry(c, 'org_unit.updated', { orgUnitId: u.after.id, detail: { ...updates[i]!.patch, ...namesOf(u.before, u.after) } })),
    ];
    const written = await store.applyOrgChanges({ creates: plan.creates, updates, audit }, clock());
    if (written === 'duplicate') return sendFailure(c, failure(409, 'duplicate', '编号或代码与已有组织重复（可能刚被他人添加），未导入任何数据'));
    if (written === 'not_found') return sendFailure(c, failure(409, 'not_found', '要更新的单位已被他人改动，未导入任何数据，请重新预览'));
    if (typeof written === 'object') {
      return sendFailure(c, failure(409, 'duplicate_name', `${nameTaken(written, await loadOrgTree(store), plan.creates)}，未导入任何数据`));
    }
    invalidateOrgTree(store);
    return c.json<v.InferOutput<typeof OrgImportResponse>>(
      { imported: plan.creates.length, updated: plan.updates.length, orgUnits: [...plan.creates, ...plan.updates.map((u) => u.after)].map(wireUnit) },
      201,
    );
  });

  app.get('/api/admin/users', auth, adminOnly, async (c) => c.json<v.InferOutput<typeof UsersResponse>>({ users: (await store.listUsers()).map(wireUser) }));

  app.post('/api/admin/users', auth, adminOnly, async (c) => {
    const body = await parseJsonBody(c, NewUserRequest);
    if (!body.ok) return sendFailure(c, body);
    const weak = weakPassword(body.value.password, body.value.username);
    if (weak) return sendFailure(c, weak);
    const grants = checkGrants(body.value.roles, await loadOrgTree(store));
    if (!grants.ok) return sendFailure(c, grants);
    const now = clock();
    const user = { id: randomUUID(), username: body.value.username, displayName: body.value.displayName, roles: grants.value, createdAt: now };
    const result = await store.insertUser(
      { ...user, passwordHash: await hashPassword(body.value.password) },
      entry(c, 'user.created', { subjectId: user.id, detail: { username: user.username, roles: body.value.roles } }),
    );
    if (result === 'duplicate') return sendFailure(c, refusedAt('username', 409, 'duplicate', `用户名 ${user.username} 已被使用`));
    return c.json<AdminUser>(wireUser({ ...user, disabled: false, createdAt: now.toISOString() }), 201);
  });

  app.patch('/api/admin/users/:id', auth, adminOnly, async (c) => {
    const body = await parseJsonBody(c, UserChangesRequest);
    if (!body.ok) return sendFailure(c, body);
    const id = c.req.param('id');
    const changes = body.value;
    if (Object.values(changes).every((x) => x === undefined)) return sendFailure(c, failure(400, 'invalid_body', '没有要修改的内容'));
    let roles: StoredRoleGrant[] | undefined;
    if (changes.roles) {
      const grants = checkGrants(changes.roles, await loadOrgTree(store));
      if (!grants.ok) return sendFailure(c, grants);
      roles = grants.value;
    }
    // An admin cannot lock themselves out by mistake.
    if (id === c.var.principal.userId && (changes.disabled === true || (roles && !roles.some((g) => g.role === 'admin')))) {
      return sendFailure(c, failure(409, 'self_lockout', '不能停用自己的账号或取消自己的管理员角色'));
    }
    const now = clock();
    const patch = {
      ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
      ...(roles ? { roles } : {}),
    };
    // A disabled account's tokens already stop working; revoking them also keeps re-enabling from reviving old sessions.
    const change = {
      revokeTokens: changes.disabled === true,
      audit: () => entry(c, changes.disabled === true ? 'user.disabled' : 'user.updated', { subjectId: id, detail: changes }),
    };
    if ((await store.updateUser(id, patch, now, change)) === 'not_found') return sendFailure(c, failure(404, 'not_found', '找不到该用户'));
    const user = await store.findUserById(id);
    if (!user) return sendFailure(c, failure(404, 'not_found', '找不到该用户'));
    const { passwordHash: _, ...rest } = user;
    return c.json<AdminUser>(wireUser(rest));
  });

  app.post('/api/admin/users/:id/password', auth, adminOnly, async (c) => {
    const body = await parseJsonBody(c, PasswordResetRequest);
    if (!body.ok) return sendFailure(c, body);
    const id = c.req.param('id');
    const target = await store.findUserById(id);
    if (!target) return sendFailure(c, failure(404, 'not_found', '找不到该用户'));
    const weak = weakPassword(body.value.password, target.username);
    if (weak) return sendFailure(c, weak);
    const now = clock();
    // A reset usually means the old password leaked: log every device out, in the same transaction.
    let revoked = 0;
    const change = {
      revokeTokens: true,
      audit: (n: number) => {
        revoked = n;
        return entry(c, 'user.password_reset', { subjectId: id, detail: { revokedTokens: n } });
      },
    };
    if ((await store.updateUser(id, { passwordHash: await hashPassword(body.value.password) }, now, change)) === 'not_found') {
      return sendFailure(c, failure(404, 'not_found', '找不到该用户'));
    }
    return c.json<v.InferOutput<typeof PasswordResetResponse>>({ ok: true, revokedTokens: revoked });
  });

  app.get('/api/admin/devices', auth, adminOnly, async (c) => {
    const userId = c.req.query('userId');
    return c.json<v.InferOutput<typeof DevicesResponse>>({ devices: await store.listLiveTokens(clock(), userId || undefined) });
  });

  app.delete('/api/admin/devices/:id', auth, adminOnly, async (c) => {
    const id = c.req.param('id');
    if ((await store.revokeToken(id, clock(), entry(c, 'device.revoked', { subjectId: id }))) === 'not_found')
      return sendFailure(c, failure(404, 'not_found', '找不到该设备'));
    return c.json<OkAnswer>({ ok: true });
  });

  return app;
}
