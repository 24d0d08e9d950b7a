// How every JSON route reads its request body: the size limits (1 MB, larger for push and
// photos; a gzip body, Content-Encoding: gzip, is held to them once inflated), the strict JSON
// reader (application/json, UTF-8, an optional BOM, one object, no prototype keys, no text
// PostgreSQL cannot store) and the valibot check with its first problem said in Chinese, never
// quoting the value.
import type { Context, MiddlewareHandler } from 'hono';
import { gunzip } from 'node:zlib';
import * as v from 'valibot';
import { describeIssues } from '#shared/api/issues';
import { issuePath } from '#shared/issues';
import { failure, sendFailure, type Failure } from './errors.ts';

const KB = 1024;
export const MB = 1024 * KB;
const DEFAULT_BODY_LIMIT = 1 * MB;
/** A push of 500 events of a few KB each. */
const PUSH_BODY_LIMIT = 5 * MB;
/** Raw photo bytes; the attachments route applies its own, smaller, per-file limit. */
const ATTACHMENT_BODY_LIMIT = 4 * MB;

/** Routes (by path prefix) allowed a larger body than DEFAULT_BODY_LIMIT. */
const LARGE_BODY_ROUTES: readonly (readonly [prefix: string, maxBytes: number])[] = [
  ['/api/sync/push', PUSH_BODY_LIMIT],
  ['/api/attachments/', ATTACHMENT_BODY_LIMIT],
];

const tooLarge = (maxBytes: number) => failure(413, 'payload_too_large', `请求内容过大（上限 ${Math.round(maxBytes / KB)} KB）`);

/** Caps a request body: a declared Content-Length over the limit is refused before reading. */
function limitBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const encoding = (raw.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip')
      return sendFailure(c, failure(415, 'unsupported_media_type', '不支持该请求内容编码（只接受 gzip 压缩或不压缩）'));
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      const n = Number(declared);
      if (!Number.isSafeInteger(n) || n < 0) return sendFailure(c, failure(400, 'bad_request', '请求长度不对'));
      if (n > maxBytes) return sendFailure(c, tooLarge(maxBytes));
      if (encoding === 'identity') return next();
    }
    // No declared length, or a compressed body: read up to the limit and hand the route a buffered copy.
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
    let body = Buffer.concat(chunks);
    const headers = new Headers(raw.headers);
    if (encoding === 'gzip') {
      // The limit holds for what the route reads: a few KB that inflate to gigabytes are refused, not inflated.
      const inflated = await gunzipWithin(body, maxBytes);
      if (inflated === 'too_large') return sendFailure(c, tooLarge(maxBytes));
      if (inflated === 'corrupt') return sendFailure(c, failure(400, 'bad_request', '请求内容的 gzip 压缩数据已损坏'));
      body = inflated;
      headers.delete('content-encoding');
      headers.delete('content-length');
    }
    c.req.raw = new Request(raw, { body, headers });
    return next();
  };
}

/** Inflates a gzip body, stopping as soon as the output would pass `maxBytes`. */
function gunzipWithin(compressed: Buffer, maxBytes: number): Promise<Buffer<ArrayBuffer> | 'too_large' | 'corrupt'> {
  return new Promise((resolve) => {
    gunzip(compressed, { maxOutputLength: maxBytes }, (err, out) => {
      // zlib's output is a Buffer of its own (never a SharedArrayBuffer).
      if (!err) resolve(out as Buffer<ArrayBuffer>);
      else resolve(err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'corrupt');
    });
  });
}

/** The API-wide body limit: DEFAULT_BODY_LIMIT, or the larger one of a LARGE_BODY_ROUTES prefix (push's 5 MB among them). */
export function apiBodyLimit(): MiddlewareHandler {
  const limiters = LARGE_BODY_ROUTES.map(([prefix, max]) => [prefix, limitBody(max)] as const);
  const fallback = limitBody(DEFAULT_BODY_LIMIT);
  return (c, next) => (limiters.find(([prefix]) => c.req.path.startsWith(prefix))?.[1] ?? fallback)(c, next);
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * U+0000 and unpaired UTF-16 surrogates (JSON's \ud800 escapes make them): PostgreSQL text cannot
 * hold them (SQLite can), and they would fail there after part of a change was written. No form
 * field ever needs them; both stores refuse them alike.
 */
export const INVALID_TEXT_MESSAGE = '文字中含有无法保存的字符（空字符或不成对的代理字符），请删除后重新填写';

/** No U+0000 and no lone surrogate (the engine's own scan: every string of every pushed event passes here). */
export function isStorableText(s: string): boolean {
  return s.isWellFormed() && !s.includes('\u0000');
}

/** Whether any string or key in a (schema-checked, so shallow enough) value holds unstorable text. */
export function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return !isStorableText(value);
  if (Array.isArray(value)) {
    for (const x of value) if (holdsUnstorableText(x)) return true;
    return false;
  }
  if (value && typeof value === 'object') {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      if (!isStorableText(k) || holdsUnstorableText((value as Record<string, unknown>)[k])) return true;
    }
  }
  return false;
}

type JsonObject = Record<string, unknown>;

export interface ReadJsonOptions {
  /**
   * 'deep' (the default): prototype keys and unstorable text are refused anywhere in the body. 'top':
   * at the top only (the top-level keys and strings), for a body whose parts a schema then checks one
   * by one, copying known keys only (push: a reviver over 500 events cost as much as validating them,
   * and one bad event is rejected on its own instead of failing the batch).
   */
  scan?: 'deep' | 'top';
}

/**
 * Reads the body as one JSON object: only `application/json` (415 otherwise), UTF-8 (a leading
 * BOM, which some HTTP clients on Windows write, is dropped by the decoder), well-formed
 * (400 'invalid_json'), an object at the top (400 'invalid_body'), no key that could reach
 * an object's prototype (400 'invalid_body') and no U+0000 or lone surrogate in any key or string
 * (400 'invalid_text'; see `scan`).
 */
export async function readJsonObject(c: Context, { scan = 'deep' }: ReadJsonOptions = {}): Promise<{ ok: true; value: JsonObject } | Failure> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return failure(415, 'unsupported_media_type', '请以 application/json 格式提交');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    return failure(400, 'invalid_json', '请求内容不是有效的 UTF-8 文本');
  }
  let badKey: string | undefined;
  let badText = false;
  let value: unknown;
  try {
    value =
      scan === 'top'
        ? JSON.parse(text)
        : JSON.parse(text, function (key, val: unknown) {
            if (FORBIDDEN_KEYS.has(key)) badKey = key;
            if (!isStorableText(key) || (typeof val === 'string' && !isStorableText(val))) badText = true;
            return val;
          });
  } catch {
    return failure(400, 'invalid_json', '请求内容不是有效的 JSON');
  }
  if (badKey !== undefined) return failure(400, 'invalid_body', `请求中不允许出现字段名 ${badKey}`);
  if (badText) return failure(400, 'invalid_text', INVALID_TEXT_MESSAGE);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failure(400, 'invalid_body', '请求内容应为 JSON 对象');
  if (scan === 'top') {
    const top = [...FORBIDDEN_KEYS].find((k) => Object.hasOwn(value, k));
    if (top !== undefined) return failure(400, 'invalid_body', `请求中不允许出现字段名 ${top}`);
    if (Object.entries(value).some(([k, x]) => !isStorableText(k) || (typeof x === 'string' && !isStorableText(x))))
      return failure(400, 'invalid_text', INVALID_TEXT_MESSAGE);
  }
  return { ok: true, value: value as JsonObject };
}

/** readJsonObject, then the schema (400 'invalid_body' with the first problem in Chinese, and its field). */
export async function parseJsonBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
  options?: ReadJsonOptions,
): Promise<{ ok: true; value: v.InferOutput<S> } | Failure> {
  const body = await readJsonObject(c, options);
  if (!body.ok) return body;
  return validate(schema, body.value);
}

export function validate<S extends v.GenericSchema>(schema: S, input: unknown): { ok: true; value: v.InferOutput<S> } | Failure {
  const parsed = v.safeParse(schema, input);
  if (parsed.success) return { ok: true, value: parsed.output };
  // The field goes in `field` for a form to show it there; the message keeps its "path: " lead
  // for the clients that read only the message (older apps, scripts).
  const field = parsed.issues[0] ? issuePath(parsed.issues[0]) : '';
  return failure(400, 'invalid_body', describeIssues(parsed.issues), field ? { field } : undefined);
}
