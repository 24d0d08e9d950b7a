// Durability and ordering under stress, against real servers and real concurrency:
// - the server process is SIGKILLed in the middle of a stream of pushes, restarted, and the
//   client retries what was not acked: every acked event is there exactly once, and no batch
//   is half-applied;
// - concurrent pushes while a reader pages with its cursor: the reader misses nothing (on
//   PostgreSQL, sequence values would commit out of order without the push lock).
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '#shared/events';
import { startServer } from '../e2e/support/server.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G2, pull, pullAll, push, seedTownship, sweep } from './support/sync-fixtures.ts';

interface Result {
  id: string;
  status: string;
}

async function call<T>(url: string, method: string, token: string | undefined, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The real server's database: its SQLite file, or a fresh PostgreSQL schema dropped afterwards. */
async function serverDatabase(kind: 'sqlite' | 'postgres'): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (kind === 'sqlite' || !url) return { env: {}, drop: async () => undefined };
  const schema = `t_crash_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const sep = url.includes('?') ? '&' : '?';
  return {
    env: { DATABASE_URL: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` },
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

describe.each(storeCases().map((c) => c.name))('a server on %s killed mid-stream', (kind) => {
  it('keeps every acked event exactly once and never half a batch', async () => {
    const database = await serverDatabase(kind);
    const server = await startServer(database.env);
    try {
      const base = server.url;
      const admin = await call<{ token: string }>(`${base}/api/auth/login`, 'POST', undefined, { username: 'admin', password: 'admin-pass-123' });
      expect(admin.status).toBe(200);
      let token = admin.body.token;
      for (const u of [
        { id: 'jk', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
        { id: 'jk-v1', parentId: 'jk', kind: 'village', name: '红星村' },
        { id: G1, parentId: 'jk-v1', kind: 'grid', name: '第一网格' },
      ]) {
        const r = await call(`${base}/api/admin/org-units`, 'POST', token, u);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
      }

      const batches: DomainEvent[][] = Array.from({ length: 60 }, (_, b) =>
        Array.from({ length: 100 }, (_, i) =>
          i % 10 === 0
            ? { ...sweep(G1, '2024-06-01T10:00:00+08:00'), id: uuidv7() }
            : sweep(G1, `2024-06-${String((b % 28) + 1).padStart(2, '0')}T10:00:00+08:00`),
        ),
      );
      const acked = new Set<string>();
      const ackedBatches = new Set<number>();
      // Four senders stream batches; the server dies under them after the first acks.
      let next = 0;
      let killed = false;
      const sender = async () => {
        for (;;) {
          const b = next++;
          if (b >= batches.length) return;
          try {
            const r = await call<{ results: Result[] }>(`${base}/api/sync/push`, 'POST', token, { deviceId: 'crash-phone', events: batches[b] });
            if (r.status === 200) {
              for (const x of r.body.results) if (x.status === 'applied' || x.status === 'duplicate') acked.add(x.id);
              ackedBatches.add(b);
            }
          } catch {
            // connection cut by the kill: not acked
          }
          if (!killed && ackedBatches.size >= 8) {
            killed = true;
            await server.kill('SIGKILL');
          }
        }
      };
      await Promise.all([sender(), sender(), sender(), sender()]);
      expect(killed).toBe(true);
      expect(ackedBatches.size).toBeGreaterThanOrEqual(8);
      expect(ackedBatches.size).toBeLessThan(batches.length);

      await server.restart();
      const again = await call<{ token: string }>(`${base}/api/auth/login`, 'POST', undefined, { username: 'admin', password: 'admin-pass-123' });
      token = again.body.token;
      const pullIds = async () => {
        const ids: string[] = [];
        let cursor = 0;
        for (;;) {
          const r = await call<{ events: { id: string }[]; cursor: number; hasMore: boolean }>(
            `${base}/api/sync/pull?cursor=${cursor}&limit=1000`,
            'GET',
            token,
            undefined,
          );
          ids.push(...r.body.events.map((e) => e.id));
          cursor = r.body.cursor;
          if (!r.body.hasMore) return ids;
        }
      };
      const afterCrash = new Set(await pullIds());
      for (const id of acked) expect(afterCrash.has(id)).toBe(true);
      for (const [b, batch] of batches.entries()) {
        const present = batch.filter((e) => afterCrash.has(e.id)).length;
        expect([0, batch.length], `batch ${b}`).toContain(present);
      }

      // The client retries everything it has no ack for.
      for (const [b, batch] of batches.entries()) {
        if (ackedBatches.has(b)) continue;
        const r = await call<{ results: Result[] }>(`${base}/api/sync/push`, 'POST', token, { deviceId: 'crash-phone', events: batch });
        expect(r.status).toBe(200);
        expect(r.body.results.every((x) => x.status === 'applied' || x.status === 'duplicate')).toBe(true);
      }
      const final = await pullIds();
      const all = batches.flat().map((e) => e.id);
      expect(final.length).toBe(new Set(final).size);
      expect(new Set(final)).toEqual(new Set(all));
    } finally {
      await server.stop();
      await database.drop();
    }
  }, 180_000);
});

describe.each(storeCases())('concurrent pushes on $name', (storeCase) => {
  const t = useTestApp(storeCase);

  it('a reader paging with its cursor during concurrent pushes misses nothing', async () => {
    const town = await seedTownship(t());
    // Several senders per user and batches of very different sizes, so that transactions that
    // started later often finish first: the window in which a cursor could skip.
    const pushers = ['grid1', 'grid2', 'mediator1', 'admin', 'grid1', 'grid2', 'mediator1', 'admin'];
    const pushed: string[] = [];
    let done = false;
    const pushAll = async (who: string) => {
      for (let b = 0; b < 12; b++) {
        const size = [1, 40, 3, 25, 8, 60][(b + who.length) % 6]!;
        const events = Array.from({ length: size }, () => sweep(who === 'grid2' ? G2 : G1, '2024-07-01T10:00:00+08:00'));
        const r = await push(t(), town.tokens[who]!, events);
        expect(r.status).toBe(200);
        expect(r.body.results.every((x) => x.status === 'applied')).toBe(true);
        pushed.push(...events.map((e) => e.id));
      }
    };
    const seen: string[] = [];
    const seqs: number[] = [];
    let cursor = 0;
    const read = async () => {
      while (!done) {
        const r = await pull(t(), town.tokens.admin!, cursor, 7);
        for (const e of r.body.events) {
          seen.push(e.id);
          seqs.push(e.seq);
        }
        cursor = r.body.cursor;
        await new Promise((res) => setImmediate(res));
      }
    };
    const reader = read();
    await Promise.all(pushers.map(pushAll));
    done = true;
    await reader;
    for (;;) {
      const r = await pull(t(), town.tokens.admin!, cursor, 1000);
      seen.push(...r.body.events.map((e) => e.id));
      seqs.push(...r.body.events.map((e) => e.seq));
      cursor = r.body.cursor;
      if (!r.body.hasMore) break;
    }
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(pushed));
  }, 120_000);
});

describe.runIf(process.env.DATABASE_URL)('a push that commits late on postgres', () => {
  const [postgres] = storeCases().filter((c) => c.name === 'postgres');
  const t = useTestApp(postgres!);

  it('is not skipped by a cursor that moved on while it was in flight', async () => {
    const town = await seedTownship(t());
    const opened = caseOpened(G1, '2024-03-01T09:00:00+08:00');
    expect((await push(t(), town.tokens.grid1!, [opened])).body.results[0]!.status).toBe('applied');
    const start = (await pullAll(t(), town.tokens.admin!)).cursor;

    // Another connection holds the case's projection row: push A gets its seq, then waits.
    const blocker = new pg.Client({ connectionString: t().databaseUrl, options: `-c search_path=${t().schema}` });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT * FROM case_projection WHERE subject_id = $1 FOR UPDATE', [opened.subjectId]);
      const a = caseClosed(opened, '2024-03-05T09:00:00+08:00');
      const pushA = push(t(), town.tokens.grid1!, [a]);
      await new Promise((r) => setTimeout(r, 300));
      // Push B, on another subject, starts later; were seq a plain sequence, B would commit first.
      const b = sweep(G2, '2024-03-05T10:00:00+08:00');
      const pushB = push(t(), town.tokens.grid2!, [b]);
      await new Promise((r) => setTimeout(r, 300));
      const during = await pull(t(), town.tokens.admin!, start);
      await blocker.query('COMMIT');
      expect((await pushA).body.results[0]!.status).toBe('applied');
      expect((await pushB).body.results[0]!.status).toBe('applied');
      const after = await pullAll(t(), town.tokens.admin!, during.body.cursor);
      const seen = [...during.body.events, ...after.events].map((e) => e.id);
      expect(seen).toContain(a.id);
      expect(seen).toContain(b.id);
    } finally {
      await blocker.end();
    }
  }, 60_000);
});
