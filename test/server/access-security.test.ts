// HTTP hardening: headers on every response, body limits, strict JSON, the API rate limit,
// and errors that never show a stack.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { handleError, sendFailure } from '../../src/server/http/errors.ts';
import { MB, readJsonObject } from '../../src/server/http/body.ts';
import { apiRateLimit } from '../../src/server/http/rate-limit.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/server/http/headers.ts';
import { seedTownship, type Township } from './access-fixtures.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; worker-src 'self'; manifest-src 'self'";

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
}

describe.each(storeCases())('HTTP security on $name', (storeCase) => {
  let t: TestApp;
  let town: Township;

  test('setup (with a built page to serve)', async () => {
    t = await openTestApp(storeCase);
    mkdirSync(t.config.distDir, { recursive: true });
    writeFileSync(path.join(t.config.distDir, 'index.html'), '<!doctype html><title>法治台账</title>');
    town = await seedTownship(t);
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
  });

  test('security headers on API answers, errors and the app page', async () => {
    for (const [method, url, token] of [
      ['GET', '/api/health', undefined],
      ['GET', '/api/me', town.tokens.gw1],
      ['GET', '/api/me', undefined],
      ['GET', '/api/no-such-endpoint', undefined],
      ['POST', '/api/auth/login', undefined],
    ] as const) {
      const res = await t.request(method, url, token ? { token } : {});
      expectSecurityHeaders(res);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const page = await t.request('GET', '/');
    expectSecurityHeaders(page);
  });

  test('a body over 1 MB → 413 payload_too_large, declared or streamed without a length', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(MB + 10), password: 'y' });
    const declared = await t.json<{ error: { code: string } }>('POST', '/api/auth/login', { body: big, headers: { 'content-type': 'application/json' } });
    expect([declared.status, declared.body.error.code]).toEqual([413, 'payload_too_large']);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(100 * 1024).fill(32));
        controller.close();
      },
    });
    const res = await t.app.request('/api/admin/users', {
      method: 'POST',
      headers: { authorization: `Bearer ${town.tokens.admin}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  test('push takes a body up to 5 MB (a full batch of large events), declared or streamed; over it → 413', async () => {
    const pushBody = (padBytes: number) => JSON.stringify({ deviceId: 'dev-big', events: [], padding: 'x'.repeat(padBytes) });
    const ok = await t.json<{ results: unknown[] }>('POST', '/api/sync/push', {
      token: town.tokens.gw1,
      body: pushBody(2 * MB),
      headers: { 'content-type': 'application/json' },
    });
    expect([ok.status, ok.body.results]).toEqual([200, []]);
    const big = await t.json<{ error: { code: string } }>('POST', '/api/sync/push', {
      token: town.tokens.gw1,
      body: pushBody(5 * MB),
      headers: { 'content-type': 'application/json' },
    });
    expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large']);
    const streamed = (bytes: Uint8Array) =>
      t.app.request('/api/sync/push', {
        method: 'POST',
        headers: { authorization: `Bearer ${town.tokens.gw1}`, 'content-type': 'application/json' },
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 256 * 1024) controller.enqueue(bytes.subarray(i, i + 256 * 1024));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    expect((await streamed(new TextEncoder().encode(pushBody(2 * MB)))).status).toBe(200);
    expect((await streamed(new TextEncoder().encode(pushBody(5 * MB)))).status).toBe(413);
  });

  test('only application/json, well-formed, an object, no prototype keys', async () => {
    const post = (body: string, contentType = 'application/json') =>
      t.json<{ error: { code: string; message: string } }>('POST', '/api/auth/login', { body, headers: { 'content-type': contentType } });
    const cases: [string, string, number, string][] = [
      ['{"username":"a","password":"b"}', 'text/plain', 415, 'unsupported_media_type'],
      ['{"username":"a","password":"b"}', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
      ['{"username":"a",', 'application/json', 400, 'invalid_json'],
      ['', 'application/json', 400, 'invalid_json'],
      ['[1,2]', 'application/json', 400, 'invalid_body'],
      ['"text"', 'application/json', 400, 'invalid_body'],
      ['null', 'application/json', 400, 'invalid_body'],
      ['{"username":"a","password":"b","__proto__":{"admin":true}}', 'application/json', 400, 'invalid_body'],
      ['{"username":"a","password":"b","x":{"constructor":{"prototype":{}}}}', 'application/json', 400, 'invalid_body'],
      ['{"username":1,"password":"b"}', 'application/json', 400, 'invalid_body'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await post(body, type);
      expect([res.status, res.body.error.code], `${type} ${body}`).toEqual([status, code]);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // charset parameters are fine
    expect((await post('{"username":"gw1","password":"secret-pass-1"}', 'application/json; charset=utf-8')).status).toBe(200);
  });

  test('U+0000 anywhere (body, query, path, sheet) is a 400, not a database error', async () => {
    const admin = town.tokens.admin;
    const cases: [string, string, unknown, Record<string, string>?][] = [
      ['POST', '/api/auth/login', { username: 'a\u0000b', password: 'x' }],
      ['POST', '/api/admin/org-units', { parentId: 'V1', kind: 'grid', name: '网\u0000格' }],
      ['GET', '/api/admin/devices?userId=%00', undefined],
      ['PATCH', '/api/admin/org-units/G1%00', { name: '改' }],
      ['POST', '/api/admin/org-units/import', '编号,上级编号,类型,名称,简称\nN1,V1,网格,名\u0000称,', { 'content-type': 'text/csv' }],
      ['GET', '/api/admin/audit?action=%E0%A4%A', undefined],
    ];
    for (const [method, url, body, headers] of cases) {
      const res = await t.json<{ error: { code: string } }>(method, url, { token: admin, ...(body !== undefined ? { body } : {}), headers: headers ?? {} });
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.body.error.code).toMatch(/^(invalid_body|invalid_text|bad_request|invalid_csv)$/);
    }
  });

  test('teardown', async () => {
    await t.dispose();
  });
});

describe('error handling and rate limiting (unit)', () => {
  test('an unexpected error answers 500 with a code and no stack or message from inside', async () => {
    const app = new Hono();
    app.get('/boom', () => {
      throw new Error('SELECT secret FROM users failed at /srv/app/db.ts:12');
    });
    app.get('/client', () => {
      throw new HTTPException(400, { message: 'Malformed JSON in request body' });
    });
    app.onError(handleError);
    const original = console.error;
    console.error = () => {};
    try {
      const res = await app.request('/boom');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } });
      expect(text).not.toMatch(/secret|db\.ts|at /);
    } finally {
      console.error = original;
    }
    const client = await app.request('/client');
    expect(client.status).toBe(400);
    expect(await client.json()).toEqual({ error: { code: 'bad_request', message: '请求格式不对' } });
  });

  test('the per-address API limit answers 429 with Retry-After, per address', async () => {
    const now = { t: 1_000_000 };
    const app = new Hono();
    app.use('*', apiRateLimit({ max: 3, windowMs: 60_000, trustProxy: true, clock: () => new Date(now.t) }));
    app.get('/x', (c) => c.json({ ok: true }));
    const hit = (ip: string) => app.request('/x', { headers: { 'x-forwarded-for': `1.1.1.1, ${ip}` } });
    for (let i = 0; i < 3; i++) expect((await hit('9.9.9.9')).status).toBe(200);
    const limited = await hit('9.9.9.9');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await hit('8.8.8.8')).status).toBe(200);
    now.t += 60_001;
    expect((await hit('9.9.9.9')).status).toBe(200);
  });

  test('readJsonObject refuses bytes that are not UTF-8', async () => {
    const app = new Hono();
    app.post('/j', async (c) => {
      const body = await readJsonObject(c);
      return body.ok ? c.json(body.value) : sendFailure(c, body);
    });
    const res = await app.request('/j', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });
});
