// The session's life on the phone: login (needs network), the cached session that opens the
// app offline for 30 days, the PIN that unlocks it after the phone was idle (wrong guesses
// cost a growing cool-down, never the session: the worker's unsent records must stay within
// reach offline), the password checked offline against a verifier derived at login, a 401
// that ends it without touching the data, and logout, which wipes the phone. It writes the signals in
// state.ts; storage and network come in as deps so that tests can replace them.
import * as v from 'valibot';
import { describeFailure, type Failure, type FetchLike } from '../net/http.ts';
import { requestLogin, requestLogout, requestMe } from './api.ts';
import { checkPinFormat, hashPin, verifyPin } from './pin.ts';
import { gate, OrgUnitInfo, OrgUnitName, session, SessionUserSchema, type Session, type SignedOutReason } from './state.ts';

const SESSION_DAYS = 30;
const DEFAULT_IDLE_MINUTES = 5;
/** Wrong PINs (or passwords) allowed before each further one costs a cool-down. */
const MAX_PIN_ATTEMPTS = 5;
const COOL_DOWN_BASE_MS = 30_000;
const COOL_DOWN_MAX_MS = 30 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
// How often an open app asks the server for the user's current roles and org units.
const REFRESH_EVERY_MS = 10 * 60_000;

/** What is kept in IndexedDB (meta 'session'); read back through the schema after an app update. */
export const PersistedSession = v.object({
  token: v.nullable(v.string()),
  user: SessionUserSchema,
  orgUnits: v.array(OrgUnitInfo),
  unitNames: v.optional(v.array(OrgUnitName), []),
  /** Last time the server accepted the token; the cached session lasts SESSION_DAYS from here. */
  verifiedAt: v.number(),
  pin: v.optional(v.object({ salt: v.string(), hash: v.string(), iterations: v.number() })),
  failedPinAttempts: v.optional(v.number(), 0),
  pinLockedUntil: v.optional(v.number()),
  /** PBKDF2 of the password at the last login (salted on this phone): unlocks offline; the password itself is never kept. */
  passwordVerifier: v.optional(v.object({ salt: v.string(), hash: v.string(), iterations: v.number() })),
  failedPasswordAttempts: v.optional(v.number(), 0),
  passwordLockedUntil: v.optional(v.number()),
  idleMinutes: v.optional(v.number(), DEFAULT_IDLE_MINUTES),
  signedOutReason: v.optional(v.picklist(['expired', 'unauthorized', 'pin_attempts', 'pin_forgotten', 'logged_out'])),
});
export type PersistedSession = v.InferOutput<typeof PersistedSession>;

export interface SessionDeps {
  fetch: FetchLike;
  load(): Promise<unknown>;
  save(value: PersistedSession): Promise<void>;
  deviceId(): Promise<string>;
  countOutbox(): Promise<{ pending: number; rejected: number }>;
  wipeDevice(): Promise<void>;
  /** When the user last touched the app (kept outside IndexedDB: written often, read at start). */
  lastActive: { get(): number | undefined; set(at: number | undefined): void };
  deviceName?: string;
  now?: () => number;
}

type LoginResult = { ok: true } | { ok: false; code: LoginProblem; message: string };
type LoginProblem = 'missing' | 'offline' | 'invalid' | 'rate_limited' | 'other_user_unsent' | 'server';
type PinResult =
  | { ok: true }
  | { ok: false; code: 'pin_format' | 'pin_mismatch' | 'pin_wrong' | 'pin_locked_out' | 'no_offline_password'; message: string }
  /** Too many wrong guesses: the next one is allowed at `retryAt` (ms since epoch). */
  | { ok: false; code: 'cooling_down'; message: string; retryAt: number };
type LogoutResult = { ok: true } | { ok: false; code: 'has_unsent'; pending: number; rejected: number };

export interface SessionController {
  init(): Promise<void>;
  login(username: string, password: string): Promise<LoginResult>;
  setPin(pin: string, repeat: string): Promise<PinResult>;
  unlock(pin: string): Promise<PinResult>;
  /** 用登录密码解锁, offline: checked against the verifier from the last login; a new PIN is chosen after. */
  unlockWithPassword(password: string): Promise<PinResult>;
  /** Whether this phone holds a password verifier (sessions from before it had none). */
  canUnlockWithPassword(): boolean;
  /** When the next PIN / password guess is allowed, if a cool-down runs. */
  coolingDownUntil(kind: 'pin' | 'password'): number | undefined;
  /** Call on user activity; cheap. */
  touch(): void;
  /** Locks if the phone has been idle too long or the session ran out. */
  checkIdle(): void;
  lockNow(): void;
  /** 忘记 PIN without an offline verifier: back to the password login (needs network); the records stay. */
  forgetPin(): Promise<void>;
  /** The server said 401: the login is over, the records stay on the phone. */
  endOnUnauthorized(): Promise<void>;
  /** The server accepted the token just now (a sync went through): extend the cached session. */
  noteServerContact(): Promise<void>;
  /** Fetches the user's roles and org units again (throttled unless `force`). */
  refresh(force?: boolean): Promise<void>;
  logout(force?: boolean): Promise<LogoutResult>;
  idleMinutes(): number;
  setIdleMinutes(minutes: number): Promise<void>;
  credentials(): Promise<{ token: string; deviceId: string } | undefined>;
}

export function createSessionController(deps: SessionDeps): SessionController {
  const now = deps.now ?? Date.now;
  let stored: PersistedSession | undefined;
  let lastRefresh = 0;

  const expiresAt = (p: PersistedSession) => p.verifiedAt + SESSION_DAYS * DAY_MS;
  const idleMs = () => (stored?.idleMinutes ?? DEFAULT_IDLE_MINUTES) * 60_000;

  const persist = async (next: PersistedSession) => {
    stored = next;
    await deps.save(next);
  };

  const publish = () => {
    const p = stored;
    session.value =
      p && p.token ? ({ token: p.token, user: p.user, orgUnits: p.orgUnits, unitNames: p.unitNames, expiresAt: expiresAt(p) } satisfies Session) : null;
  };

  const signOut = async (reason: SignedOutReason, changes: Partial<PersistedSession> = {}) => {
    if (stored) await persist({ ...stored, ...changes, token: null, signedOutReason: reason });
    publish();
    gate.value = { status: 'signed_out', reason, previousUser: stored?.user };
  };

  const isIdle = () => {
    const last = deps.lastActive.get();
    return last === undefined || now() - last > idleMs();
  };

  async function init(): Promise<void> {
    let loaded: unknown;
    try {
      loaded = await deps.load();
    } catch {
      // IndexedDB refused (private mode, disk full): nothing cached, the login screen says more.
      loaded = undefined;
    }
    const parsed = v.safeParse(PersistedSession, loaded);
    stored = parsed.success ? parsed.output : undefined;
    publish();
    if (!stored) {
      gate.value = { status: 'signed_out' };
    } else if (!stored.token) {
      gate.value = { status: 'signed_out', reason: stored.signedOutReason, previousUser: stored.user };
    } else if (now() > expiresAt(stored)) {
      await signOut('expired');
    } else if (!stored.pin) {
      gate.value = { status: 'set_pin' };
    } else {
      gate.value = { status: isIdle() ? 'locked' : 'open' };
    }
  }

  async function login(username: string, password: string): Promise<LoginResult> {
    const name = username.trim();
    if (!name) return { ok: false, code: 'missing', message: '请填写用户名' };
    if (!password) return { ok: false, code: 'missing', message: '请填写密码' };
    const previous = stored?.user;
    const samePerson = previous?.username === name;
    if (previous && !samePerson) {
      // Another person's unsent records must not be wiped, nor be sent under the new login.
      const { pending, rejected } = await deps.countOutbox();
      if (pending + rejected > 0) {
        return {
          ok: false,
          code: 'other_user_unsent',
          message: `本机还有 ${previous.displayName}（${previous.username}）的 ${pending + rejected} 条未上传记录。请由本人登录上传，或先导出未上传数据。`,
        };
      }
    }
    const deviceId = await deps.deviceId();
    const answer = await requestLogin(deps.fetch, { username: name, password, deviceId, deviceName: deps.deviceName ?? '手机' });
    if (!answer.ok) return loginFailure(answer.failure);
    const me = await requestMe(deps.fetch, answer.body.token);
    if (!me.ok) return loginFailure(me.failure);
    if (previous && !samePerson) await deps.wipeDevice();
    const keep = samePerson && stored ? { pin: stored.pin, idleMinutes: stored.idleMinutes } : {};
    await persist({
      token: answer.body.token,
      user: me.body.user,
      orgUnits: me.body.orgUnits,
      unitNames: me.body.unitNames,
      verifiedAt: now(),
      failedPinAttempts: 0,
      failedPasswordAttempts: 0,
      idleMinutes: DEFAULT_IDLE_MINUTES,
      // The same salted PBKDF2 as the PIN, with a fresh salt from this phone at each login.
      passwordVerifier: await hashPin(password),
      ...keep,
    });
    lastRefresh = now();
    deps.lastActive.set(now());
    publish();
    gate.value = { status: stored?.pin ? 'open' : 'set_pin' };
    return { ok: true };
  }

  async function setPin(pin: string, repeat: string): Promise<PinResult> {
    if (checkPinFormat(pin)) return { ok: false, code: 'pin_format', message: 'PIN 应为 4 到 6 位数字' };
    if (pin !== repeat) return { ok: false, code: 'pin_mismatch', message: '两次输入的 PIN 不一致' };
    if (!stored?.token) return { ok: false, code: 'pin_locked_out', message: '请先登录' };
    await persist({ ...stored, pin: await hashPin(pin), failedPinAttempts: 0, pinLockedUntil: undefined });
    deps.lastActive.set(now());
    gate.value = { status: 'open' };
    return { ok: true };
  }

  async function unlock(pin: string): Promise<PinResult> {
    if (!stored?.token || !stored.pin) return { ok: false, code: 'pin_locked_out', message: '请重新登录' };
    // A tap on 解锁 with nothing typed is a slip, not a guess: it does not count toward the cool-down.
    if (!pin.trim()) return { ok: false, code: 'pin_wrong', message: '请输入 PIN' };
    const waiting = coolingDown(stored.pinLockedUntil, stored.passwordVerifier ? '，或用登录密码解锁' : '');
    if (waiting) return waiting;
    if (await verifyPin(pin, stored.pin)) {
      await persist({ ...stored, failedPinAttempts: 0, pinLockedUntil: undefined });
      deps.lastActive.set(now());
      gate.value = { status: 'open' };
      return { ok: true };
    }
    // Never a sign-out: that would need the network, and the unsent records would be out of reach.
    const failed = (stored.failedPinAttempts ?? 0) + 1;
    const pause = coolDownMs(failed);
    await persist({ ...stored, failedPinAttempts: failed, pinLockedUntil: pause > 0 ? now() + pause : undefined });
    if (pause > 0) {
      const alternative = stored.passwordVerifier ? '，或用登录密码解锁' : '';
      return {
        ok: false,
        code: 'cooling_down',
        retryAt: now() + pause,
        message: `PIN 错误次数过多，请 ${waitText(pause)}后再试${alternative}。本机记录都还在。`,
      };
    }
    return { ok: false, code: 'pin_wrong', message: `PIN 不对，还可以再试 ${MAX_PIN_ATTEMPTS - failed} 次` };
  }

  async function unlockWithPassword(password: string): Promise<PinResult> {
    if (!stored?.token) return { ok: false, code: 'pin_locked_out', message: '请重新登录' };
    if (!stored.passwordVerifier) return { ok: false, code: 'no_offline_password', message: '这台手机上次登录时还不能离线核对密码，请联网后用密码重新登录。' };
    if (!password) return { ok: false, code: 'pin_wrong', message: '请填写登录密码' };
    const waiting = coolingDown(stored.passwordLockedUntil, '');
    if (waiting) return waiting;
    if (await verifyPin(password, stored.passwordVerifier)) {
      // The PIN was forgotten or guessed wrong too often: a new one is chosen before the screens open.
      await persist({ ...stored, failedPinAttempts: 0, pinLockedUntil: undefined, failedPasswordAttempts: 0, passwordLockedUntil: undefined });
      gate.value = { status: 'set_pin' };
      return { ok: true };
    }
    const failed = (stored.failedPasswordAttempts ?? 0) + 1;
    const pause = coolDownMs(failed);
    await persist({ ...stored, failedPasswordAttempts: failed, passwordLockedUntil: pause > 0 ? now() + pause : undefined });
    if (pause > 0)
      return { ok: false, code: 'cooling_down', retryAt: now() + pause, message: `密码错误次数过多，请 ${waitText(pause)}后再试。本机记录都还在。` };
    return { ok: false, code: 'pin_wrong', message: `密码不对，还可以再试 ${MAX_PIN_ATTEMPTS - failed} 次` };
  }

  function coolingDown(until: number | undefined, alternative: string): (PinResult & { ok: false }) | undefined {
    if (until === undefined || until <= now()) return undefined;
    return { ok: false, code: 'cooling_down', retryAt: until, message: `错误次数过多，请 ${waitText(until - now())}后再试${alternative}。本机记录都还在。` };
  }

  let lastTouchWrite = 0;
  function touch(): void {
    if (gate.value.status !== 'open') return;
    // Written at most every few seconds: this runs on every tap.
    if (now() - lastTouchWrite < 5_000) return;
    lastTouchWrite = now();
    deps.lastActive.set(now());
  }

  function checkIdle(): void {
    if (gate.value.status !== 'open') return;
    if (stored && now() > expiresAt(stored)) {
      void signOut('expired');
      return;
    }
    if (isIdle()) gate.value = { status: 'locked' };
  }

  function lockNow(): void {
    if (gate.value.status === 'open' && stored?.pin) {
      deps.lastActive.set(undefined);
      gate.value = { status: 'locked' };
    }
  }

  async function forgetPin(): Promise<void> {
    if (!stored?.token) return;
    await signOut('pin_forgotten', { pin: undefined, failedPinAttempts: 0 });
  }

  async function endOnUnauthorized(): Promise<void> {
    if (!stored?.token) return;
    await signOut('unauthorized');
  }

  async function noteServerContact(): Promise<void> {
    if (!stored?.token) return;
    // The server's token slides 30 days on use; the cached session follows it, written rarely.
    if (now() - stored.verifiedAt < 60 * 60_000) return;
    await persist({ ...stored, verifiedAt: now() });
    publish();
  }

  async function refresh(force = false): Promise<void> {
    if (!stored?.token) return;
    if (!force && now() - lastRefresh < REFRESH_EVERY_MS) return;
    lastRefresh = now();
    const token = stored.token;
    const me = await requestMe(deps.fetch, token);
    if (!me.ok) {
      if (me.failure.kind === 'unauthorized') await endOnUnauthorized();
      return;
    }
    if (stored?.token !== token) return;
    await persist({ ...stored, user: me.body.user, orgUnits: me.body.orgUnits, unitNames: me.body.unitNames, verifiedAt: now() });
    publish();
  }

  async function logout(force = false): Promise<LogoutResult> {
    const { pending, rejected } = await deps.countOutbox();
    if (!force && pending + rejected > 0) return { ok: false, code: 'has_unsent', pending, rejected };
    // From here no new sync run gets credentials (a run would pull the old user's events
    // back into the wiped store); a run in flight is waited for by wipeDevice.
    const token = stored?.token;
    if (stored) stored = { ...stored, token: null };
    // Tell the server when we can, so the token stops working; the phone is wiped either way.
    if (token) await requestLogout(deps.fetch, token);
    await deps.wipeDevice();
    stored = undefined;
    deps.lastActive.set(undefined);
    session.value = null;
    gate.value = { status: 'signed_out', reason: 'logged_out' };
    return { ok: true };
  }

  return {
    init,
    login,
    setPin,
    unlock,
    unlockWithPassword,
    canUnlockWithPassword: () => stored?.passwordVerifier !== undefined,
    coolingDownUntil(kind) {
      const until = kind === 'pin' ? stored?.pinLockedUntil : stored?.passwordLockedUntil;
      return until !== undefined && until > now() ? until : undefined;
    },
    touch,
    checkIdle,
    lockNow,
    forgetPin,
    endOnUnauthorized,
    noteServerContact,
    refresh,
    logout,
    idleMinutes: () => stored?.idleMinutes ?? DEFAULT_IDLE_MINUTES,
    async setIdleMinutes(minutes) {
      if (!stored) return;
      await persist({ ...stored, idleMinutes: Math.min(240, Math.max(1, Math.round(minutes))) });
    },
    async credentials() {
      if (!stored?.token || now() > expiresAt(stored)) return undefined;
      return { token: stored.token, deviceId: await deps.deviceId() };
    },
  };
}

/** The wait after `failed` wrong guesses in a row: none for the first few, then 30 s doubling to 30 min. */
export function coolDownMs(failed: number): number {
  if (failed < MAX_PIN_ATTEMPTS) return 0;
  return Math.min(COOL_DOWN_MAX_MS, COOL_DOWN_BASE_MS * 2 ** (failed - MAX_PIN_ATTEMPTS));
}

/** "30 秒" / "2 分钟" for a wait. */
export function waitText(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}

function loginFailure(failure: Failure): LoginResult & { ok: false } {
  switch (failure.kind) {
    case 'offline':
    case 'timeout':
      return { ok: false, code: 'offline', message: '连不上服务器。第一次登录需要网络，请连上网络后再试；登录后 30 天内没有网络也能使用。' };
    case 'unauthorized':
      return { ok: false, code: 'invalid', message: failure.message ?? '用户名或密码不对' };
    case 'rate_limited': {
      const minutes = failure.retryAfterMs ? Math.max(1, Math.ceil(failure.retryAfterMs / 60_000)) : undefined;
      return { ok: false, code: 'rate_limited', message: minutes ? `尝试次数太多，请 ${minutes} 分钟后再试` : '尝试次数太多，请稍后再试' };
    }
    case 'bad_response':
      return { ok: false, code: 'server', message: '收到的不是服务器的应答。如果连的是需要认证的 Wi-Fi，请先在浏览器里完成认证。' };
    case 'server_error':
      return { ok: false, code: 'server', message: '服务器出错，请稍后再试' };
    case 'storage_full':
      return { ok: false, code: 'server', message: describeFailure(failure) };
    case 'refused':
      return { ok: false, code: 'invalid', message: failure.message ?? '登录失败' };
  }
}
