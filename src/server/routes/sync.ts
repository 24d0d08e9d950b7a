// Push and pull (design.md "Sync contract").
//
// POST /api/sync/push {deviceId, events, pending?, sentAt?} → {results, serverTime, clockSkewed, clockSkewMs?}
//   Each event is validated on its own; an invalid one, a server-only type, or one outside the
//   write scope is rejected with a code and a Chinese message, quarantined and acked, and the
//   rest of the batch goes on. The whole batch is one transaction; the answer is sent only
//   after it committed. A body over 5 MB is 413, malformed JSON 400.
//
// GET /api/sync/pull?cursor=N&limit=M[&deviceId=D] → {events, cursor, hasMore}. The pull is
//   recorded on the device's sync status (deviceId, else the device the token was issued to).
//   Events of the caller's readable units with seq > cursor, in seq order (limit 500 by
//   default, at most 1000). Scope backfill: the store keeps, per token, the set of units it
//   last served. When the readable set has grown since (the user was moved to another grid or
//   given a village), the unit's older events — seq ≤ the client's cursor — would never come,
//   so the next pulls first page through the new units' events with seq ≤ that cursor
//   (answering with the client's cursor unchanged and hasMore: true), then continue normally.
//   A token's first pull with a cursor > 0 backfills its whole scope the same way. Events the
//   client already has may come twice; the client keeps events by id, so that is harmless.
//
// GET /api/sync/rejected → {rejected:[…]}: the caller's quarantined events (with the raw
//   record, to fix and resend); office and admin also see those about the units they read,
//   without the raw record.
//
// Pulled events of units whose personal data the caller does not see (office, admin) come
// with parties masked (services/pull-mask.ts).
import { isUtf8 } from 'node:buffer';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { parseEvent, SERVER_ONLY_TYPES } from '#shared/events';
import { PushRequest, type PushResponse } from '#shared/protocol';
import { requireUser } from '../access/middleware.ts';
import type { Scope } from '../access/scope.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, limitBody, PUSH_BODY_LIMIT, sendFailure, validate, type Failure, type JsonObject } from '../http/security.ts';
import type { PullScopeState, PushItem, RefusedItem, UnitFilter } from '../storage/event-store.ts';
import { eventsForScope } from '../services/pull-mask.ts';
import { pushBatch } from '../services/push.ts';
import type { Store } from '../storage/store.ts';

export const DEFAULT_PULL_LIMIT = 500;
export const MAX_PULL_LIMIT = 1000;
/** Quarantine keeps at most this much of a rejected event's JSON. */
export const MAX_QUARANTINE_RAW = 16 * 1024;
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
}

/** The caller's readable units as a store filter. */
export function unitFilterOf(scope: Scope): UnitFilter {
  return scope.isAdmin ? 'all' : [...scope.readableUnits].sort();
}

/** The unit a principal mainly works in (its first grant), recorded on its device rows. */
export function homeUnitOf(scope: Scope): string | undefined {
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
  const item: RefusedItem = { kind: 'refused', id: str('id') ?? '', code, message: storable(message), raw: json, rawTruncated, subjectId: str('subjectId'), orgUnitId: str('orgUnitId'), type: str('type') };
  if (canonical !== undefined) item.canonical = canonical;
  return item;
}

/** Validation and the write scope, per event: what the store is asked to apply. */
export function prepareItem(raw: unknown, scope: Scope): PushItem {
  const parsed = parseEvent(raw);
  if (!parsed.ok) return refuse(raw, parsed.code, `记录格式不对：${parsed.message}`);
  const event = parsed.value;
  if (storable(event.deviceId) !== event.deviceId) return refuse(raw, 'invalid_event', `记录格式不对：deviceId: ${BAD_DEVICE_ID}`);
  if (SERVER_ONLY_TYPES.has(event.type)) return refuse(raw, 'forbidden_type', REJECT_MESSAGES.forbidden_type!);
  const decision = scope.canWrite(event);
  // parseEvent's output has its keys in schema order: plain JSON of it is a stable stored form.
  const stored = JSON.stringify(event);
  if (decision !== 'ok') return refuse(raw, decision, REJECT_MESSAGES[decision] ?? '无权上传该记录', stored);
  return { kind: 'accepted', event, canonical: stored };
}

const PullQuery = v.object({
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'cursor 应为非负整数'), v.transform(Number)), '0'),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/, 'limit 应为正整数'), v.transform(Number)), String(DEFAULT_PULL_LIMIT)),
  deviceId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
});

function unionUnits(a: UnitFilter, b: UnitFilter): UnitFilter {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...a, ...b])].sort();
}

function intersectUnits(a: UnitFilter, current: UnitFilter): UnitFilter {
  if (current === 'all') return a;
  if (a === 'all') return current;
  const keep = new Set(current);
  return a.filter((u) => keep.has(u));
}

/** Units readable now that were not served last time (what a backfill must cover). */
function grownUnits(served: UnitFilter, current: UnitFilter): UnitFilter {
  if (served === 'all') return [];
  if (current === 'all') return 'all';
  const had = new Set(served);
  return current.filter((u) => !had.has(u));
}

function isEmpty(u: UnitFilter): boolean {
  return u !== 'all' && u.length === 0;
}

/** The backfill a pull must do first, given what the token was served and the client's cursor. */
export function planBackfill(previous: PullScopeState | undefined, current: UnitFilter, cursor: number): PullScopeState['backfill'] {
  const grown = previous ? grownUnits(previous.served, current) : current;
  let backfill = previous?.backfill;
  if (cursor > 0 && !isEmpty(grown)) {
    backfill = backfill
      ? { units: unionUnits(backfill.units, grown), afterSeq: 0, upToSeq: Math.max(backfill.upToSeq, cursor) }
      : { units: grown, afterSeq: 0, upToSeq: cursor };
  }
  return backfill;
}

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * The push body, as strict as http/security.ts readJsonObject (application/json, UTF-8, one
 * JSON object, no prototype keys at the top) but without its reviver: events are checked one
 * by one against their schema, which copies known keys only, so a hostile key inside an event
 * reaches nothing, and a reviver over 500 events cost as much as validating them.
 */
async function readPushBody(c: Context): Promise<{ ok: true; value: JsonObject } | Failure> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return failure(415, 'unsupported_media_type', '请以 application/json 格式提交');
  const bytes = Buffer.from(await c.req.arrayBuffer());
  if (!isUtf8(bytes)) return failure(400, 'invalid_json', '请求内容不是有效的 UTF-8 文本');
  // A leading UTF-8 BOM (some HTTP clients on Windows write one) is dropped, as readJsonObject's TextDecoder does.
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return failure(400, 'invalid_json', '请求内容不是有效的 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failure(400, 'invalid_body', '请求内容应为 JSON 对象');
  const bad = FORBIDDEN_KEYS.find((k) => Object.hasOwn(value, k));
  if (bad) return failure(400, 'invalid_body', `请求中不允许出现字段名 ${bad}`);
  return { ok: true, value: value as JsonObject };
}

/** The device a token was issued to at login, when the pull does not name one. */
async function deviceOfToken(store: Store, scope: Scope, now: Date): Promise<string | undefined> {
  const sessions = await store.listLiveTokens(now, scope.principal.userId);
  return sessions.find((s) => s.id === scope.principal.tokenId)?.deviceId ?? undefined;
}

export function syncRoutes({ store, config, clock }: SyncRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(store, { clock }));

  app.post('/push', limitBody(PUSH_BODY_LIMIT), async (c) => {
    const body = await readPushBody(c);
    if (!body.ok) return sendFailure(c, body);
    const req = validate(PushRequest, body.value);
    if (!req.ok) return sendFailure(c, req);
    if (storable(req.value.deviceId) !== req.value.deviceId) return sendFailure(c, failure(400, 'invalid_body', `deviceId: ${BAD_DEVICE_ID}`));
    const scope = c.var.scope;
    const now = clock();
    const outcome = await pushBatch(store, {
      authorId: scope.principal.userId,
      deviceId: req.value.deviceId,
      receivedAt: now.toISOString(),
      userOrgUnitId: homeUnitOf(scope),
      pending: req.value.pending,
      sentAt: req.value.sentAt,
      timeZone: config.timeZone,
      items: req.value.events.map((raw) => prepareItem(raw, scope)),
    });
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
    const { cursor, deviceId } = q.value;
    if (deviceId !== undefined && storable(deviceId) !== deviceId) return sendFailure(c, failure(400, 'invalid_body', `deviceId: ${BAD_DEVICE_ID}`));
    if (q.value.limit < 1) return sendFailure(c, failure(400, 'invalid_body', 'limit 应为正整数'));
    const limit = Math.min(q.value.limit, MAX_PULL_LIMIT);
    const scope = c.var.scope;
    const units = unitFilterOf(scope);
    const tokenId = scope.principal.tokenId;
    const now = clock().toISOString();
    const device = deviceId ?? (await deviceOfToken(store, scope, clock()));
    if (device) await store.recordPull(device, scope.principal.userId, homeUnitOf(scope), now);

    const previous = await store.getPullScope(tokenId);
    // Written only when it changes: most pulls of a phone leave it as it was.
    const saveScope = async (state: PullScopeState) => {
      if (JSON.stringify(state) !== JSON.stringify(previous)) await store.savePullScope(tokenId, state, now);
    };
    const backfill = planBackfill(previous, units, cursor);
    if (backfill) {
      const bfUnits = intersectUnits(backfill.units, units);
      const page = isEmpty(bfUnits) ? [] : await store.pullEvents({ afterSeq: backfill.afterSeq, upToSeq: backfill.upToSeq, limit, units: bfUnits });
      if (page.length > 0) {
        const full = page.length === limit;
        await saveScope({ served: units, backfill: full ? { ...backfill, afterSeq: page[page.length - 1]!.seq } : undefined });
        return c.json({ events: eventsForScope(page, (u) => scope.seesPersonalData(u)), cursor, hasMore: true });
      }
    }

    const rows = await store.pullEvents({ afterSeq: cursor, limit: limit + 1, units });
    const hasMore = rows.length > limit;
    const events = hasMore ? rows.slice(0, limit) : rows;
    await saveScope({ served: units, backfill: undefined });
    const next = events.length ? events[events.length - 1]!.seq : cursor;
    return c.json({ events: eventsForScope(events, (u) => scope.seesPersonalData(u)), cursor: next, hasMore });
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
    return c.json({ rejected: rejected.map((r) => (r.authorId === userId ? r : { ...r, raw: null })) });
  });

  return app;
}
