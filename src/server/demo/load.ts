// Loads the demo into an EMPTY store: the org tree, the users (one password, printed by the
// caller), then every event pushed through the real POST /api/sync/push of an in-process app,
// each user from their own device at the time it would have synced (demo/receipt.ts), so that
// validation, write scope, projections, receipt times and case numbers are exactly what field
// use would produce. Refuses a store that holds anything.
import { randomUUID } from 'node:crypto';
import { buildApp } from '../app.ts';
import { silentLogger } from '../observe/log.ts';
import { invalidateOrgTree } from '../access/org-tree.ts';
import { hashPassword } from '../access/passwords.ts';
import { issueToken, TOKEN_TTL_MS } from '../access/tokens.ts';
import type { Config } from '../config.ts';
import type { Store } from '../storage/store.ts';
import { buildTownship, TOWN_COMMITTEE_ID, TOWN_ID, type DemoUser } from './township.ts';
import { buildLedgers, buildYear } from './year.ts';
import { DEFAULT_SUBSIDY_RULES } from '#shared/subsidy/rules';
import { DEFAULT_GRACE_DAYS, deadlineOf } from '#shared/stats/completeness';
import { addDays, localDateOf } from '#shared/time';
import { scheduleReceipts } from './receipt.ts';

/** The demo's 镇综治办 user, who enters the office ledgers. */
const OFFICE_USER = 'zongzhiban';
/** When the township set Taizhang up: its units, accounts and rules exist before the year's first record. */
const SETUP = new Date('2023-12-20T09:00:00+08:00');
const DAY_MS = 86_400_000;

export type DemoOutcome =
  | { ok: true; users: DemoUser[]; skippedUsers: string[]; counts: { units: number; events: number; applied: number; rejected: number }; townId: string }
  | { ok: false; code: 'not_empty'; message: string };

export async function loadDemo(
  store: Store,
  config: Config,
  options: { password: string; seed?: number; now?: Date; log?: (line: string) => void },
): Promise<DemoOutcome> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  if ((await store.hasAnyEvent()) || (await store.listOrgUnits()).length > 0) {
    return { ok: false, code: 'not_empty', message: '数据库中已有组织或记录：演示数据只能装入空数据库。' };
  }
  const township = buildTownship(options.seed);
  const year = buildYear(township, options.seed);

  if ((await store.insertOrgUnits(township.units, SETUP)) !== 'ok')
    return { ok: false, code: 'not_empty', message: '组织编号已被占用：演示数据只能装入空数据库。' };
  invalidateOrgTree(store);
  log(`组织架构：${township.units.length} 个单位`);

  // One scrypt hash for every demo user: hashing ~190 passwords one by one would take a minute.
  const passwordHash = await hashPassword(options.password);
  const ids = new Map<string, string>();
  const skippedUsers: string[] = [];
  for (const u of township.users) {
    const id = randomUUID();
    const r = await store.insertUser({ id, username: u.username, displayName: u.displayName, passwordHash, roles: u.roles, createdAt: SETUP });
    if (r === 'ok') ids.set(u.username, id);
    else skippedUsers.push(u.username);
  }
  log(`账号：${ids.size} 个`);
  // The town committee's mediators are 专职 on the returns' registry; the village ones stay 兼职.
  for (const u of township.users) {
    const id = ids.get(u.username);
    if (id && u.roles.some((g) => g.role === 'mediator' && g.orgUnitId === TOWN_COMMITTEE_ID)) await store.setMediatorEmployment(id, 'full_time', SETUP);
  }

  // In-process pushes of a year of records, each at the time its phone synced (demo/receipt.ts) on
  // the app's clock: the route then stamps receivedAt, dates the 编号 step and judges "after
  // today" as it did on that day. A log line each would drown the accounts printed at the end.
  let clockAt = SETUP;
  const app = buildApp({ store, config, clock: () => clockAt, logger: silentLogger });
  // A phone's session slides while it is used and lapses after TOKEN_TTL_MS unused: one silent
  // for half that logs in again (a new token) rather than risk a 401 mid-year.
  const sessions = new Map<string, { token: string; lastUsed: number }>();
  const tokenOf = async (username: string, deviceId: string, at: Date) => {
    const held = sessions.get(deviceId);
    if (held && at.getTime() - held.lastUsed < TOKEN_TTL_MS / 2) {
      held.lastUsed = at.getTime();
      return held.token;
    }
    const userId = ids.get(username);
    if (!userId) throw new Error(`demo author ${username} was not created`);
    const { token, tokenHash } = issueToken();
    await store.insertToken({
      id: randomUUID(),
      tokenHash,
      userId,
      deviceId,
      deviceName: '演示数据',
      createdAt: at,
      expiresAt: new Date(at.getTime() + TOKEN_TTL_MS),
    });
    sessions.set(deviceId, { token, lastUsed: at.getTime() });
    return token;
  };
  const officeId = ids.get(OFFICE_USER);
  // What 镇综治办 does through the office API on its day, between the phones' syncs: the ledgers
  // as a person enters them, and each month's 结账 the morning after its reporting deadline, so
  // that the records still held on a phone then are 迟报 on 结账与迟报, as in real use. December
  // is left open: closing it is the step a user trying the demo takes on that screen.
  const officeWork: { at: number; path: string; body: Record<string, unknown> }[] = officeId
    ? [
        ...buildLedgers(options.seed).map((item) => ({ at: Date.parse(`${item.date}T16:30:00+08:00`), path: '/api/office/ledgers', body: item })),
        ...Array.from({ length: 11 }, (_, i) => ({
          at: Date.parse(`${addDays(deadlineOf(2024, i + 1, DEFAULT_GRACE_DAYS), 1)}T09:00:00+08:00`),
          path: '/api/office/periods/close',
          body: { year: 2024, month: i + 1 },
        })),
      ]
        .filter((a) => a.at <= now.getTime())
        .sort((a, b) => a.at - b.at)
    : [];
  const pushes = scheduleReceipts(year.byAuthor, now, options.seed);
  const receivedAt = new Map<string, string>();
  let applied = 0;
  let rejected = 0;
  let done = 0;
  let ledgers = 0;
  const officeUntil = async (until: number) => {
    for (; done < officeWork.length && officeWork[done]!.at <= until; done++) {
      const { at, path, body } = officeWork[done]!;
      clockAt = new Date(at);
      const token = await tokenOf(OFFICE_USER, 'demo-office', clockAt);
      const res = await app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ orgUnitId: TOWN_ID, ...body }),
      });
      if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      if (path === '/api/office/ledgers') ledgers++;
    }
  };
  for (const push of pushes) {
    await officeUntil(Date.parse(push.receivedAt));
    clockAt = new Date(push.receivedAt);
    const deviceId = `demo-${push.author}`;
    const token = await tokenOf(push.author, deviceId, clockAt);
    const res = await app.request('/api/sync/push', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId, events: push.events }),
    });
    if (res.status !== 200) throw new Error(`push for ${push.author} answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { results: { status: string; error?: { message: string } }[] };
    for (const r of body.results) {
      if (r.status === 'applied') applied++;
      else if (r.status === 'rejected') {
        rejected++;
        if (rejected <= 5) log(`被拒绝：${r.error?.message ?? ''}`);
      }
    }
    for (const e of push.events) receivedAt.set(e.id, push.receivedAt);
  }
  await officeUntil(Number.POSITIVE_INFINITY);
  clockAt = now;
  // The demo's tokens are not anyone's device: revoke them once the upload is done.
  for (const [username, userId] of ids) {
    const deviceId = username === OFFICE_USER ? 'demo-office' : `demo-${username}`;
    if (sessions.has(deviceId)) await store.revokeUserTokens(userId, now, deviceId);
  }
  log(`记录：${applied} 条已写入（${pushes.length} 次同步）${rejected ? `，${rejected} 条被拒绝` : ''}`);
  if (officeId) {
    log(`机关台账：${ledgers} 条；结账：${done - ledgers} 个月`);
    // The older 重大 alerts were signed for by 综治办 the morning after they came in; the last two wait on its screen.
    const office = township.users.find((u) => u.username === OFFICE_USER)!;
    for (const a of year.alerts.slice(0, -2)) {
      const raised = receivedAt.get(a.raisedEventId);
      const ackedAt = raised ? new Date(Date.parse(`${localDateOf(raised)}T09:30:00+08:00`) + DAY_MS).toISOString() : now.toISOString();
      await store.insertMajorAck({ ...a, ackedBy: officeId, ackedByName: office.displayName, ackedAt });
    }
  }
  // The town's 以案定补 rules, as its admin would have set them before the year.
  const admin = township.users.find((u) => u.roles.some((r) => r.role === 'admin'));
  await store.putSubsidyRules({
    orgUnitId: TOWN_ID,
    rules: JSON.stringify({ ...DEFAULT_SUBSIDY_RULES, amounts: { general: 100, difficult: 200, major: 500 } }),
    updatedBy: (admin && ids.get(admin.username)) ?? 'demo',
    updatedByName: admin?.displayName ?? '系统管理员',
    updatedAt: SETUP.toISOString(),
  });
  log(`重大矛盾纠纷：${year.alerts.length} 件；以案定补规则已设置`);
  return {
    ok: true,
    users: township.users,
    skippedUsers,
    counts: { units: township.units.length, events: year.counts.events, applied, rejected },
    townId: TOWN_ID,
  };
}
