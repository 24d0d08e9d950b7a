// A real server process on PostgreSQL whose connections the database ends (what a restart,
// a failover or a network reset does; here pg_terminate_backend), idle and in the middle of a
// push's transaction: the process keeps serving, the push cut mid-way answers a retryable 503
// and its retry is applied exactly once, and nothing it prints shows the password or the URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { DomainEvent } from '#shared/events';
import {
  ADMIN_PASSWORD,
  advisoryLockWaiters,
  call,
  createFreshDatabase,
  startServerProcess,
  type FreshDatabase,
  type ServerProcess,
} from './support/server-process.ts';
import { G1, sweep } from './support/sync-fixtures.ts';

const baseUrl = process.env.DATABASE_URL || undefined;
/** The push lock of src/server/storage/postgres/events.ts. */
const PUSH_LOCK = 7263201;
const SECRET = 'secret-xyz-7f3a';

interface PushAnswer {
  results: { id: string; status: string }[];
}

describe.skipIf(!baseUrl)('a server on PostgreSQL whose connections the database ends', () => {
  let db: FreshDatabase;
  let server: ServerProcess;
  let token = '';
  const pushed: DomainEvent[] = [];

  beforeAll(async () => {
    // Trust authentication ignores the password; it is there to be looked for in the output.
    db = await createFreshDatabase(baseUrl!, { password: SECRET });
    server = await startServerProcess({ DATABASE_URL: db.url });
  });

  afterAll(async () => {
    await server?.dispose();
    await db?.drop();
  });

  const terminateBackends = async (from: pg.Client) =>
    Number(
      (
        await from.query<{ n: string }>('SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
          db.name,
        ])
      ).rows[0]!.n,
    );

  const pushBatch = (events: DomainEvent[]) => call<PushAnswer>(`${server.url}/api/sync/push`, 'POST', token, { deviceId: 'loss-phone', events });
  const sweeps = (n: number) => Array.from({ length: n }, (_, i) => sweep(G1, `2024-06-${String(i + 1).padStart(2, '0')}T10:00:00+08:00`));

  it('keeps serving after its idle connections are terminated', async () => {
    const login = await call<{ token: string }>(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    token = login.body.token;
    for (const u of [
      { id: 'jk', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
      { id: 'jk-v1', parentId: 'jk', kind: 'village', name: '红星村' },
      { id: G1, parentId: 'jk-v1', kind: 'grid', name: '第一网格' },
    ]) {
      const r = await call(`${server.url}/api/admin/org-units`, 'POST', token, u);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const first = sweeps(10);
    expect((await pushBatch(first)).status).toBe(200);
    pushed.push(...first);

    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    try {
      expect(await terminateBackends(admin)).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(server.alive(), server.output()).toBe(true);

    expect((await call(`${server.url}/api/me`, 'GET', token)).status).toBe(200);
    const second = sweeps(10);
    const r = await pushBatch(second);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.results.map((x) => x.status)).toEqual(second.map(() => 'applied'));
    pushed.push(...second);
  });

  it('answers a push cut mid-transaction with a retryable 503, and applies its retry once', async () => {
    const blocker = new pg.Client({ connectionString: db.url });
    blocker.on('error', () => undefined);
    await blocker.connect();
    const third = sweeps(10);
    let cut: Awaited<ReturnType<typeof pushBatch>>;
    try {
      // The server's push waits for the lock inside its transaction; then its connection is ended under it.
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
      const pending = pushBatch(third);
      for (let i = 0; i < 100; i++) {
        if ((await advisoryLockWaiters(blocker, db.name)) > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await terminateBackends(blocker)).toBeGreaterThan(0);
      cut = await pending;
      await blocker.query('COMMIT');
    } finally {
      await blocker.end();
    }
    expect(cut.status, JSON.stringify(cut.body)).toBe(503);
    expect(Number(cut.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((cut.body as unknown as { error: { code: string; message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(server.alive(), server.output()).toBe(true);

    const retried = await pushBatch(third);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.results.map((x) => x.status)).toEqual(third.map(() => 'applied'));
    pushed.push(...third);

    const seen: string[] = [];
    let cursor = 0;
    for (;;) {
      const page = await call<{ events: { id: string }[]; cursor: number; hasMore: boolean }>(
        `${server.url}/api/sync/pull?cursor=${cursor}&limit=1000`,
        'GET',
        token,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.events.map((e) => e.id));
      cursor = page.body.cursor;
      if (!page.body.hasMore) break;
    }
    expect(seen.filter((id) => pushed.some((e) => e.id === id)).sort()).toEqual(pushed.map((e) => e.id).sort());
  });

  it('never prints the password or the connection string', () => {
    const out = server.output();
    // It did log the lost connections (by code), so there was something to leak.
    expect(out).toContain('57P01');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(db.url);
    expect(out).not.toContain(new URL(db.url).host + new URL(db.url).pathname);
  });
});
