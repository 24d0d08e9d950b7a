// Login, logout and "who am I". A login issues one token per device (a new login from the
// same deviceId replaces that device's older token). Failed logins are counted per
// username and per client address; past the limit the answer is 429 with Retry-After
// before the password is even checked. An unknown username costs the same scrypt as a
// known one, so response time does not tell which usernames exist.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { LoginRequest, type LoginResponse, type MeOrgUnit, type MeResponse } from '#shared/api/auth';
import type { OkAnswer } from '#shared/api/errors';
import { requireUser, toRoleGrants } from '../access/middleware.ts';
import { dummyPasswordHash, verifyPassword } from '../access/passwords.ts';
import { issueToken, TOKEN_TTL_MS } from '../access/tokens.ts';
import { loadOrgTree } from '../access/org-tree.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { parseJsonBody } from '../http/body.ts';
import { clientIp, tooManyRequests, WindowCounter } from '../http/rate-limit.ts';
import type { AccountStore } from '../storage/account-store.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_FAILURES_PER_USERNAME = 10;
/** Higher than per username: a township office may put many phones behind one address. */
export const LOGIN_FAILURES_PER_IP = 30;

export interface AuthRouteDeps {
  store: AccountStore;
  clock: () => Date;
  trustProxy?: boolean;
}


export function authRoutes({ store, clock, trustProxy = false }: AuthRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const byUsername = new WindowCounter(LOGIN_WINDOW_MS, LOGIN_FAILURES_PER_USERNAME);
  const byIp = new WindowCounter(LOGIN_WINDOW_MS, LOGIN_FAILURES_PER_IP);

  app.post('/api/auth/login', async (c) => {
    const body = await parseJsonBody(c, LoginRequest);
    if (!body.ok) return sendFailure(c, body);
    const { username, password, deviceId, deviceName } = body.value;
    const now = clock();
    const userKey = username.normalize('NFC').toLowerCase();
    const ip = clientIp(c, trustProxy);
    const wait = Math.max(byUsername.retryAfter(userKey, now.getTime()), byIp.retryAfter(ip, now.getTime()));
    if (wait > 0) return tooManyRequests(c, wait, `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`);

    const user = await store.findUserByUsername(username);
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !passwordOk) {
      byUsername.add(userKey, now.getTime());
      byIp.add(ip, now.getTime());
      return sendFailure(c, failure(401, 'invalid_credentials', '用户名或密码不对'));
    }
    // Only someone who knows the password learns that the account is disabled.
    if (user.disabled) return sendFailure(c, failure(403, 'account_disabled', '账号已停用，请联系管理员'));
    byUsername.reset(userKey);

    if (deviceId !== undefined) await store.revokeUserTokens(user.id, now, deviceId);
    const { token, tokenHash } = issueToken();
    const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS);
    await store.insertToken({ id: randomUUID(), tokenHash, userId: user.id, deviceId: deviceId ?? null, deviceName: deviceName || null, createdAt: now, expiresAt });
    await store.appendAudit({ at: now, actorId: user.id, actorName: user.username, action: 'login', subjectId: null, orgUnitId: null, reason: null, detail: deviceId ? { deviceId } : null });
    const response: LoginResponse = {
      token,
      user: { id: user.id, username: user.username, displayName: user.displayName, roles: toRoleGrants(user) },
      expiresAt: expiresAt.toISOString(),
    };
    return c.json<LoginResponse>(response);
  });

  app.post('/api/auth/logout', requireUser(store, { clock }), async (c) => {
    await store.revokeToken(c.var.principal.tokenId, clock());
    return c.json<OkAnswer>({ ok: true });
  });

  app.get('/api/me', requireUser(store, { clock }), async (c) => {
    const { principal, scope } = c.var;
    const tree = await loadOrgTree(store);
    // The units the user reads and their ancestors, so the phone can show full names offline.
    const ids = new Set<string>();
    for (const id of scope.readableUnits) {
      ids.add(id);
      for (const a of tree.ancestors(id)) ids.add(a.id);
    }
    const orgUnits: MeOrgUnit[] = [...ids]
      .sort()
      .flatMap((id) => tree.get(id) ?? [])
      .map((u) => ({ id: u.id, parentId: u.parentId, kind: u.kind, name: u.name, shortName: u.shortName, code: u.code, writable: scope.writableUnits.has(u.id) }));
    return c.json<MeResponse>({
      user: { id: principal.userId, username: principal.username, displayName: principal.displayName, roles: principal.roles },
      orgUnits,
    });
  });

  return app;
}
