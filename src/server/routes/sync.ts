// Push and pull (design.md "Sync contract").
//
// POST /api/sync/push {deviceId, events, pending?, sentAt?} → {results, serverTime, clockSkewed, clockSkewMs?}
//   Each event is validated on its own; an invalid one, a server-only type, or one outside the
//   write scope is rejected with a code and a Chinese message, quarantined and acked, and the
//   rest of the batch goes on. The whole batch is one transaction; the answer is sent only
//   after it committed. A body over 5 MB is 413, malformed JSON 400. A batch that would take the
//   user or the device (the deviceId pushed) over config.limits.pushEventsPerDay is refused whole
//   with 429 'push_budget' and Retry-After (services/budgets.ts); duplicates are not charged.
//
// GET /api/sync/pull?cursor=N&limit=M[&deviceId=D][&resume=R] → {events, cursor, hasMore, generation, resume?}. The pull is
//   recorded on the device's sync status (deviceId, else the device the token was issued to).
//   Events of the caller's readable units with seq > cursor, in seq order (limit 500 by
//   default, at most 1000). A scope that grew since the token's last pull (a user moved to another
//   grid, given a village) first gets the new units' older events, and so do cases a 更正 moved
//   into the caller's units: services/pull-backfill.ts. Such a page carries `resume`, which the
//   phone stores with it and sends with its next pull; a page not confirmed so comes again.
//   `generation` names the log (storage/log-identity-store.ts). A cursor that does not count in
//   it — beyond the log's end, or > 0 from a token last answered in another generation (a
//   restore, a failover) — gets {events: [], cursor: 0, hasMore: true, restart}: start again
//   from the beginning.
//
// GET /api/sync/rejected → {rejected:[…]}: the caller's quarantined events (with the raw
//   record, to fix and resend); office and admin also see those about the units they read,
//   without the raw record.
//
// Pulled events of units whose personal data the caller does not see (office, admin) come
// with parties masked (services/pull-mask.ts).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import * as v from 'valibot';
import { parseEvent, SERVER_ONLY_TYPES, type StoredEvent } from '#shared/events';
import { refusalsOf } from '#shared/plausibility';
import { PushRequest, type PullResponse, type PullRestart, type PushResponse, type RejectedResponse } from '#shared/api/sync';
import { requireUser } from '../access/middleware.ts';
import { closedUnitRefusal } from '../access/org-closing.ts';
import { loadOrgTree, type OrgTree } from '../access/org-tree.ts';
import type { Scope } from '../access/scope.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { bestEffortWrite } from '../http/database-errors.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { holdsUnstorableText, INVALID_TEXT_MESSAGE, parseJsonBody, validate } from '../http/body.ts';
import type { PulledRow, PushItem, RefusedItem, UnitFilter } from '../storage/event-store.ts';
import { budgetDayOf, subjectsOf, withinBudget } from '../services/budgets.ts';
import { isSealedByServer } from '../services/case-number.ts';
import { continuePull, settledPull, startPull, type PullStep } from '../services/pull-backfill.ts';
import { eventsForScope } from '../services/pull-mask.ts';
import { pushBatch } from '../services/push.ts';
import type { Store } from '../storage/store.ts';
import type { SyncObserver } from '../observe/app-metrics.ts';

const DEFAULT_PULL_LIMIT = 500;
const MAX_PULL_LIMIT = 1000;
/** Moves into the caller's units taken in by one pull; more wait for the next. */
const MOVES_PER_PULL = 500;

/** A pull page stops once its events reach this much JSON (at least one event). */
export const PULL_PAGE_BYTES = 1024 * 1024;

/** How many leading rows (at most `limit`, at least one) fit in `maxBytes` of JSON. */
function rowsWithinBytes(rows: readonly StoredEvent[], maxBytes: number, limit: number): number {
  let bytes = 0;
  const n = Math.min(rows.length, limit);
  for (let i = 0; i < n; i++) {
    bytes += Buffer.byteLength(JSON.stringify(rows[i])) + 1;
    if (bytes > maxBytes) return Math.max(1, i);
  }
  return n;
}
/** Quarantine keeps at most this much of a rejected event's JSON. */
const MAX_QUARANTINE_RAW = 16 * 1024;
/** A device clock off by more than this is flagged to the user and the office. */
export const CLOCK_SKEW_LIMIT_MS = 24 * 60 * 60 * 1000;

const REJECT_MESSAGES: Record<string, string> = {
  forbidden_type: '该类型的记录只能由服务器生成，手机不能上传',
  forbidden_org_unit: '无权在该单位登记记录（不在您负责的村/网格范围内，或该单位不存在）',
};

export interface SyncRouteDeps {
  store: Store;
  config: Config;
  clock: () => Date;
  /** Told of every answered push and pull (metrics). */
  observe?: SyncObserver;
}

/** The caller's readable units as a store filter. */
export function unitFilterOf(scope: Scope): UnitFilter {
  return scope.isAdmin ? 'all' : [...scope.readableUnits].sort();
}

/** The unit a principal mainly works in (its first grant), recorded on its device rows. */
function homeUnitOf(scope: Scope): string | undefined {
  return scope.principal.roles.find((g) => scope.readableUnits.has(g.orgUnitId))?.orgUnitId;
}

// NUL and unpaired surrogates: PostgreSQL text cannot hold them (SQLite can), so identifiers
// that go into columns as they are must not carry them on either store.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const storable = (s: string) => s.replace(UNSTORABLE, '');
const BAD_DEVICE_ID = '设备编号含有不允许的字符';

/**
 * The rejected record's JSON as quarantine keeps it, cut at MAX_QUARANTINE_RAW. JSON.parse
 * takes arrays nested thousands deep that JSON.stringify then overflows the stack on: such a
 * record is still quarantined and answered, with its copy left empty and marked truncated.
 */
function quarantineCopy(raw: unknown): { json: string; rawTruncated: boolean } {
  let json: string;
  try {
    json = JSON.stringify(raw) ?? 'null';
  } catch (err) {
    if (err instanceof RangeError) return { json: '', rawTruncated: true };
    throw err;
  }
  return json.length > MAX_QUARANTINE_RAW ? { json: json.slice(0, MAX_QUARANTINE_RAW), rawTruncated: true } : { json, rawTruncated: false };
}

function refuse(raw: unknown, code: string, message: string, canonical?: string): RefusedItem {
  const obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const str = (k: string) => (typeof obj[k] === 'string' ? storable((obj[k] as string).slice(0, 100)) : undefined);
  const { json, rawTruncated } = quarantineCopy(raw);
  // valibot's default messages quote the offending value: it may carry what a column cannot.
  const item: RefusedItem = {
    kind: 'refused',
    id: str('id') ?? '',
    code,
    message: storable(message),
    raw: json,
    rawTruncated,
    subjectId: str('subjectId'),
    orgUnitId: str('orgUnitId'),
    type: str('type'),
  };
  if (canonical !== undefined) item.canonical = canonical;
  return item;
}

/**
 * Validation, plausibility (#shared/plausibility, as on the phone), the write scope and the
 * unit's 撤并 (access/org-closing.ts), per event: what the store is asked to apply.
 */
function prepareItem(raw: unknown, scope: Scope, now: Date, tree: OrgTree, timeZone: string, sealKey: Buffer): PushItem {
  const parsed = parseEvent(raw);
  if (!parsed.ok) return refuse(raw, parsed.code, `记录格式不对：${parsed.message}`);
  const event = parsed.value;
  if (storable(event.deviceId) !== event.deviceId) return refuse(raw, 'invalid_event', `记录格式不对：deviceId: ${BAD_DEVICE_ID}`);
  // A name or a note PostgreSQL cannot store: this event is refused on its own, the batch goes on.
  if (holdsUnstorableText(event)) return refuse(raw, 'invalid_text', INVALID_TEXT_MESSAGE);
  if (SERVER_ONLY_TYPES.has(event.type)) {
    // A case number this server made and sealed, given back after a restore by a phone of the case's unit (start-over.ts).
    if (isSealedByServer(event, sealKey) && scope.writableUnits.has(event.orgUnitId)) {
      // Stored as sealed: nothing the phone added beside the sealed fields (basedOn, say) goes in with it.
      const { id, type, subjectId, orgUnitId, occurredAt, recordedAt, deviceId, deviceSeq, data } = event;
      const { caseNumber, year, committeeId, sequence, seal } = data;
      const sealed = { id, type, subjectId, orgUnitId, occurredAt, recordedAt, deviceId, deviceSeq, data: { caseNumber, year, committeeId, sequence, seal } };
      return { kind: 'accepted', event: sealed, canonical: JSON.stringify(sealed) };
    }
    return refuse(raw, 'forbidden_type', REJECT_MESSAGES.forbidden_type!);
  }
  const implausible = refusalsOf(event, { now })[0];
  if (implausible) return refuse(raw, 'implausible', `记录不合常理：${implausible.message}`);
  // A correction that moves the case must be allowed in the unit it moves to as well.
  const movedTo = event.type === 'case.updated' ? event.data.changes.orgUnitId : undefined;
  const decision = movedTo !== undefined && scope.canWrite(event) === 'ok' ? scope.canWrite({ ...event, orgUnitId: movedTo }) : scope.canWrite(event);
  // parseEvent's output has its keys in schema order: plain JSON of it is a stable stored form.
  const stored = JSON.stringify(event);
  if (decision !== 'ok') return refuse(raw, decision, REJECT_MESSAGES[decision] ?? '无权上传该记录', stored);
  // With its stored form: the same record pushed again after it was taken stays a duplicate.
  const closed = closedUnitRefusal(event, tree, timeZone);
  if (closed) return refuse(raw, closed.code, closed.message, stored);
  return { kind: 'accepted', event, canonical: stored };
}

const PullQuery = v.object({
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'cursor 应为非负整数'), v.transform(Number)), '0'),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/, 'limit 应为正整数'), v.transform(Number)), String(DEFAULT_PULL_LIMIT)),
  deviceId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  /** The `resume` of the last page the phone stored ('' for none): services/pull-backfill.ts. */
  resume: v.optional(v.pipe(v.string(), v.regex(/^[\w-]{0,64}$/, 'resume 格式不对'))),
});

/** The device a token was issued to at login, when the pull does not name one. */
async function deviceOfToken(store: Store, scope: Scope, now: Date): Promise<string | undefined> {
  const sessions = await store.listLiveTokens(now, scope.principal.userId);
  return sessions.find((s) => s.id === scope.principal.tokenId)?.deviceId ?? undefined;
}

export function syncRoutes({ store, config, clock, observe }: SyncRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(store, { clock }));

  // Its 5 MB body limit is the API-wide one's entry for the route (http/body.ts). Prototype keys are refused at the
  // top only: each event is then checked on its own against its schema, which copies known keys only.
  app.post('/push', async (c) => {
    const req = await parseJsonBody(c, PushRequest, { scan: 'top' });
    if (!req.ok) return sendFailure(c, req);
    if (storable(req.value.deviceId) !== req.value.deviceId) return sendFailure(c, failure(400, 'invalid_body', `deviceId: ${BAD_DEVICE_ID}`));
    const scope = c.var.scope;
    const now = clock();
    const started = performance.now();
    const { day, retryAfter } = budgetDayOf(now, config.timeZone);
    const subjects = subjectsOf(scope.principal, req.value.deviceId);
    const limits = { events: config.limits.pushEventsPerDay, uploadBytes: Number.POSITIVE_INFINITY };
    if (!(await withinBudget(store, subjects, day, { events: req.value.events.length, uploadBytes: 0 }, limits))) {
      c.header('Retry-After', String(retryAfter));
      return sendFailure(
        c,
        failure(429, 'push_budget', `今天上传的记录已达上限（每人每台设备每天 ${config.limits.pushEventsPerDay} 条），请明天再同步；如确有需要请联系管理员`),
      );
    }
    const tree = await loadOrgTree(store);
    const sealKey = await store.caseNumberSealKey();
    const outcome = await pushBatch(store, {
      authorId: scope.principal.userId,
      deviceId: req.value.deviceId,
      receivedAt: now.toISOString(),
      userOrgUnitId: homeUnitOf(scope),
      pending: req.value.pending,
      sentAt: req.value.sentAt,
      timeZone: config.timeZone,
      sealKey,
      items: req.value.events.map((raw) => prepareItem(raw, scope, now, tree, config.timeZone, sealKey)),
      // Counted in the push's transaction: a second durable commit cost as much as a tenth of a push.
      usage: { subjects, day },
    });
    observe?.pushed(outcome.results, (performance.now() - started) / 1000);
    const skew = outcome.clockSkewMs;
    return c.json<PushResponse>({
      results: outcome.results,
      serverTime: now.toISOString(),
      clockSkewed: skew !== undefined && Math.abs(skew) > CLOCK_SKEW_LIMIT_MS,
      ...(skew !== undefined ? { clockSkewMs: skew } : {}),
    });
  });

  app.get('/pull', async (c) => {
    const q = validate(PullQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const { cursor, deviceId, resume } = q.value;
    if (deviceId !== undefined && storable(deviceId) !== deviceId) return sendFailure(c, failure(400, 'invalid_body', `deviceId: ${BAD_DEVICE_ID}`));
    if (q.value.limit < 1) return sendFailure(c, failure(400, 'invalid_body', 'limit 应为正整数'));
    const limit = Math.min(q.value.limit, MAX_PULL_LIMIT);
    const scope = c.var.scope;
    const units = unitFilterOf(scope);
    const tokenId = scope.principal.tokenId;
    const now = clock().toISOString();
    const device = deviceId ?? (await deviceOfToken(store, scope, clock()));
    // Bookkeeping (device list, saved pull scope): a full disk must not stop phones from reading.
    if (device) await bestEffortWrite('recordPull', () => store.recordPull(device, scope.principal.userId, homeUnitOf(scope), now));

    const { generation, lastSeq, servedGeneration } = await store.pullIdentity(tokenId);
    const restart: PullRestart | undefined =
      cursor > lastSeq ? 'cursor_ahead' : cursor > 0 && servedGeneration !== undefined && servedGeneration !== generation ? 'other_generation' : undefined;
    if (restart) {
      // Not recorded yet: should this answer be lost, the retry with the old cursor is told again.
      observe?.pulled(0);
      return c.json<PullResponse>({ events: [], cursor: 0, hasMore: true, generation, restart });
    }
    if (servedGeneration !== generation) await bestEffortWrite('notePullGeneration', () => store.notePullGeneration(tokenId, generation));
    const previous = await store.getPullScope(tokenId);
    // Cases moved into these units by a 更正 since the token last looked: their earlier events come first.
    const seen = settledPull(previous, resume)?.moves?.seen ?? 0;
    const moves = units === 'all' ? [] : await store.movesInto(units, seen, MOVES_PER_PULL);
    const input = { previous, resume, offerId: randomUUID(), units, cursor, limit, moves };
    let step: PullStep = startPull(input);
    let rows: PulledRow[] = [];
    let movedInto = new Map<string, string>();
    while (step.kind === 'query') {
      rows = await store.pullScoped(step.query);
      movedInto = step.phase === 'moved' ? new Map(step.moved.cases.map((c) => [c.subjectId, c.unitId])) : new Map();
      // A page ends at PULL_PAGE_BYTES of JSON too: on a weak signal a smaller page arrives, and is stored, sooner.
      const fit = rowsWithinBytes(
        rows.map((r) => r.event),
        PULL_PAGE_BYTES,
        limit,
      );
      const seqs = rows.map((r) => r.event.seq);
      step =
        fit < Math.min(rows.length, limit)
          ? continuePull({ ...input, limit: fit }, step, seqs.slice(0, step.phase === 'forward' ? fit + 1 : fit))
          : continuePull(input, step, seqs);
    }
    if (step.save) await bestEffortWrite('savePullScope', () => store.savePullScope(tokenId, step.save!, now));
    // Personal data as the unit each row is pulled under allows (a moved case: the unit it is in now).
    const shown = rows.slice(0, step.take);
    const unitOf = new Map(shown.map((r) => [r.event.id, movedInto.get(r.event.subjectId) ?? r.scopeUnitId]));
    const events = eventsForScope(
      shown.map((r) => r.event),
      (u, e) => scope.seesPersonalData(u) || scope.seesPersonalData(unitOf.get(e.id) ?? u),
    );
    observe?.pulled(events.length);
    return c.json<PullResponse>({ events, cursor: step.cursor, hasMore: step.hasMore, generation, ...(step.resume ? { resume: step.resume } : {}) });
  });

  app.get('/rejected', async (c) => {
    const scope = c.var.scope;
    const office = scope.principal.roles.some((g) => g.role === 'office' || g.role === 'admin');
    const rejected = await store.listQuarantine({
      authorId: scope.principal.userId,
      ...(office ? { units: unitFilterOf(scope) } : {}),
      limit: 500,
    });
    // The raw record may hold parties' personal data: only its author gets it back.
    const userId = scope.principal.userId;
    return c.json<RejectedResponse>({ rejected: rejected.map((r) => (r.authorId === userId ? r : { ...r, raw: null })) });
  });

  return app;
}
