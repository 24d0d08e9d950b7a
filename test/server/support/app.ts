// Builds the real app in-process against an opened test store, and sends it requests the
// way a phone or a browser would (JSON, Bearer token). No listening socket, no mocks.
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Hono } from 'hono';
import { buildApp, type AppDeps } from '../../../src/server/app.ts';
import { DEFAULT_LIMITS, type Config } from '../../../src/server/config.ts';
import { answerDrift } from './api-schemas.ts';
import type { OpenedStore, StoreCase } from './stores.ts';

export function testConfig(dataDir: string, overrides: ConfigOverrides = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: undefined,
    distDir: path.join(dataDir, 'no-dist'),
    timeZone: 'Asia/Shanghai',
    adminPassword: 'admin-pass-123',
    version: '0.0.0-test',
    log: 'off',
    ...overrides,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
  };
}

/** Config fields to replace; `limits` are merged over the defaults. */
export type ConfigOverrides = Partial<Omit<Config, 'limits'>> & { limits?: Partial<Config['limits']> };

export interface TestApp extends OpenedStore {
  app: Hono;
  config: Config;
  /** Sends a request; `body` is sent as JSON unless it is a string/Uint8Array. */
  request(method: string, url: string, options?: RequestOptions): Promise<Response>;
  /** Like request, and parses the JSON answer. */
  json<T = unknown>(method: string, url: string, options?: RequestOptions): Promise<{ status: number; body: T }>;
}

interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `clock`: the app's clock (tokens, budgets, sweeps), for tests that move time; `live`: the live channel's timings. */
export async function openTestApp(
  storeCase: StoreCase,
  overrides: ConfigOverrides = {},
  { clock, live }: { clock?: () => Date; live?: AppDeps['live'] } = {},
): Promise<TestApp> {
  const opened = await storeCase.open();
  const config = testConfig(opened.dataDir, { databaseUrl: opened.databaseUrl, ...overrides });
  const app = buildApp({ store: opened.store, config, ...(clock ? { clock } : {}), ...(live ? { live } : {}) });
  const request = async (method: string, url: string, { token, body, headers = {} }: RequestOptions = {}) => {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      payload = body as BodyInit;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await app.request(url, { method, headers: h, body: payload });
    await checkAnswer(method, url, res);
    return res;
  };
  return {
    ...opened,
    app,
    config,
    request,
    async json<T>(method: string, url: string, options?: RequestOptions) {
      const res = await request(method, url, options);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}

/**
 * Walks every JSON answer of the API through its shared schema (support/api-schemas.ts): a
 * route whose answer drifts from the contract fails the test that called it.
 */
async function checkAnswer(method: string, url: string, res: Response): Promise<void> {
  if (!url.startsWith('/api/') || !(res.headers.get('content-type') ?? '').startsWith('application/json')) return;
  // An answer compressed for a client that asked is checked as that client reads it.
  const encoding = res.headers.get('content-encoding') as CompressionFormat | null;
  const copy = res.clone();
  const text = encoding && copy.body ? await new Response(copy.body.pipeThrough(new DecompressionStream(encoding))).text() : await copy.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${url} ${res.status}: a JSON content type with a body that is not JSON`);
  }
  const drift = answerDrift(method, url, res.status, body);
  if (drift) throw new Error(`API answer drifted from its schema: ${drift}`);
}

/** Opens a test app before the describe block's tests and disposes it after. */
export function useTestApp(storeCase: StoreCase, overrides: ConfigOverrides = {}): () => TestApp {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await openTestApp(storeCase, overrides);
  });
  afterAll(async () => {
    await t?.dispose();
  });
  return () => {
    if (!t) throw new Error('test app not open yet (use it inside a test or hook)');
    return t;
  };
}
