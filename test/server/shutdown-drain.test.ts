// SIGTERM while pushes are in flight (what a deploy or a container stop does): the server stops
// accepting, every request it had accepted gets its normal answer (no 500 from a store closed
// under it, no connection cut), then it closes the store and exits 0. A real server process on
// each store; on PostgreSQL a database of its own. The pushes are caught mid-upload: headers and
// half the body sent before the signal, the rest after it.
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { MAX_BATCH } from '#shared/events';
import { ADMIN_PASSWORD, call, createFreshDatabase, startServerProcess, type FreshDatabase, type ServerProcess } from './support/server-process.ts';
import { storeCases } from './support/stores.ts';
import { G1, sweep } from './support/sync-fixtures.ts';

interface Upload {
  /** Sends the rest of the body. */
  finish(): void;
  answer: Promise<{ status: number; body: string }>;
}

/** A push on a connection of its own, stopped after the headers and the first half of the body. */
async function startUpload(base: string, token: string, body: string): Promise<Upload> {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = http.request(`${base}/api/sync/push`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length), authorization: `Bearer ${token}` },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.once('error', reject);
    });
  });
  req.write(bytes.subarray(0, half));
  await new Promise<void>((resolve, reject) => {
    req.once('socket', (s) => s.once('connect', () => resolve()));
    req.once('error', reject);
  });
  return { finish: () => req.end(bytes.subarray(half)), answer };
}

describe.each(storeCases().map((c) => c.name))('a server on %s stopped with SIGTERM', (kind) => {
  let server: ServerProcess | undefined;
  let db: FreshDatabase | undefined;

  afterEach(async () => {
    await server?.dispose();
    await db?.drop();
  });

  it('answers every push it accepted, then exits 0', async () => {
    db = kind === 'postgres' ? await createFreshDatabase(process.env.DATABASE_URL!) : undefined;
    server = await startServerProcess(db ? { DATABASE_URL: db.url } : {});
    const base = server.url;
    const login = await call<{ token: string }>(`${base}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    const token = login.body.token;
    for (const u of [
      { id: 'jk', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
      { id: 'jk-v1', parentId: 'jk', kind: 'village', name: '红星村' },
      { id: G1, parentId: 'jk-v1', kind: 'grid', name: '第一网格' },
    ]) {
      expect((await call(`${base}/api/admin/org-units`, 'POST', token, u)).status).toBe(201);
    }

    const batches: DomainEvent[][] = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: MAX_BATCH }, (_, i) =>
        sweep(G1, `2024-${String((b % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+08:00`),
      ),
    );
    const uploads = await Promise.all(batches.map((events) => startUpload(base, token, JSON.stringify({ deviceId: 'drain-phone', events }))));
    const answers = Promise.allSettled(uploads.map((u) => u.answer));
    // The server has had time to accept the connections and read the headers.
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    expect(server.alive()).toBe(true);
    // It no longer accepts new connections (an open keep-alive one may still carry a request, answered with Connection: close).
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(server!.port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    for (const u of uploads) u.finish();

    const settled = await answers;
    for (const [i, s] of settled.entries()) {
      expect(s.status, `push ${i}: ${s.status === 'rejected' ? String(s.reason) : ''}`).toBe('fulfilled');
      if (s.status !== 'fulfilled') continue;
      expect(s.value.status, `push ${i}: ${s.value.body.slice(0, 200)}`).toBe(200);
      const body = JSON.parse(s.value.body) as { results: { status: string }[] };
      expect(body.results.map((x) => x.status)).toEqual(batches[i]!.map(() => 'applied'));
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
