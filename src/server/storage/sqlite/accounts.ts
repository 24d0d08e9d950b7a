// SQLite implementation of the accounts side of the store (see account-store.ts).
import type Database from 'better-sqlite3';
import { ROLLUP_CARRY_SQL } from '../event-sql.ts';
import type { OrgUnitKind, Role } from '#shared/codes';
import {
  takesNewPlace,
  type AccountStore,
  type AccountUser,
  type AuditEntry,
  type DeviceSession,
  type NameClash,
  type NewAuditEntry,
  type OrgChangeSet,
  type OrgUnit,
  type StoredRoleGrant,
  type UserCredentials,
} from '../account-store.ts';

interface OrgUnitRow {
  id: string;
  parent_id: string | null;
  kind: OrgUnitKind;
  name: string;
  code: string | null;
  short_name: string | null;
  closed_on: string | null;
  successor_id: string | null;
}
interface MoveRow {
  unit_id: string;
  from_parent_id: string | null;
  moved_on: string;
}
interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: number;
  created_at: string;
}
interface TokenRow {
  id: string;
  user_id: string;
  username: string;
  device_id: string | null;
  device_name: string | null;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  revoked_at: string | null;
}
interface AuditRow {
  id: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  subject_id: string | null;
  org_unit_id: string | null;
  reason: string | null;
  detail: string | null;
}

const toOrgUnit = (r: OrgUnitRow, moves: readonly MoveRow[] = []): OrgUnit => ({
  id: r.id,
  parentId: r.parent_id,
  kind: r.kind,
  name: r.name,
  code: r.code,
  shortName: r.short_name,
  closedOn: r.closed_on,
  successorId: r.successor_id,
  ...(moves.length ? { formerParents: moves.map((m) => ({ parentId: m.from_parent_id, movedOn: m.moved_on })) } : {}),
});
const ORG_UNIT_COLUMNS = 'id, parent_id, kind, name, code, short_name, closed_on, successor_id';
const PATCH_COLUMNS = {
  parentId: 'parent_id',
  name: 'name',
  code: 'code',
  shortName: 'short_name',
  closedOn: 'closed_on',
  successorId: 'successor_id',
} as const;

/** Thrown inside a transaction to roll it back with an answer. */
class Rollback extends Error {
  constructor(readonly answer: 'not_found' | NameClash) {
    super(typeof answer === 'string' ? answer : answer.code);
  }
}
const toSession = (r: TokenRow): DeviceSession => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  deviceId: r.device_id,
  deviceName: r.device_name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});
const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  subjectId: r.subject_id,
  orgUnitId: r.org_unit_id,
  reason: r.reason,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
});

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

export function sqliteAccountStore(db: Database.Database): AccountStore {
  const rolesOf = db.prepare<[string], { role: Role; org_unit_id: string | null }>(
    'SELECT role, org_unit_id FROM user_roles WHERE user_id = ? ORDER BY role, org_unit_id',
  );
  const allRoles = db.prepare<[], { user_id: string; role: Role; org_unit_id: string | null }>(
    'SELECT user_id, role, org_unit_id FROM user_roles ORDER BY role, org_unit_id',
  );
  const insertRole = db.prepare('INSERT OR IGNORE INTO user_roles (user_id, role, org_unit_id) VALUES (?, ?, ?)');
  const userColumns = 'id, username, display_name, password_hash, disabled, created_at';
  const userById = db.prepare<[string], UserRow>(`SELECT ${userColumns} FROM users WHERE id = ?`);
  const userByName = db.prepare<[string], UserRow>(`SELECT ${userColumns} FROM users WHERE lower(username) = lower(?)`);
  const tokenColumns = 't.id, t.user_id, u.username, t.device_id, t.device_name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at';
  // What a token's read scope is made of (usableTokens): one expression, so findToken's stamp and a later look's compare equal.
  const scopeStamp = "u.updated_at || '|' || (SELECT version FROM org_version WHERE id = 1)";

  const grantsOf = (userId: string): StoredRoleGrant[] => rolesOf.all(userId).map((r) => ({ role: r.role, orgUnitId: r.org_unit_id }));
  const toUser = (r: UserRow, roles: StoredRoleGrant[]): UserCredentials => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    disabled: r.disabled === 1,
    roles,
    createdAt: r.created_at,
  });
  const publicUser = ({ passwordHash: _, ...user }: UserCredentials): AccountUser => user;

  const insertAudit = db.prepare(
    'INSERT INTO audit_log (at, actor_id, actor_name, action, subject_id, org_unit_id, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const appendAudit = (e: NewAuditEntry) => {
    insertAudit.run(
      e.at.toISOString(),
      e.actorId,
      e.actorName,
      e.action,
      e.subjectId,
      e.orgUnitId,
      e.reason,
      e.detail === null ? null : JSON.stringify(e.detail),
    );
  };
  const usableTokens = db.prepare<[string, string], { id: string; scope_stamp: string }>(
    `SELECT t.id, ${scopeStamp} AS scope_stamp
       FROM auth_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.id IN (SELECT value FROM json_each(?)) AND t.revoked_at IS NULL AND t.expires_at > ? AND u.disabled = 0`,
  );
  const revokeAll = db.prepare('UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL');

  const placeOf = db.prepare<[string], { name: string; parent_id: string | null }>('SELECT name, parent_id FROM org_units WHERE id = ?');
  const namesake = db.prepare<[string], { id: string; name: string; parent_id: string | null }>(
    `SELECT u.id, u.name, u.parent_id FROM org_units u
       JOIN org_units o ON o.parent_id IS u.parent_id AND o.name = u.name AND o.id <> u.id
      WHERE u.id = ? LIMIT 1`,
  );
  /** Rolls the transaction back when one of these units (as written) shares its name with a sibling. */
  const refuseNameClash = (ids: Iterable<string>) => {
    for (const id of ids) {
      const r = namesake.get(id);
      if (r) throw new Rollback({ code: 'duplicate_name', unitId: r.id, name: r.name, parentId: r.parent_id });
    }
  };
  const insertRows = (units: readonly OrgUnit[], at: string) => {
    const stmt = db.prepare('INSERT INTO org_units (id, parent_id, kind, name, code, short_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const u of units) stmt.run(u.id, u.parentId, u.kind, u.name, u.code, u.shortName, at);
  };
  const insertUnits = db.transaction((units: readonly OrgUnit[], at: string, audit: NewAuditEntry | undefined) => {
    insertRows(units, at);
    refuseNameClash(units.map((u) => u.id));
    if (audit) appendAudit(audit);
  });

  const patchSql = (patch: Parameters<AccountStore['updateOrgUnit']>[1]) => {
    const sets: string[] = [];
    const values: (string | null)[] = [];
    for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][]) {
      const value = patch[key];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(value);
    }
    return { sets, values };
  };
  let carry: Database.Statement<[Record<string, string | number>]> | undefined;
  /** A unit's statistics rollup rows out of its ancestors (-1) or into them (+1): around a change of its parent. */
  const carryRollup = (id: string, sign: -1 | 1) => (carry ??= db.prepare(ROLLUP_CARRY_SQL)).run({ 1: id, 2: sign });
  /** Runs `update` with the unit's figures carried from its old ancestors to its new ones when it moves. */
  const moving = <T>(id: string, patch: Parameters<AccountStore['updateOrgUnit']>[1], update: () => T): T => {
    if (patch.parentId === undefined) return update();
    carryRollup(id, -1);
    const out = update();
    carryRollup(id, 1);
    return out;
  };
  const insertMove = db.prepare('INSERT INTO org_unit_moves (unit_id, from_parent_id, to_parent_id, moved_on) VALUES (?, ?, ?, ?)');
  const applyChanges = db.transaction((change: OrgChangeSet, at: string) => {
    insertRows(change.creates ?? [], at);
    // Checked once everything is written: a sheet may rename a unit and give its old name to a new one.
    const placed = (change.creates ?? []).map((u) => u.id);
    for (const { id, patch } of change.updates ?? []) {
      const before = placeOf.get(id);
      if (before && takesNewPlace({ name: before.name, parentId: before.parent_id }, patch)) placed.push(id);
      const { sets, values } = patchSql(patch);
      const r = sets.length
        ? moving(id, patch, () => db.prepare(`UPDATE org_units SET ${sets.join(', ')} WHERE id = ?`).run(...values, id))
        : { changes: db.prepare('SELECT 1 FROM org_units WHERE id = ?').get(id) ? 1 : 0 };
      if (r.changes !== 1) throw new Rollback('not_found');
    }
    refuseNameClash(placed);
    for (const m of change.moves ?? []) insertMove.run(m.unitId, m.fromParentId, m.toParentId, m.movedOn);
    for (const a of change.audit) appendAudit(a);
  });

  const setRoles = (userId: string, roles: readonly StoredRoleGrant[]) => {
    db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(userId);
    for (const g of roles) insertRole.run(userId, g.role, g.orgUnitId);
  };

  return {
    async listOrgUnits() {
      const moves = new Map<string, MoveRow[]>();
      for (const m of db.prepare<[], MoveRow>('SELECT unit_id, from_parent_id, moved_on FROM org_unit_moves ORDER BY moved_on').all()) {
        moves.set(m.unit_id, [...(moves.get(m.unit_id) ?? []), m]);
      }
      return db
        .prepare<[], OrgUnitRow>(`SELECT ${ORG_UNIT_COLUMNS} FROM org_units ORDER BY id`)
        .all()
        .map((r) => toOrgUnit(r, moves.get(r.id)));
    },
    async insertOrgUnits(units, at, audit) {
      try {
        insertUnits(units, at.toISOString(), audit);
        return 'ok';
      } catch (err) {
        if (err instanceof Rollback && typeof err.answer === 'object') return err.answer;
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },
    async updateOrgUnit(id, patch, audit) {
      const { sets, values } = patchSql(patch);
      if (sets.length === 0) return db.prepare('SELECT 1 FROM org_units WHERE id = ?').get(id) ? 'ok' : 'not_found';
      try {
        return db.transaction((): 'ok' | 'not_found' => {
          const before = placeOf.get(id);
          if (!before) return 'not_found';
          const r = moving(id, patch, () => db.prepare(`UPDATE org_units SET ${sets.join(', ')} WHERE id = ?`).run(...values, id));
          if (r.changes !== 1) return 'not_found';
          if (takesNewPlace({ name: before.name, parentId: before.parent_id }, patch)) refuseNameClash([id]);
          if (audit) appendAudit(audit);
          return 'ok';
        })();
      } catch (err) {
        if (err instanceof Rollback) return err.answer;
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },
    async applyOrgChanges(change, at) {
      try {
        applyChanges(change, at.toISOString());
        return 'ok';
      } catch (err) {
        if (err instanceof Rollback) return err.answer;
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async countUsers() {
      return db.prepare('SELECT count(*) FROM users').pluck().get() as number;
    },
    async insertUser(user, audit) {
      const at = user.createdAt.toISOString();
      try {
        db.transaction(() => {
          db.prepare('INSERT INTO users (id, username, display_name, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)').run(
            user.id,
            user.username,
            user.displayName,
            user.passwordHash,
            at,
            at,
          );
          setRoles(user.id, user.roles);
          if (audit) appendAudit(audit);
        })();
        return 'ok';
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },
    async findUserByUsername(username) {
      const r = userByName.get(username);
      return r && toUser(r, grantsOf(r.id));
    },
    async findUserById(id) {
      const r = userById.get(id);
      return r && toUser(r, grantsOf(r.id));
    },
    async listUsers() {
      const roles = new Map<string, StoredRoleGrant[]>();
      for (const r of allRoles.all()) {
        const list = roles.get(r.user_id) ?? [];
        list.push({ role: r.role, orgUnitId: r.org_unit_id });
        roles.set(r.user_id, list);
      }
      return db
        .prepare<[], UserRow>(`SELECT ${userColumns} FROM users ORDER BY username`)
        .all()
        .map((r) => publicUser(toUser(r, roles.get(r.id) ?? [])));
    },
    async updateUser(id, patch, at, change = {}) {
      return db.transaction((): 'ok' | 'not_found' => {
        if (!userById.get(id)) return 'not_found';
        const sets: string[] = ['updated_at = ?'];
        const values: (string | number)[] = [at.toISOString()];
        if (patch.displayName !== undefined) {
          sets.push('display_name = ?');
          values.push(patch.displayName);
        }
        if (patch.disabled !== undefined) {
          sets.push('disabled = ?');
          values.push(patch.disabled ? 1 : 0);
        }
        if (patch.passwordHash !== undefined) {
          sets.push('password_hash = ?');
          values.push(patch.passwordHash);
        }
        db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
        if (patch.roles) setRoles(id, patch.roles);
        const revoked = change.revokeTokens ? revokeAll.run(at.toISOString(), id).changes : 0;
        if (change.audit) appendAudit(change.audit(revoked));
        return 'ok';
      })();
    },

    async insertToken(t) {
      const created = t.createdAt.toISOString();
      db.prepare(
        'INSERT INTO auth_tokens (id, token_hash, user_id, device_id, device_name, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(t.id, t.tokenHash, t.userId, t.deviceId, t.deviceName, created, created, t.expiresAt.toISOString());
    },
    async findToken(tokenHash) {
      // Token, stamp, user and roles are read with no await between them: the stamp is these roles'.
      const row = db
        .prepare<[string], TokenRow & { scope_stamp: string }>(
          `SELECT ${tokenColumns}, ${scopeStamp} AS scope_stamp FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
        )
        .get(tokenHash);
      if (!row) return undefined;
      const user = userById.get(row.user_id);
      if (!user) return undefined;
      return { session: toSession(row), user: publicUser(toUser(user, grantsOf(user.id))), scopeStamp: row.scope_stamp };
    },
    async touchToken(id, lastUsedAt, expiresAt) {
      db.prepare('UPDATE auth_tokens SET last_used_at = ?, expires_at = ? WHERE id = ? AND revoked_at IS NULL').run(
        lastUsedAt.toISOString(),
        expiresAt.toISOString(),
        id,
      );
    },
    async revokeToken(id, at, audit) {
      return db.transaction((): 'ok' | 'not_found' => {
        const r = db.prepare('UPDATE auth_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at.toISOString(), id);
        if (r.changes !== 1) return 'not_found';
        if (audit) appendAudit(audit);
        return 'ok';
      })();
    },
    async revokeUserTokens(userId, at, deviceId) {
      const r =
        deviceId === undefined
          ? revokeAll.run(at.toISOString(), userId)
          : db
              .prepare('UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL')
              .run(at.toISOString(), userId, deviceId);
      return r.changes;
    },
    async listLiveTokens(now, userId) {
      const where = ['t.revoked_at IS NULL', 't.expires_at > ?'];
      const values = [now.toISOString()];
      if (userId !== undefined) {
        where.push('t.user_id = ?');
        values.push(userId);
      }
      return db
        .prepare<string[], TokenRow>(
          `SELECT ${tokenColumns} FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC, t.id`,
        )
        .all(...values)
        .map(toSession);
    },
    async usableTokens(ids, now) {
      if (ids.length === 0) return [];
      return usableTokens.all(JSON.stringify(ids), now.toISOString()).map((r) => ({ id: r.id, scopeStamp: r.scope_stamp }));
    },

    async appendAudit(e) {
      appendAudit(e);
    },
    async listAudit(q) {
      const where: string[] = [];
      const values: (string | number)[] = [];
      if (q.from) {
        where.push('at >= ?');
        values.push(q.from.toISOString());
      }
      if (q.to) {
        where.push('at < ?');
        values.push(q.to.toISOString());
      }
      if (q.action !== undefined) {
        where.push('action = ?');
        values.push(q.action);
      }
      if (q.actorId !== undefined) {
        where.push('actor_id = ?');
        values.push(q.actorId);
      }
      if (q.subjectId !== undefined) {
        where.push('subject_id = ?');
        values.push(q.subjectId);
      }
      if (q.beforeId !== undefined) {
        where.push('id < ?');
        values.push(q.beforeId);
      }
      const sql = `SELECT id, at, actor_id, actor_name, action, subject_id, org_unit_id, reason, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], AuditRow>(sql)
        .all(...values, q.limit)
        .map(toAudit);
    },
  };
}
