// Pushes on PostgreSQL run side by side and wait only to be put in commit order
// (storage/postgres/events.ts). PostgreSQL only, on a database of its own: the test holds the
// push ordering lock, which would stall other test runs on a shared database.
// - two pushes held at the ordering lock have both done their reads and writes already (each
//   backend has written, so it has a transaction id), and both commit once it is free, each
//   committee numbering its cases from 1;
// - two pushes of one case that read it at the same time: the one that commits second finds
//   the other's event among its subject's and runs again, so the case holds both changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { createFreshDatabase, type FreshDatabase } from './support/server-process.ts';
import type { StoreCase } from './support/stores.ts';
import { caseOpened, G1, G3, pullAll, push, seedTownship, TOWN_COMMITTEE, V1_COMMITTEE, type Township } from './support/sync-fixtures.ts';

const baseUrl = process.env.DATABASE_URL || undefined;
/** The ordering lock of src/server/storage/postgres/events.ts. */
const PUSH_LOCK = 7263201;

function freshCase(db: FreshDatabase): StoreCase {
  return {
    name: 'postgres',
    async open() {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-concurrent-'));
      const store = await openPostgresStore(db.url);
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

interface Waiter {
  waitEvent: string;
  hasXid: boolean;
}

/** The other backends of the database waiting on a lock: what they wait for, and whether they have written. */
async function lockWaiters(client: pg.Client, dbName: string): Promise<Waiter[]> {
  const { rows } = await client.query<{ wait_event: string; has_xid: boolean }>(
    `SELECT wait_event, backend_xid IS NOT NULL AS has_xid FROM pg_stat_activity
     WHERE datname = $1 AND wait_event_type = 'Lock'`,
    [dbName],
  );
  return rows.map((r) => ({ waitEvent: r.wait_event, hasXid: r.has_xid }));
}

async function waitUntil(client: pg.Client, dbName: string, done: (waiters: Waiter[]) => boolean): Promise<Waiter[]> {
  for (let i = 0; i < 400; i++) {
    const waiters = await lockWaiters(client, dbName);
    if (done(waiters)) return waiters;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the pushes never came to wait as expected: ${JSON.stringify(await lockWaiters(client, dbName))}`);
}

function caseUpdated(of: DomainEvent, occurredAt: string, changes: Record<string, unknown>): DomainEvent {
  return { ...of, id: crypto.randomUUID(), occurredAt, deviceSeq: of.deviceSeq + 1, type: 'case.updated', data: { changes } } as DomainEvent;
}

describe.skipIf(!baseUrl)('concurrent pushes on PostgreSQL', () => {
  let db: FreshDatabase;
  let t: TestApp;
  let town: Township;
  let holder: pg.Client;
  // Another connection looks: a transaction sees pg_stat_activity as it was at its first look.
  let watcher: pg.Client;

  beforeAll(async () => {
    db = await createFreshDatabase(baseUrl!);
    t = await openTestApp(freshCase(db));
    town = await seedTownship(t);
    holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
  });

  afterAll(async () => {
    await holder?.end();
    await watcher?.end();
    await t?.dispose();
    await db?.drop();
  });

  /** Runs `pushes` while this test holds the ordering lock; lets go once `ready` says they are where they should be. */
  async function whileOrderingHeld<T>(pushes: () => Promise<T>[], ready: (waiters: Waiter[]) => boolean): Promise<{ results: T[]; waiters: Waiter[] }> {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
    const running = pushes();
    const waiters = await waitUntil(watcher, db.name, ready).finally(() => holder.query('COMMIT'));
    return { results: await Promise.all(running), waiters };
  }

  it('does the work of two pushes while they wait to be ordered, then commits both', async () => {
    const a = Array.from({ length: 3 }, () => caseOpened(G1, '2024-05-06T10:00:00+08:00'));
    const b = Array.from({ length: 2 }, () => caseOpened(G3, '2024-05-07T10:00:00+08:00'));
    const { results, waiters } = await whileOrderingHeld(
      // Two workers' phones: no budget or device row in common.
      () => [push(t, town.tokens.grid1!, a, { deviceId: 'phone-a' }), push(t, town.tokens.grid3!, b, { deviceId: 'phone-b' })],
      (w) => w.filter((x) => x.waitEvent === 'advisory').length === 2,
    );
    // Both wrote their projections and reserved their case numbers before waiting for the lock.
    expect(waiters.filter((w) => w.waitEvent === 'advisory')).toEqual([
      { waitEvent: 'advisory', hasXid: true },
      { waitEvent: 'advisory', hasXid: true },
    ]);
    for (const [r, events] of [
      [results[0]!, a],
      [results[1]!, b],
    ] as const) {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.results).toEqual(events.map((e) => ({ id: e.id, status: 'applied' })));
    }

    const pulled = (await pullAll(t, town.tokens.admin!)).events;
    expect(pulled.map((e) => e.seq)).toEqual(pulled.map((_, i) => i + 1));
    const numbers = (committee: string) =>
      pulled.flatMap((e) => (e.type === 'case.numbered' && e.data.committeeId === committee ? [e.data.sequence] : [])).sort((x, y) => x - y);
    expect(numbers(V1_COMMITTEE)).toEqual([1, 2, 3]);
    expect(numbers(TOWN_COMMITTEE)).toEqual([1, 2]);
  });

  it('runs a push again when another push of the same case committed after it read the case', async () => {
    const opened = caseOpened(G1, '2024-06-01T10:00:00+08:00', { peopleInvolved: 2, amountInvolved: 100 });
    expect((await push(t, town.tokens.grid1!, [opened])).status).toBe(200);
    const morePeople = caseUpdated(opened, '2024-06-02T10:00:00+08:00', { peopleInvolved: 5 });
    const moreMoney = caseUpdated(opened, '2024-06-03T10:00:00+08:00', { amountInvolved: 3000 });

    const { results, waiters } = await whileOrderingHeld(
      () => [push(t, town.tokens.grid1!, [morePeople]), push(t, town.tokens.grid1!, [moreMoney])],
      // One waits for the ordering lock; the other read the case too and now waits for its projection row.
      (w) => w.some((x) => x.waitEvent === 'advisory') && w.length === 2,
    );
    expect(waiters).toHaveLength(2);
    for (const [r, e] of [
      [results[0]!, morePeople],
      [results[1]!, moreMoney],
    ] as const) {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.results).toEqual([{ id: e.id, status: 'applied' }]);
    }
    const row = (await t.store.dumpProjections()).cases.find((c) => c.subject_id === opened.subjectId)!;
    expect({ people: Number(row.people_involved), cents: Number(row.amount_cents) }).toEqual({ people: 5, cents: 300_000 });
  });
});
