// The session-bound client the office and admin screens use: the token read at each call
// (it may change after a re-login), one onUnauthorized for every 401, one timeout.
import type * as v from 'valibot';
import { downloadFile } from './download.ts';
import { requestJson, type FetchLike, type Outcome, type RequestOptions } from './http.ts';

const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

export interface ApiClientDeps {
  fetch: FetchLike;
  token: () => string | undefined;
  onUnauthorized?: () => void;
  timeoutMs?: number;
}

export interface ApiClient {
  get<T>(url: string, schema: v.GenericSchema<unknown, T>): Promise<Outcome<T>>;
  send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body: unknown, schema: v.GenericSchema<unknown, T>): Promise<Outcome<T>>;
  /** Sends bytes as they are (a picked file), with their content type. */
  upload<T>(method: 'POST' | 'PUT', url: string, body: Blob, contentType: string, schema: v.GenericSchema<unknown, T>): Promise<Outcome<T>>;
  /** Downloads and saves a file; resolves to an error text, or undefined once the download started. */
  download(path: string): Promise<string | undefined>;
}

export function createApiClient(deps: ApiClientDeps): ApiClient {
  const options = (): RequestOptions => {
    const token = deps.token();
    return { fetch: deps.fetch, timeoutMs: deps.timeoutMs, onUnauthorized: () => deps.onUnauthorized?.(), ...(token ? { token } : {}) };
  };
  return {
    get: (url, schema) => requestJson(url, { method: 'GET' }, schema, options()),
    send: (method, url, body, schema) =>
      requestJson(
        url,
        body === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
        schema,
        options(),
      ),
    upload: (method, url, body, contentType, schema) => requestJson(url, { method, headers: { 'Content-Type': contentType }, body }, schema, options()),
    // A county-wide export takes longer than a page of JSON to generate and to arrive.
    download: (path) => downloadFile(path, { ...options(), timeoutMs: DOWNLOAD_TIMEOUT_MS }),
  };
}
