// The app's one HTTP client: every request has a timeout, names the protocol version it
// speaks (#shared/api/version) and the session's token, and every answer is sorted into a
// success with a schema-checked body or one failure kind. Only a well-formed JSON body that
// passes the message's schema counts as an answer: a captive portal's 200 with HTML, a proxy's
// error page or a connection cut mid-body are failures, so nothing is acknowledged on their
// strength. Sync (sync/sender.ts), the session (session/api.ts) and the office and admin
// screens' clients are typed wrappers over requestJson and download (download.ts).
import * as v from 'valibot';
import { ErrorAnswerAsRead, type RowError } from '#shared/api/errors';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '#shared/api/version';
import { noteServerProtocol } from './update.ts';

export type Failure =
  /** fetch threw: no network, connection refused or dropped. */
  | { kind: 'offline' }
  | { kind: 'timeout' }
  /** 401: the token expired or was revoked; the user must log in again (data is kept). */
  | { kind: 'unauthorized'; message?: string }
  /** 429, or 503 with Retry-After: wait at least that long. */
  | { kind: 'rate_limited'; retryAfterMs?: number; message?: string }
  | { kind: 'server_error'; status: number }
  /** 507: the server's disk is full; nothing was stored, an operator must free space. Retry later (Retry-After). */
  | { kind: 'storage_full'; retryAfterMs?: number; message?: string }
  /** A 2xx whose body is not the JSON we asked for (captive portal, proxy page, truncated body). */
  | { kind: 'bad_response'; status: number }
  /** Any other 4xx: the request itself was refused (426 client_outdated: this app is too old). */
  | { kind: 'refused'; status: number; code?: string; message?: string; field?: string; rows?: RowError[] };

export type Outcome<T> = { ok: true; status: number; body: T; headers: Headers } | { ok: false; failure: Failure };

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  fetch: FetchLike;
  token?: string;
  timeoutMs?: number;
  /** Clock for parsing an HTTP-date Retry-After. */
  now?: () => number;
  /** Called on a 401, before the failure is returned. */
  onUnauthorized?: (message?: string) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends a request and checks the JSON answer against `schema`. Never throws. */
export async function requestJson<T>(url: string, init: RequestInit, schema: v.GenericSchema<unknown, T>, options: RequestOptions): Promise<Outcome<T>> {
  const answer = await send(url, init, options, (response) => response.text());
  if (!answer.ok) return answer;
  const { response, body: text } = answer;
  const body = parseJson(text);
  if (response.ok) {
    noteServerProtocol(response.status, response.headers, undefined);
    const parsed = body === undefined ? undefined : v.safeParse(schema, body);
    if (!parsed?.success) return { ok: false, failure: { kind: 'bad_response', status: response.status } };
    return { ok: true, status: response.status, body: parsed.output, headers: response.headers };
  }
  return { ok: false, failure: refusal(response, body, options) };
}

/** A file from the API (an export, a report): the bytes and the answer's headers, or the failure. */
export async function requestBlob(url: string, init: RequestInit, options: RequestOptions): Promise<Outcome<Blob>> {
  // The error body of a refused download is JSON like every other refusal: read as text first.
  const answer = await send(url, init, options, async (response) => (response.ok ? response.blob() : response.text()));
  if (!answer.ok) return answer;
  const { response, body } = answer;
  if (response.ok && body instanceof Blob) {
    noteServerProtocol(response.status, response.headers, undefined);
    return { ok: true, status: response.status, body, headers: response.headers };
  }
  return { ok: false, failure: refusal(response, typeof body === 'string' ? parseJson(body) : undefined, options) };
}

function refusal(response: Response, body: unknown, options: RequestOptions): Failure {
  const failure = failureOf(response, body, options.now ?? Date.now);
  noteServerProtocol(response.status, response.headers, failure.kind === 'refused' ? failure.code : undefined);
  if (failure.kind === 'unauthorized') options.onUnauthorized?.(failure.message);
  return failure;
}

type Sent<B> = { ok: true; response: Response; body: B } | { ok: false; failure: Failure };

async function send<B>(url: string, init: RequestInit, options: RequestOptions, read: (response: Response) => Promise<B>): Promise<Sent<B>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const headers = new Headers(init.headers);
  headers.set(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
  if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
  try {
    const response = await options.fetch(url, { ...init, headers, signal: controller.signal, cache: 'no-store' });
    // The body is read under the same timeout: a connection that stalls mid-body is a failure.
    const body = await read(response);
    return { ok: true, response, body };
  } catch {
    return { ok: false, failure: timedOut ? { kind: 'timeout' } : { kind: 'offline' } };
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function failureOf(response: Response, body: unknown, now: () => number): Failure {
  const error = v.safeParse(ErrorAnswerAsRead, body);
  const message = error.success ? error.output.error.message : undefined;
  const code = error.success ? error.output.error.code : undefined;
  const rows = error.success ? error.output.error.rows : undefined;
  const field = error.success ? error.output.error.field : undefined;
  const { status } = response;
  if (status === 401) return { kind: 'unauthorized', message };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) return { kind: 'rate_limited', retryAfterMs, message };
  if (status === 507) return { kind: 'storage_full', retryAfterMs, message };
  if (status >= 500) return { kind: 'server_error', status };
  return { kind: 'refused', status, code, message, ...(field ? { field } : {}), ...(rows ? { rows } : {}) };
}

/** Retry-After is either delta-seconds or an HTTP-date. */
function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** What a 507 says when its body did not (a proxy's page): the server's own answer words it the same way. */
const STORAGE_FULL_MESSAGE = '服务器存储空间已满，本次没有保存，请联系管理员清理空间（手机上的记录不会丢失）';

/** A user-facing explanation of a failure, in Chinese. */
export function describeFailure(failure: Failure): string {
  switch (failure.kind) {
    case 'offline':
      return '连不上服务器（手机没有网络，或服务器暂时不可用），记录已保存在本机，会自动重试';
    case 'timeout':
      return '网络太慢，请求超时，稍后自动重试';
    case 'unauthorized':
      return '登录已过期，请重新登录（本机数据会保留）';
    case 'rate_limited':
      return '服务器繁忙，稍后自动重试';
    case 'server_error':
      return `服务器出错（${failure.status}），稍后自动重试`;
    case 'storage_full':
      return failure.message ?? STORAGE_FULL_MESSAGE;
    case 'bad_response':
      return '收到的不是服务器的应答（可能需要先在浏览器里登录 Wi-Fi），稍后自动重试';
    case 'refused':
      return failure.message ?? `服务器拒绝了请求（${failure.status}）`;
  }
}
