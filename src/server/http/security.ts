// The HTTP hardening every response and request goes through: security headers (a CSP
// with no inline script), request body limits, strict JSON parsing, per-IP rate limits and
// the error handler that never shows a stack. Routes read bodies with `parseJsonBody` and
// answer failures with `sendFailure`, so every client error is {error:{code, message}}.
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConnInfo } from '@hono/node-server/conninfo';
import * as v from 'valibot';
import { databaseFaultResponse } from './database-errors.ts';

export const KB = 1024;
export const MB = 1024 * KB;
export const DEFAULT_BODY_LIMIT = 1 * MB;
/** A push of 500 events of a few KB each. */
export const PUSH_BODY_LIMIT = 5 * MB;
/** Raw photo bytes; the attachments route applies its own, smaller, per-file limit. */
export const ATTACHMENT_BODY_LIMIT = 4 * MB;

/** Routes (by path prefix) allowed a larger body than DEFAULT_BODY_LIMIT. */
export const LARGE_BODY_ROUTES: readonly (readonly [prefix: string, maxBytes: number])[] = [
  ['/api/sync/push', PUSH_BODY_LIMIT],
  ['/api/attachments/', ATTACHMENT_BODY_LIMIT],
];

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
].join('; ');

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export interface Failure {
  ok: false;
  status: ErrorStatus;
  code: string;
  message: string;
  /** Extra fields for the error object, e.g. row-by-row import errors. */
  details?: Record<string, unknown>;
}

export function failure(status: ErrorStatus, code: string, message: string, details?: Record<string, unknown>): Failure {
  return { ok: false, status, code, message, ...(details ? { details } : {}) };
}

export function sendFailure(c: Context, f: Failure): Response {
  return c.json({ error: { code: f.code, message: f.message, ...f.details } }, f.status);
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('X-Frame-Options', 'DENY');
    c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (c.req.path.startsWith('/api/')) c.res.headers.set('Cache-Control', 'no-store');
  };
}

const tooLarge = (maxBytes: number) => failure(413, 'payload_too_large', `请求内容过大（上限 ${Math.round(maxBytes / KB)} KB）`);

/** Caps a request body: a declared Content-Length over the limit is refused before reading. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      const n = Number(declared);
      if (!Number.isSafeInteger(n) || n < 0) return sendFailure(c, failure(400, 'bad_request', '请求长度不对'));
      if (n > maxBytes) return sendFailure(c, tooLarge(maxBytes));
      return next();
    }
    // No declared length: read up to the limit and hand the route a buffered copy.
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        return sendFailure(c, tooLarge(maxBytes));
      }
      chunks.push(value);
    }
    c.req.raw = new Request(raw, { body: Buffer.concat(chunks) });
    return next();
  };
}

/** The API-wide body limit: DEFAULT_BODY_LIMIT, or the larger one of a LARGE_BODY_ROUTES prefix. */
export function apiBodyLimit(routes: readonly (readonly [string, number])[] = LARGE_BODY_ROUTES): MiddlewareHandler {
  const limiters = routes.map(([prefix, max]) => [prefix, limitBody(max)] as const);
  const fallback = limitBody(DEFAULT_BODY_LIMIT);
  return (c, next) => (limiters.find(([prefix]) => c.req.path.startsWith(prefix))?.[1] ?? fallback)(c, next);
}

/** 400 for a path or query that decodes to U+0000: PostgreSQL would fail on it as a 500. */
export function rejectNulInUrl(): MiddlewareHandler {
  return async (c, next) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(new URL(c.req.url).pathname + new URL(c.req.url).search);
    } catch {
      return sendFailure(c, failure(400, 'bad_request', '请求地址格式不对'));
    }
    if (decoded.includes('\u0000')) return sendFailure(c, failure(400, 'bad_request', '请求地址中不能含有空字符'));
    await next();
  };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonObject = Record<string, unknown>;

/**
 * Reads the body as one JSON object: only `application/json` (415 otherwise), well-formed
 * (400 'invalid_json'), an object at the top (400 'invalid_body'), no key that could reach
 * an object's prototype anywhere inside and no U+0000 in any string (400 'invalid_body').
 */
export async function readJsonObject(c: Context): Promise<{ ok: true; value: JsonObject } | Failure> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return failure(415, 'unsupported_media_type', '请以 application/json 格式提交');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    return failure(400, 'invalid_json', '请求内容不是有效的 UTF-8 文本');
  }
  let badKey: string | undefined;
  let hasNul = false;
  let value: unknown;
  try {
    value = JSON.parse(text, function (key, val: unknown) {
      if (FORBIDDEN_KEYS.has(key)) badKey = key;
      if (key.includes('\u0000') || (typeof val === 'string' && val.includes('\u0000'))) hasNul = true;
      return val;
    });
  } catch {
    return failure(400, 'invalid_json', '请求内容不是有效的 JSON');
  }
  if (badKey !== undefined) return failure(400, 'invalid_body', `请求中不允许出现字段名 ${badKey}`);
  // PostgreSQL cannot store U+0000 in text; no form field ever needs it.
  if (hasNul) return failure(400, 'invalid_body', '文字中不能含有空字符（U+0000）');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failure(400, 'invalid_body', '请求内容应为 JSON 对象');
  return { ok: true, value: value as JsonObject };
}

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/** A Chinese message for the first problem valibot found, prefixed with the field's path. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return '请求内容格式不对';
  const path = (first.path ?? []).map((p) => String(p.key)).join('.');
  const message = HAS_CHINESE.test(first.message) ? first.message : '格式不对';
  return path ? `${path}: ${message}` : message;
}

/** readJsonObject, then the schema (400 'invalid_body' with the first problem in Chinese). */
export async function parseJsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<{ ok: true; value: v.InferOutput<S> } | Failure> {
  const body = await readJsonObject(c);
  if (!body.ok) return body;
  return validate(schema, body.value);
}

export function validate<S extends v.GenericSchema>(schema: S, input: unknown): { ok: true; value: v.InferOutput<S> } | Failure {
  const parsed = v.safeParse(schema, input);
  if (!parsed.success) return failure(400, 'invalid_body', describeIssues(parsed.issues));
  return { ok: true, value: parsed.output };
}

/**
 * The client's address: the socket's peer, or with `trustProxy` (behind one reverse proxy
 * that appends to X-Forwarded-For) the address that proxy saw. In-process test requests
 * have no socket and share the key 'local'.
 */
export function clientIp(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/**
 * Counts events per key in a sliding window (timestamps kept per key, pruned on use).
 * In memory: behind several API servers each keeps its own counts, so the effective limit
 * is per server.
 */
export class WindowCounter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly windowMs: number,
    readonly max: number,
  ) {}

  /** The key's hits inside the window, oldest first (hits are appended in time order, so stale ones lead). */
  private recent(key: string, now: number): number[] {
    const list = this.hits.get(key) ?? [];
    let stale = 0;
    while (stale < list.length && list[stale]! <= now - this.windowMs) stale++;
    if (stale) list.splice(0, stale);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** Seconds until the key may try again, or 0 when it is under the limit. */
  retryAfter(key: string, now: number): number {
    const list = this.recent(key, now);
    if (list.length < this.max) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.max]! + this.windowMs - now) / 1000));
  }

  add(key: string, now: number): void {
    this.sweep(now);
    const list = this.recent(key, now);
    list.push(now);
    this.hits.set(key, list);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  /** Drops stale keys now and then, so that a flood of distinct keys cannot grow the map forever. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const key of [...this.hits.keys()]) this.recent(key, now);
  }
}

export function tooManyRequests(c: Context, retryAfterSeconds: number, message = '请求过于频繁，请稍后再试'): Response {
  c.header('Retry-After', String(retryAfterSeconds));
  return sendFailure(c, failure(429, 'rate_limited', message));
}

export interface RateLimitOptions {
  windowMs?: number;
  max?: number;
  trustProxy?: boolean;
  clock?: () => Date;
}

/** A generous per-IP limit on every API request: a phone's full sync is a few dozen requests, a bulk
 * import (or the push benchmark) a few dozen a second; a runaway client or a flood is not. */
export function apiRateLimit({ windowMs = 60_000, max = 6000, trustProxy = false, clock = () => new Date() }: RateLimitOptions = {}): MiddlewareHandler {
  const counter = new WindowCounter(windowMs, max);
  return async (c, next) => {
    const now = clock().getTime();
    const key = clientIp(c, trustProxy);
    const wait = counter.retryAfter(key, now);
    if (wait > 0) return tooManyRequests(c, wait);
    counter.add(key, now);
    await next();
  };
}

const STATUS_CODES: Partial<Record<number, [code: string, message: string]>> = {
  400: ['bad_request', '请求格式不对'],
  401: ['unauthorized', '请先登录'],
  403: ['forbidden', '没有权限进行此操作'],
  404: ['not_found', '接口不存在'],
  405: ['method_not_allowed', '不支持此请求方法'],
  413: ['payload_too_large', '请求内容过大'],
  415: ['unsupported_media_type', '请求内容类型不对'],
  429: ['rate_limited', '请求过于频繁，请稍后再试'],
};

/** Client errors raised as HTTPException keep their status with a Chinese message; a database fault is a retryable 503; anything else is a 500 without details. */
export const handleError: ErrorHandler = (err, c) => {
  if (err instanceof HTTPException && err.status < 500) {
    const [code, message] = STATUS_CODES[err.status] ?? ['bad_request', '请求有误'];
    return c.json({ error: { code, message } }, err.status);
  }
  const databaseFault = databaseFaultResponse(err, c);
  if (databaseFault) return databaseFault;
  console.error(err);
  return c.json({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } }, 500);
};
