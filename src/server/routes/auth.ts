// Login, logout and "who am I". A login issues one token per device (a new login from the
// same deviceId replaces that device's older token). An unknown username costs the same scrypt
// as a known one, so response time does not tell which usernames exist.
//
// Failed logins are counted in the store (every API process sees the same counts), three ways;
// past a limit the answer is 429 with Retry-After before the password is even checked:
//  1. per (address, username): 10 in 15 min lock that username from that address;
//  2. per address: 100 in 15 min lock the address for everyone. A township office puts dozens of
//     phones behind one NAT address; their typos stay far below this, a username sprayer does not;
//  3. per username, from anywhere (a guesser rotating addresses): from the 5th failure in an hour
//     each attempt waits 30 s × 2^(n − 5) after the latest one (n failures), at most 15 min. The
//     owner passes this wait from a device that logged in to the account before (the deviceId the
//     phone sends) or from an address that did in the last 30 days; rules 1 and 2 still apply.
// A success clears that address's count for the username and the username's count.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { LoginRequest, type LoginResponse, type MeOrgUnit, type MeResponse, type MeUnitName } from '#shared/api/auth';
import type { OkAnswer } from '#shared/api/errors';
import { requireUser, toRoleGrants } from '../access/middleware.ts';
import { dummyPasswordHash, verifyPassword } from '../access/passwords.ts';
import { issueToken, TOKEN_TTL_MS } from '../access/tokens.ts';
import { loadOrgTree, type OrgTree } from '../access/org-tree.ts';
import type { AppEnv } from '../http/env.ts';
import { bestEffortWrite } from '../http/database-errors.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { parseJsonBody } from '../http/body.ts';
import { clientIp, tooManyRequests, WindowCounter } from '../http/rate-limit.ts';
import type { AccountStore } from '../storage/account-store.ts';
import type { SharedStateStore } from '../storage/shared-state-store.ts';

const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME = 10;
/** Much higher than per (address, username): a township office may put many phones behind one address. */
export const LOGIN_FAILURES_PER_ADDRESS = 100;
/** Failures of one username (from anywhere) answered at once; each later one waits longer. */
const LOGIN_FREE_FAILURES_PER_USERNAME = 4;
const LOGIN_FIRST_DELAY_MS = 30_000;
/** Longer than the sum of the delays, so that a patient guesser still reaches the 15 min wait. */
const LOGIN_USERNAME_WINDOW_MS = 60 * 60 * 1000;
/** How long an address that logged in to an account stays known for it. */
const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;

/** Milliseconds the username must wait after its latest failure, with `failures` in the window (rule 3). */
export function usernameDelayMs(failures: number): number {
  if (failures <= LOGIN_FREE_FAILURES_PER_USERNAME) return 0;
  return Math.min(LOGIN_WINDOW_MS, LOGIN_FIRST_DELAY_MS * 2 ** (failures - LOGIN_FREE_FAILURES_PER_USERNAME - 1));
}

export interface AuthRouteDeps {
  store: AccountStore & SharedStateStore;
  clock: () => Date;
  trustProxy?: boolean;
}

export function authRoutes({ store, clock, trustProxy = false }: AuthRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const byPair = new WindowCounter(store, 'login-pair', LOGIN_WINDOW_MS, LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME);
  const byAddress = new WindowCounter(store, 'login-ip', LOGIN_WINDOW_MS, LOGIN_FAILURES_PER_ADDRESS);
  // Its max is not used: the wait grows with the count (usernameWait).
  const byUsername = new WindowCounter(store, 'login-user', LOGIN_USERNAME_WINDOW_MS, Number.MAX_SAFE_INTEGER);
  const knownAddresses = new WindowCounter(store, 'login-known', KNOWN_ADDRESS_MS, 1, 24 * 60 * 60 * 1000);

  /** Seconds the username must still wait (rule 3), or 0. */
  const usernameWait = async (userKey: string, now: number): Promise<number> => {
    const buckets = await byUsername.recent(userKey, now);
    const failures = buckets.reduce((n, b) => n + b.hits, 0);
    const latest = buckets[0]?.bucket;
    if (latest === undefined) return 0;
    const until = latest + usernameDelayMs(failures);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  };

  app.post('/api/auth/login', async (c) => {
    const body = await parseJsonBody(c, LoginRequest);
    if (!body.ok) return sendFailure(c, body);
    const { username, password, deviceId, deviceName } = body.value;
    const now = clock();
    const t = now.getTime();
    const userKey = username.normalize('NFC').toLowerCase();
    const ip = clientIp(c, trustProxy);
    const pairKey = `${ip}|${userKey}`;
    const refuse = (wait: number) => tooManyRequests(c, wait, `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`);
    const wait = Math.max(await byPair.retryAfter(pairKey, t), await byAddress.retryAfter(ip, t));
    if (wait > 0) return refuse(wait);

    const user = await store.findUserByUsername(username);
    const userWait = await usernameWait(userKey, t);
    if (userWait > 0) {
      const known =
        user !== undefined &&
        ((await knownAddresses.retryAfter(`${user.id}|${ip}`, t)) > 0 || (deviceId !== undefined && (await store.knownDevice(user.id, deviceId))));
      if (!known) return refuse(userWait);
    }
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !passwordOk) {
      await byPair.add(pairKey, t);
      await byAddress.add(ip, t);
      await byUsername.add(userKey, t);
      return sendFailure(c, failure(401, 'invalid_credentials', '用户名或密码不对'));
    }
    // Only someone who knows the password learns that the account is disabled.
    if (user.disabled) return sendFailure(c, failure(403, 'account_disabled', '账号已停用，请联系管理员'));
    // Counter bookkeeping of a right password: a full disk must not keep the owner out (the token write below still must succeed).
    await bestEffortWrite('login counters', async () => {
      await byPair.reset(pairKey);
      await byUsername.reset(userKey);
      await knownAddresses.add(`${user.id}|${ip}`, t);
    });

    if (deviceId !== undefined) await store.revokeUserTokens(user.id, now, deviceId);
    const { token, tokenHash } = issueToken();
    const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS);
    await store.insertToken({
      id: randomUUID(),
      tokenHash,
      userId: user.id,
      deviceId: deviceId ?? null,
      deviceName: deviceName || null,
      createdAt: now,
      expiresAt,
    });
    await store.appendAudit({
      at: now,
      actorId: user.id,
      actorName: user.username,
      action: 'login',
      subjectId: null,
      orgUnitId: null,
      reason: null,
      detail: deviceId ? { deviceId } : null,
    });
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
      .map((u) => ({
        id: u.id,
        parentId: u.parentId,
        kind: u.kind,
        name: u.name,
        shortName: u.shortName,
        code: u.code,
        // A closed unit takes no new records: pickers stop offering it (later events of its records still go).
        writable: scope.writableUnits.has(u.id) && !u.closedOn,
        ...(u.closedOn ? { closedOn: u.closedOn, successorId: u.successorId ?? null } : {}),
      }));
    return c.json<MeResponse>({
      user: { id: principal.userId, username: principal.username, displayName: principal.displayName, roles: principal.roles },
      orgUnits,
      unitNames: townUnitNames(tree, ids),
    });
  });

  return app;
}

/**
 * The names of the other units of the towns the user's units are in (their villages, grids and
 * committees), so that a case a 更正 moved out to a neighbouring grid, or in from one, is named
 * on the phone. Names only: nothing of their records comes with them. A user with no town above
 * their units (the county's staff, an admin) reads every unit already.
 */
function townUnitNames(tree: OrgTree, known: ReadonlySet<string>): MeUnitName[] {
  const towns = new Set<string>();
  for (const id of known) {
    const unit = tree.get(id);
    const town = unit?.kind === 'town' ? unit : tree.ancestors(id).find((a) => a.kind === 'town');
    if (town) towns.add(town.id);
  }
  const out: MeUnitName[] = [];
  for (const town of [...towns].sort()) {
    for (const id of tree.subtree(town)) {
      const u = tree.get(id);
      if (u && !known.has(id)) out.push({ id: u.id, parentId: u.parentId, kind: u.kind, name: u.name });
    }
  }
  return out;
}
