// One stalled push must not stop the county (PostgreSQL only; each run on a database of its
// own, since the push lock is cluster-wide and would stall other test runs):
// - while another connection holds the push lock, pushes answer a retryable 503 within the lock
//   timeout instead of hanging, and reads on the same process still answer at once (pushes may
//   hold only some of the pool's connections); once the holder ends, pushes go through;
// - a server process frozen (SIGSTOP) inside its push transaction loses the lock after the
//   idle-in-transaction timeout, so another process's push is applied meanwhile; woken up, the
//   frozen process answers its push 503, keeps serving, and the retry is applied once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { DomainEvent } from '#shared/events';
import type { PostgresLimits } from '../../src/server/config.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { advisoryLockWaiters, call, createFreshDatabase, startServerProcess, type FreshDatabase, type ServerProcess } from './support/server-process.ts';
import type { StoreCase } from './support/stores.ts';
import { G1, G2, PASSWORD, pullAll, push, seedTownship, sweep, type Township } from './support/sync-fixtures.ts';

const baseUrl = process.env.DATABASE_URL || undefined;
/** The push lock of src/server/storage/postgres/events.ts. */
const PUSH_LOCK = 7263201;
const LIMITS: Partial<PostgresLimits> = { poolMax: 4, pushConnections: 2, lockTimeoutMs: 2500 };

/** The test app's store on the fresh database, with small limits. */
function limitedCase(db: FreshDatabase): StoreCase {
  return {
    name: 'postgres',
    async open() {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-stall-'));
      const store = await openPostgresStore(db.url, { limits: LIMITS });
      return {
        store,
        dataDir,
        databaseUrl: db.url,
        schema: undefined,
        async dispose() {
          await store.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

const sweeps = (n: number, unit = G1): DomainEvent[] =>
  Array.from({ length: n }, (_, i) => sweep(unit, `2024-07-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+08:00`));

/** A connection holding the push lock in an open transaction, as a stalled push would. */
async function holdPushLock(url: string): Promise<{ client: pg.Client; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
  let released = false;
  return {
    client,
    async release() {
      if (released) return;
      released = true;
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Waits until a push of this database waits for the push lock; should the pushes all answer first, says so with their answers. */
async function waitForLockWaiter(client: pg.Client, dbName: string, pushes: Promise<{ status: number }>[]): Promise<void> {
  const answers: number[] = [];
  for (const p of pushes)
    void p.then(
      (r) => answers.push(r.status),
      () => answers.push(-1),
    );
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if ((await advisoryLockWaiters(client, dbName)) > 0) return;
    if (answers.length === pushes.length) throw new Error(`the pushes answered ${answers.join(', ')} before any waited for the lock`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no push came to wait for the lock in 20 s (answered so far: ${answers.join(', ') || 'none'})`);
}

const timed = async <T>(p: Promise<T>): Promise<T & { ms: number }> => {
  const start = Date.now();
  const r = await p;
  return { ...r, ms: Date.now() - start };
};

describe.skipIf(!baseUrl)('a stalled push on PostgreSQL', () => {
  let db: FreshDatabase;
  let t: TestApp;
  let town: Township;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    db = await createFreshDatabase(baseUrl!);
    t = await openTestApp(limitedCase(db));
    town = await seedTownship(t);
  });

  afterAll(async () => {
    if (server?.alive()) process.kill(server.child.pid!, 'SIGCONT');
    await server?.dispose();
    await t?.dispose();
    await db?.drop();
  });

  it('answers pushes 503 within the lock timeout while reads still answer at once, then lets them through', async () => {
    const token = town.tokens.grid1!;
    const holder = await holdPushLock(db.url);
    // Should the pushes hang (no lock timeout), the holder lets go late, so the test fails instead of hanging.
    const late = setTimeout(() => void holder.release().catch(() => undefined), 30_000);
    try {
      const pushes = Array.from({ length: 4 }, () => timed(push(t, token, sweeps(5))));
      await waitForLockWaiter(holder.client, db.name, pushes);
      const me = await timed(t.json('GET', '/api/me', { token }));
      const pulled = await timed(t.json('GET', '/api/sync/pull?cursor=0', { token }));
      expect(me.status).toBe(200);
      expect(pulled.status).toBe(200);
      // Well below the lock timeout: the reads did not wait behind the pushes for a connection.
      expect(me.ms).toBeLessThan(LIMITS.lockTimeoutMs! / 2);
      expect(pulled.ms).toBeLessThan(LIMITS.lockTimeoutMs! / 2);

      for (const r of await Promise.all(pushes)) {
        expect(r.status, JSON.stringify(r.body)).toBe(503);
        expect((r.body as unknown as { error: { code: string; message: string } }).error).toMatchObject({
          code: 'database_busy',
          message: expect.stringMatching(/[\u4e00-\u9fff]/),
        });
        // A push may first wait for one of the push connections, then for the lock.
        expect(r.ms).toBeLessThan(2 * LIMITS.lockTimeoutMs! + 1500);
      }
      const retryAfter = await push(t, token, sweeps(1));
      expect(retryAfter.status).toBe(503);
    } finally {
      clearTimeout(late);
      await holder.release();
    }
    const after = sweeps(5);
    const r = await push(t, token, after);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.results.map((x) => x.status)).toEqual(after.map(() => 'applied'));
  });

  it('takes the lock from a process frozen inside its push transaction', async () => {
    server = await startServerProcess({ DATABASE_URL: db.url, TAIZHANG_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000', TAIZHANG_PG_LOCK_TIMEOUT_MS: '20000' });
    const login = await call<{ token: string }>(`${server.url}/api/auth/login`, 'POST', undefined, {
      username: 'grid2',
      password: PASSWORD,
      deviceId: 'frozen-phone',
    });
    expect(login.status).toBe(200);
    const frozenEvents = sweeps(5, G2);
    const pushToFrozen = () =>
      call<{ results: { id: string; status: string }[] }>(`${server!.url}/api/sync/push`, 'POST', login.body.token, {
        deviceId: 'frozen-phone',
        events: frozenEvents,
      });

    // The frozen process gets the lock while it is stopped: it waited for it, then stopped, then the holder let go.
    const holder = await holdPushLock(db.url);
    const frozenPush = pushToFrozen();
    let other: Awaited<ReturnType<typeof push>> & { ms: number };
    const otherEvents = sweeps(5);
    try {
      await waitForLockWaiter(holder.client, db.name, [frozenPush]);
      process.kill(server.child.pid!, 'SIGSTOP');
      await holder.release();
      other = await timed(push(t, town.tokens.grid1!, otherEvents));
    } finally {
      process.kill(server.child.pid!, 'SIGCONT');
    }
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect(other.body.results.map((x) => x.status)).toEqual(otherEvents.map(() => 'applied'));
    expect(other.ms).toBeLessThan(LIMITS.lockTimeoutMs!);

    const woken = await frozenPush;
    expect(woken.status, JSON.stringify(woken.body)).toBe(503);
    expect(server.alive(), server.output()).toBe(true);
    const retried = await pushToFrozen();
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.results.map((x) => x.status)).toEqual(frozenEvents.map(() => 'applied'));

    const ids = (await pullAll(t, town.tokens.admin!)).events.map((e) => e.id);
    for (const e of [...frozenEvents, ...otherEvents]) expect(ids.filter((id) => id === e.id)).toHaveLength(1);
  });
});
