// PostgreSQL implementation of the accounts side of the store (see account-store.ts).
import type pg from 'pg';
import { ROLLUP_CARRY_SQL } from '../event-sql.ts';
import { PUSH_LOCK } from './events.ts';
import type { OrgUnitKind, Role } from '#shared/codes';
import {
  takesNewPlace,
  type AccountStore,
  type AccountUser,
  type AuditEntry,
  type DeviceSession,
  type NameClash,
  type NewAuditEntry,
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
  disabled: boolean;
  created_at: Date;
}
interface RoleRow {
  user_id: string;
  role: Role;
  org_unit_id: string | null;
}
interface TokenRow {
  id: string;
  user_id: string;
  username: string;
  device_id: string | null;
  device_name: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}
interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  subject_id: string | null;
  org_unit_id: string | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
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

/**
 * Held by a write that checks sibling names (create, rename, move), for the rest of its
 * transaction: two admins adding the same name at once would each miss the other's
 * uncommitted row. Taken before the push lock (moving), never after it.
 */
const ORG_NAMES_LOCK = 7263202;

function patchSql(patch: Parameters<AccountStore['updateOrgUnit']>[1]): { sets: string[]; values: (string | null)[] } {
  const sets: string[] = [];
  const values: (string | null)[] = [];
  for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][]) {
    const value = patch[key];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  }
  return { sets, values };
}
const toSession = (r: TokenRow): DeviceSession => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  deviceId: r.device_id,
  deviceName: r.device_name,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});
const toAudit = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  at: r.at.toISOString(),
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  subjectId: r.subject_id,
  orgUnitId: r.org_unit_id,
  reason: r.reason,
  detail: r.detail,
});
const toUser = (r: UserRow, roles: StoredRoleGrant[]): UserCredentials => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  disabled: r.disabled,
  roles,
  createdAt: r.created_at.toISOString(),
});
const publicUser = ({ passwordHash: _, ...user }: UserCredentials): AccountUser => user;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
}

const USER_COLUMNS = 'id, username, display_name, password_hash, disabled, created_at';
const TOKEN_COLUMNS = 't.id, t.user_id, u.username, t.device_id, t.device_name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at';
// What a token's read scope is made of (usableTokens): one expression, so findToken's stamp and a later look's compare equal.
const SCOPE_STAMP = "u.updated_at::text || '|' || (SELECT version FROM org_version WHERE id = 1)::text";

export function postgresAccountStore(pool: pg.Pool): AccountStore {
  /** Runs fn in one transaction on one connection. */
  /**
   * Runs `update` with the unit's statistics rollup rows carried from its old ancestors to its new
   * ones when it moves, under the push ordering lock: a push adds its rollup rows under that lock
   * along the tree it reads then, so none adds to the ancestors a move is taking figures from.
   */
  async function moving<T>(client: pg.PoolClient, id: string, patch: { parentId?: string | null }, update: () => Promise<T>): Promise<T> {
    if (patch.parentId === undefined) return update();
    await client.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
    await client.query(ROLLUP_CARRY_SQL, [id, -1]);
    const out = await update();
    await client.query(ROLLUP_CARRY_SQL, [id, 1]);
    return out;
  }

  async function inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  async function grantsOf(db: pg.Pool | pg.PoolClient, userId: string): Promise<StoredRoleGrant[]> {
    const { rows } = await db.query<RoleRow>('SELECT user_id, role, org_unit_id FROM user_roles WHERE user_id = $1 ORDER BY role, org_unit_id', [userId]);
    return rows.map((r) => ({ role: r.role, orgUnitId: r.org_unit_id }));
  }

  async function setRoles(client: pg.PoolClient, userId: string, roles: readonly StoredRoleGrant[]): Promise<void> {
    await client.query('DELETE FROM user_roles WHERE user_id = $1', [userId]);
    for (const g of roles) {
      await client.query('INSERT INTO user_roles (user_id, role, org_unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [userId, g.role, g.orgUnitId]);
    }
  }

  async function appendAudit(db: pg.Pool | pg.PoolClient, e: NewAuditEntry): Promise<void> {
    await db.query(
      'INSERT INTO audit_log (at, actor_id, actor_name, action, subject_id, org_unit_id, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [e.at, e.actorId, e.actorName, e.action, e.subjectId, e.orgUnitId, e.reason, e.detail === null ? null : JSON.stringify(e.detail)],
    );
  }

  async function insertUnits(client: pg.PoolClient, units: readonly OrgUnit[], at: Date): Promise<void> {
    for (const u of units) {
      await client.query('INSERT INTO org_units (id, parent_id, kind, name, code, short_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        u.id,
        u.parentId,
        u.kind,
        u.name,
        u.code,
        u.shortName,
        at,
      ]);
    }
  }

  /** Takes the names lock when the change may give a unit a name a sibling has. */
  async function lockNames(client: pg.PoolClient, creates: number, patches: readonly { name?: string; parentId?: string | null }[]): Promise<void> {
    if (creates > 0 || patches.some((p) => p.name !== undefined || p.parentId !== undefined))
      await client.query('SELECT pg_advisory_xact_lock($1)', [ORG_NAMES_LOCK]);
  }

  async function placeOf(client: pg.PoolClient, id: string): Promise<{ name: string; parentId: string | null } | undefined> {
    const { rows } = await client.query<{ name: string; parent_id: string | null }>('SELECT name, parent_id FROM org_units WHERE id = $1', [id]);
    return rows[0] && { name: rows[0].name, parentId: rows[0].parent_id };
  }

  /** Rolls the transaction back when one of these units (as written) shares its name with a sibling. */
  async function refuseNameClash(client: pg.PoolClient, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const { rows } = await client.query<{ id: string; name: string; parent_id: string | null }>(
      `SELECT u.id, u.name, u.parent_id FROM org_units u
         JOIN org_units o ON o.parent_id IS NOT DISTINCT FROM u.parent_id AND o.name = u.name AND o.id <> u.id
        WHERE u.id = ANY($1) ORDER BY array_position($1, u.id) LIMIT 1`,
      [ids],
    );
    const r = rows[0];
    if (r) throw new Rollback({ code: 'duplicate_name', unitId: r.id, name: r.name, parentId: r.parent_id });
  }

  async function findUser(where: 'id' | 'lower(username)', value: string): Promise<UserCredentials | undefined> {
    const { rows } = await pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE ${where} = ${where === 'id' ? '$1' : 'lower($1)'}`, [value]);
    const r = rows[0];
    return r && toUser(r, await grantsOf(pool, r.id));
  }

  return {
    async listOrgUnits() {
      const moves = new Map<string, MoveRow[]>();
      for (const m of (await pool.query<MoveRow>('SELECT unit_id, from_parent_id, moved_on FROM org_unit_moves ORDER BY moved_on')).rows) {
        moves.set(m.unit_id, [...(moves.get(m.unit_id) ?? []), m]);
      }
      const { rows } = await pool.query<OrgUnitRow>(`SELECT ${ORG_UNIT_COLUMNS} FROM org_units ORDER BY id`);
      return rows.map((r) => toOrgUnit(r, moves.get(r.id)));
    },
    async insertOrgUnits(units, at, audit) {
      try {
        await inTransaction(async (client) => {
          await lockNames(client, units.length, []);
          await insertUnits(client, units, at);
          await refuseNameClash(
            client,
            units.map((u) => u.id),
          );
          if (audit) await appendAudit(client, audit);
        });
        return 'ok';
      } catch (err) {
        if (err instanceof Rollback && typeof err.answer === 'object') return err.answer;
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },
    async updateOrgUnit(id, patch, audit) {
      const { sets, values } = patchSql(patch);
      if (sets.length === 0) {
        const { rowCount } = await pool.query('SELECT 1 FROM org_units WHERE id = $1', [id]);
        return rowCount === 1 ? 'ok' : 'not_found';
      }
      try {
        values.push(id);
        return await inTransaction(async (client): Promise<'ok' | 'not_found'> => {
          await lockNames(client, 0, [patch]);
          const before = await placeOf(client, id);
          if (!before) return 'not_found';
          const { rowCount } = await moving(client, id, patch, () =>
            client.query(`UPDATE org_units SET ${sets.join(', ')} WHERE id = $${values.length}`, values),
          );
          if (rowCount !== 1) return 'not_found';
          if (takesNewPlace(before, patch)) await refuseNameClash(client, [id]);
          if (audit) await appendAudit(client, audit);
          return 'ok';
        });
      } catch (err) {
        if (err instanceof Rollback) return err.answer;
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },
    async applyOrgChanges(change, at) {
      try {
        await inTransaction(async (client) => {
          const updates = change.updates ?? [];
          await lockNames(
            client,
            change.creates?.length ?? 0,
            updates.map((u) => u.patch),
          );
          await insertUnits(client, change.creates ?? [], at);
          // Checked once everything is written: a sheet may rename a unit and give its old name to a new one.
          const placed = (change.creates ?? []).map((u) => u.id);
          for (const { id, patch } of updates) {
            const before = await placeOf(client, id);
            if (before && takesNewPlace(before, patch)) placed.push(id);
            const { sets, values } = patchSql(patch);
            values.push(id);
            const sql = sets.length ? `UPDATE org_units SET ${sets.join(', ')} WHERE id = $${values.length}` : 'SELECT 1 FROM org_units WHERE id = $1';
            if ((await moving(client, id, patch, () => client.query(sql, values))).rowCount !== 1) throw new Rollback('not_found');
          }
          await refuseNameClash(client, placed);
          for (const m of change.moves ?? []) {
            await client.query('INSERT INTO org_unit_moves (unit_id, from_parent_id, to_parent_id, moved_on) VALUES ($1, $2, $3, $4)', [
              m.unitId,
              m.fromParentId,
              m.toParentId,
              m.movedOn,
            ]);
          }
          for (const a of change.audit) await appendAudit(client, a);
        });
        return 'ok';
      } catch (err) {
        if (err instanceof Rollback) return err.answer;
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async countUsers() {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM users');
      return Number(rows[0]?.n ?? 0);
    },
    async insertUser(user, audit) {
      try {
        await inTransaction(async (client) => {
          await client.query(
            'INSERT INTO users (id, username, display_name, password_hash, disabled, created_at, updated_at) VALUES ($1, $2, $3, $4, false, $5, $5)',
            [user.id, user.username, user.displayName, user.passwordHash, user.createdAt],
          );
          await setRoles(client, user.id, user.roles);
          if (audit) await appendAudit(client, audit);
        });
        return 'ok';
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },
    findUserByUsername: (username) => findUser('lower(username)', username),
    findUserById: (id) => findUser('id', id),
    async listUsers() {
      const [users, roles] = await Promise.all([
        pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`),
        pool.query<RoleRow>('SELECT user_id, role, org_unit_id FROM user_roles ORDER BY role, org_unit_id'),
      ]);
      const byUser = new Map<string, StoredRoleGrant[]>();
      for (const r of roles.rows) {
        const list = byUser.get(r.user_id) ?? [];
        list.push({ role: r.role, orgUnitId: r.org_unit_id });
        byUser.set(r.user_id, list);
      }
      return users.rows.map((r) => publicUser(toUser(r, byUser.get(r.id) ?? [])));
    },
    async updateUser(id, patch, at, change = {}) {
      return inTransaction(async (client): Promise<'ok' | 'not_found'> => {
        const values: (string | boolean | Date)[] = [at];
        const sets = ['updated_at = $1'];
        const set = (column: string, value: string | boolean) => {
          values.push(value);
          sets.push(`${column} = $${values.length}`);
        };
        if (patch.displayName !== undefined) set('display_name', patch.displayName);
        if (patch.disabled !== undefined) set('disabled', patch.disabled);
        if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
        values.push(id);
        const { rowCount } = await client.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $${values.length}`, values);
        if (rowCount !== 1) return 'not_found';
        if (patch.roles) await setRoles(client, id, patch.roles);
        const revoked = change.revokeTokens
          ? ((await client.query('UPDATE auth_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [at, id])).rowCount ?? 0)
          : 0;
        if (change.audit) await appendAudit(client, change.audit(revoked));
        return 'ok';
      });
    },

    async insertToken(t) {
      await pool.query(
        'INSERT INTO auth_tokens (id, token_hash, user_id, device_id, device_name, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)',
        [t.id, t.tokenHash, t.userId, t.deviceId, t.deviceName, t.createdAt, t.expiresAt],
      );
    },
    async findToken(tokenHash) {
      // The stamp is read before the user's roles (the next queries): a role change between them
      // ends the stream at its first look, never leaves it on the old roles.
      const { rows } = await pool.query<TokenRow & { scope_stamp: string }>(
        `SELECT ${TOKEN_COLUMNS}, ${SCOPE_STAMP} AS scope_stamp FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
        [tokenHash],
      );
      const row = rows[0];
      if (!row) return undefined;
      const user = await findUser('id', row.user_id);
      if (!user) return undefined;
      return { session: toSession(row), user: publicUser(user), scopeStamp: row.scope_stamp };
    },
    async touchToken(id, lastUsedAt, expiresAt) {
      await pool.query('UPDATE auth_tokens SET last_used_at = $1, expires_at = $2 WHERE id = $3 AND revoked_at IS NULL', [lastUsedAt, expiresAt, id]);
    },
    async revokeToken(id, at, audit) {
      return inTransaction(async (client): Promise<'ok' | 'not_found'> => {
        const { rowCount } = await client.query('UPDATE auth_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [at, id]);
        if (rowCount !== 1) return 'not_found';
        if (audit) await appendAudit(client, audit);
        return 'ok';
      });
    },
    async revokeUserTokens(userId, at, deviceId) {
      const { rowCount } =
        deviceId === undefined
          ? await pool.query('UPDATE auth_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [at, userId])
          : await pool.query('UPDATE auth_tokens SET revoked_at = $1 WHERE user_id = $2 AND device_id = $3 AND revoked_at IS NULL', [at, userId, deviceId]);
      return rowCount ?? 0;
    },
    async listLiveTokens(now, userId) {
      const values: (Date | string)[] = [now];
      let where = 't.revoked_at IS NULL AND t.expires_at > $1';
      if (userId !== undefined) {
        values.push(userId);
        where += ' AND t.user_id = $2';
      }
      const { rows } = await pool.query<TokenRow>(
        `SELECT ${TOKEN_COLUMNS} FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE ${where} ORDER BY t.created_at DESC, t.id`,
        values,
      );
      return rows.map(toSession);
    },
    async usableTokens(ids, now) {
      if (ids.length === 0) return [];
      const { rows } = await pool.query<{ id: string; scope_stamp: string }>(
        `SELECT t.id, ${SCOPE_STAMP} AS scope_stamp
           FROM auth_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.id = ANY($1) AND t.revoked_at IS NULL AND t.expires_at > $2 AND NOT u.disabled`,
        [ids, now],
      );
      return rows.map((r) => ({ id: r.id, scopeStamp: r.scope_stamp }));
    },

    async appendAudit(e) {
      await appendAudit(pool, e);
    },
    async listAudit(q) {
      const where: string[] = [];
      const values: (string | number | Date)[] = [];
      const add = (sql: string, value: string | number | Date) => {
        values.push(value);
        where.push(sql.replace('?', `$${values.length}`));
      };
      if (q.from) add('at >= ?', q.from);
      if (q.to) add('at < ?', q.to);
      if (q.action !== undefined) add('action = ?', q.action);
      if (q.actorId !== undefined) add('actor_id = ?', q.actorId);
      if (q.subjectId !== undefined) add('subject_id = ?', q.subjectId);
      if (q.beforeId !== undefined) add('id < ?', q.beforeId);
      values.push(q.limit);
      const sql = `SELECT id, at, actor_id, actor_name, action, subject_id, org_unit_id, reason, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${values.length}`;
      const { rows } = await pool.query<AuditRow>(sql, values);
      return rows.map(toAudit);
    },
  };
}
