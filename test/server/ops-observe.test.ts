// What a county's operator relies on: /healthz and /readyz for the balancer (outside /api, no
// login), one JSON log line per request with a request id echoed to the client and nothing
// personal or secret in it, and /metrics in the Prometheus format behind a token or loopback.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { Logger } from '../../src/server/observe/log.ts';
import { latestMigration } from '../../src/server/storage/migrations.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import { ADMIN_PASSWORD, seedTownship } from './access-fixtures.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { sweep } from './support/sync-fixtures.ts';

function capture(): { logger: Logger; lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  return {
    raw,
    lines,
    logger: {
      log(level, msg, fields) {
        const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  };
}

/** Runs SQL on the test store's database behind the store's back (to break it on purpose). */
async function rawSql(t: TestApp, sql: string): Promise<void> {
  if (t.store.kind === 'sqlite') {
    const db = new Database(path.join(t.dataDir, 'taizhang.sqlite'));
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: t.databaseUrl, options: `-c search_path=${t.schema}` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.each(storeCases())('probes, logs and metrics on $name', (storeCase) => {
  test('/healthz and /readyz answer without login; /readyz is 503 with a reason when the database is not ready', async () => {
    const t = await openTestApp(storeCase);
    try {
      const health = await t.request('GET', '/healthz');
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      expect(health.headers.get('cache-control')).toBe('no-store');
      const ready = await t.request('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true });

      // A database behind this build's migrations (an old schema, a deploy that skipped them).
      await rawSql(t, `DELETE FROM schema_migrations WHERE version = ${latestMigration(t.store.kind)}`);
      const behind = await t.json<{ ok: boolean; reason: string }>('GET', '/readyz');
      expect(behind.status).toBe(503);
      expect(behind.body.ok).toBe(false);
      expect(behind.body.reason).toMatch(/migrations not applied/);
      // Healthz does not touch the database.
      expect((await t.request('GET', '/healthz')).status).toBe(200);
    } finally {
      await t.dispose();
    }
  });

  test('a database that went away: /readyz 503, an API request 500 whose log line has its request id and the error', async () => {
    const t = await openTestApp(storeCase);
    const town = await seedTownship(t);
    const other = t.store.kind === 'sqlite' ? openSqliteStore(t.dataDir) : await openPostgresStore(t.databaseUrl!, { schema: t.schema! });
    const { logger, lines } = capture();
    const app = buildApp({ store: other, config: t.config, logger });
    try {
      await other.close();
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { reason: string }).reason).toMatch(/database query failed/);
      expect((await app.request('/healthz')).status).toBe(200);
      const res = await app.request('/api/me', { headers: { authorization: `Bearer ${town.tokens.office}`, 'x-request-id': 'req-500-check' } });
      expect(res.status).toBe(500);
      expect(res.headers.get('x-request-id')).toBe('req-500-check');
      expect(await res.json()).toEqual({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } });
      const line = lines.find((l) => l.requestId === 'req-500-check');
      expect(line).toMatchObject({ level: 'error', method: 'GET', path: '/api/me', status: 500 });
      expect(String(line?.error)).toMatch(/\w+: .+/);
    } finally {
      await t.dispose();
    }
  });

  test('one JSON line per request: request id, method, path without the query, status, duration, user; no secrets', async () => {
    const t = await openTestApp(storeCase);
    const town = await seedTownship(t);
    const { logger, lines, raw } = capture();
    const app = buildApp({ store: t.store, config: t.config, logger });
    const sent = await app.request('/api/sync/pull?cursor=0&deviceId=%E5%BC%A0%E4%B8%89-110101199001011234', {
      headers: { authorization: `Bearer ${town.tokens.gw1}`, 'x-request-id': 'phone-abc.123' },
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('x-request-id')).toBe('phone-abc.123');
    const made = await app.request('/api/me', { headers: { authorization: `Bearer ${town.tokens.office}`, 'x-request-id': 'bad id <script>' } });
    const madeId = made.headers.get('x-request-id');
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    const loginRes = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const token = ((await loginRes.json()) as { token: string }).token;
    expect((await app.request('/api/nowhere')).status).toBe(404);

    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: 'phone-abc.123',
      method: 'GET',
      path: '/api/sync/pull',
      route: '/api/sync/pull',
      status: 200,
      userId: town.userIds.gw1,
    });
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
    expect(lines[1]).toMatchObject({ requestId: madeId, userId: town.userIds.office, status: 200 });
    expect(lines[2]).toMatchObject({ path: '/api/auth/login', status: 200 });
    expect(lines[3]).toMatchObject({ level: 'warn', path: '/api/nowhere', status: 404 });
    const all = raw.join('\n');
    for (const secret of [ADMIN_PASSWORD, token, town.tokens.gw1, town.tokens.office, '110101199001011234', '张三', 'deviceId', 'cursor'])
      expect(all).not.toContain(secret);
    await t.dispose();
  });

  test('/metrics: refused without the token (or off loopback), then request counts by route and status, push and pull events', async () => {
    const t = await openTestApp(storeCase, { metricsToken: 'scrape-secret-1' });
    try {
      const town = await seedTownship(t);
      expect((await t.request('GET', '/metrics')).status).toBe(401);
      expect((await t.request('GET', '/metrics', { token: 'wrong' })).status).toBe(401);
      const events = [sweep('G1', '2025-03-01T09:00:00+08:00'), sweep('G1', '2025-03-02T09:00:00+08:00'), sweep('OG', '2025-03-02T09:00:00+08:00')];
      const pushed = await t.json<{ results: { status: string }[] }>('POST', '/api/sync/push', { token: town.tokens.gw1, body: { deviceId: 'd1', events } });
      expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
      expect((await t.request('GET', '/api/sync/pull?cursor=0', { token: town.tokens.gw1 })).status).toBe(200);
      const res = await t.request('GET', '/metrics', { token: 'scrape-secret-1' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain('taizhang_http_requests_total{method="POST",route="/api/sync/push",status="200"} 1');
      expect(text).toMatch(/taizhang_http_request_duration_seconds_count\{method="POST",route="\/api\/sync\/push"\} 1\n/);
      expect(text).toContain('taizhang_sync_push_events_total{result="applied"} 2');
      expect(text).toContain('taizhang_sync_push_events_total{result="rejected"} 1');
      expect(text).toContain('taizhang_sync_pull_events_total 2');
      expect(text).toMatch(/taizhang_sync_push_store_duration_seconds_count 1\n/);
      // Unmatched paths share one label, so a scanner cannot grow the series.
      await t.request('GET', '/api/x/1');
      await t.request('GET', '/api/x/2');
      expect(await (await t.request('GET', '/metrics', { token: 'scrape-secret-1' })).text()).toContain(
        'taizhang_http_requests_total{method="GET",route="/api/*",status="404"} 2',
      );
      if (t.store.kind === 'postgres') {
        expect(text).toMatch(/taizhang_db_pool_connections\{state="max"\} 10\n/);
        expect(text).toMatch(/taizhang_db_pool_waiting \d+\n/);
      }
    } finally {
      await t.dispose();
    }
  });

  test('/metrics without a token set: only from a loopback address', async () => {
    const t = await openTestApp(storeCase);
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const port = (server.address() as AddressInfo).port;
      const local = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(local.status).toBe(200);
      expect(await local.text()).toContain('# TYPE taizhang_http_requests_total counter');
      // In-process requests have no peer address: treated as not loopback.
      expect((await t.request('GET', '/metrics')).status).toBe(403);
    } finally {
      await new Promise((r) => server.close(r));
      await t.dispose();
    }
  });
});
