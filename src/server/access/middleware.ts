// Authentication and role checks for API routes. `requireUser` turns a bearer token into
// `c.var.principal` and `c.var.scope` (or answers 401); `requireRole` answers 403 unless the
// principal holds one of the roles. Every route that touches records goes through both.
// `c.var.scopeStamp` is read with the token, before the roles and the org tree the scope is
// built from: a change landing after it moves the stamp, so the live channel never keeps a
// stream on a scope older than its stamp.
import type { MiddlewareHandler } from 'hono';
import type { Role } from '#shared/codes';
import { bestEffortWrite } from '../http/database-errors.ts';
import type { AppEnv } from '../http/env.ts';
import type { AccountStore, AccountUser, DeviceSession } from '../storage/account-store.ts';
import type { OrgTreeSource } from './org-tree.ts';
import { ALL_UNITS, resolveScope, type Principal, type RoleGrant } from './scope.ts';
import { bearerToken, hashToken, TOKEN_TTL_MS, TOUCH_INTERVAL_MS } from './tokens.ts';

export interface AuthOptions {
  clock?: () => Date;
}

const UNAUTHORIZED = { error: { code: 'unauthorized', message: '请先登录' } } as const;
export const FORBIDDEN = { error: { code: 'forbidden', message: '没有权限进行此操作' } } as const;

export function toRoleGrants(user: AccountUser): RoleGrant[] {
  return user.roles.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId ?? ALL_UNITS }));
}

function toPrincipal(user: AccountUser, session: Pick<DeviceSession, 'id'> & Partial<Pick<DeviceSession, 'deviceId'>>): Principal {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: toRoleGrants(user),
    tokenId: session.id,
    deviceId: session.deviceId ?? null,
  };
}

interface Authenticated {
  principal: Principal;
  scopeStamp: string;
}

/** The principal of a bearer token, or undefined when the token is unknown, revoked, expired or its user disabled. */
async function authenticate(store: AccountStore, authorization: string | undefined, now: Date): Promise<Authenticated | undefined> {
  const token = bearerToken(authorization);
  if (!token) return undefined;
  const found = await store.findToken(hashToken(token));
  if (!found) return undefined;
  const { session, user, scopeStamp } = found;
  if (session.revokedAt !== null || user.disabled || Date.parse(session.expiresAt) <= now.getTime()) return undefined;
  if (now.getTime() - Date.parse(session.lastUsedAt) >= TOUCH_INTERVAL_MS) {
    // The sliding expiry is bookkeeping: on a full disk the token stays valid until its current expiry.
    await bestEffortWrite('touchToken', () => store.touchToken(session.id, now, new Date(now.getTime() + TOKEN_TTL_MS)));
  }
  return { principal: toPrincipal(user, session), scopeStamp };
}

/** Paths (exact) that take a body from a caller without a token. */
const PUBLIC_BODY_PATHS = new Set(['/api/auth/login']);

/**
 * Before any body is read (app.ts runs this ahead of the body limit): a request with a body to an
 * authenticated route needs a valid token, else 401 at once, so that a client without one cannot make
 * the server buffer a 5 MB push. The principal found is kept for requireUser (one lookup per request).
 */
export function requireTokenBeforeBody(store: AccountStore, { clock = () => new Date() }: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.raw.body === null || PUBLIC_BODY_PATHS.has(c.req.path)) return next();
    const found = await authenticate(store, c.req.header('authorization'), clock());
    if (!found) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(UNAUTHORIZED, 401);
    }
    c.set('principal', found.principal);
    c.set('scopeStamp', found.scopeStamp);
    return next();
  };
}

export function requireUser(store: AccountStore & OrgTreeSource, { clock = () => new Date() }: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const early = c.var.principal as Principal | undefined;
    const found = early ? { principal: early, scopeStamp: c.var.scopeStamp } : await authenticate(store, c.req.header('authorization'), clock());
    if (!found) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(UNAUTHORIZED, 401);
    }
    c.set('principal', found.principal);
    c.set('scopeStamp', found.scopeStamp);
    // After the stamp: the tree read here is the stamp's or newer.
    c.set('scope', await resolveScope(store, found.principal));
    return next();
  };
}

/** 403 unless the principal (set by requireUser) holds at least one of the roles. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.var.principal.roles.some((g) => roles.includes(g.role))) return c.json(FORBIDDEN, 403);
    return next();
  };
}
