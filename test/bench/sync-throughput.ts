// Events per second into the server: Taizhang's /api/sync/push (validation, projections,
// durable commit included) against PouchDB replicating the same documents to express-pouchdb.
// Both servers run as separate processes on this machine; this process is only the client.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { freePort, startServer } from '../e2e/support/server.ts';
import { count as fmt } from './format.ts';
import type { BenchStep } from './types.ts';

const ADMIN_PASSWORD = 'admin-pass-123';

function makeEvents(count: number, gridId: string, deviceId: string): object[] {
  const events: object[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      id: uuidv7(),
      type: 'case.opened',
      subjectId: uuidv7(),
      orgUnitId: gridId,
      occurredAt: `2024-${String((i % 12) + 1).padStart(2, '0')}-15T10:00:00+08:00`,
      recordedAt: new Date().toISOString(),
      deviceId,
      deviceSeq: i + 1,
      data: {
        disputeType: ['01', '02', '03', '04', '07'][i % 5],
        source: i % 3 === 0 ? 'referral' : 'application',
        ...(i % 3 === 0 ? { referrer: 'court' } : {}),
        summary: '双方因宅基地边界及排水沟走向发生争执，经村调委会多次上门了解情况，双方同意接受调解。'.repeat(3),
        parties: [
          { role: 'applicant', name: '张某某', sex: 'male', age: 56, phone: '13812345678' },
          { role: 'respondent', name: '李某某', sex: 'female', age: 49, phone: '13987654321' },
        ],
        peopleInvolved: 2,
        amountInvolved: 3000,
      },
    });
  }
  return events;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few fields of loosely shaped answers
async function api(url: string, method: string, token: string | undefined, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Pushes `count` events in batches of 500 through a fresh SQLite server; events per second. */
async function measurePush(count: number): Promise<number> {
  // 100,000 events from one user is five days of the per-user push budget: lifted here.
  const server = await startServer({ TAIZHANG_ADMIN_PASSWORD: ADMIN_PASSWORD, TAIZHANG_PUSH_EVENTS_PER_DAY: '10000000' });
  try {
    const admin = (await api(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD })).token as string;
    const town = await api(`${server.url}/api/admin/org-units`, 'POST', admin, { parentId: null, kind: 'town', name: '江口镇', code: 'JK', shortName: '江口' });
    const village = await api(`${server.url}/api/admin/org-units`, 'POST', admin, { parentId: town.id, kind: 'village', name: '桂林村' });
    await api(`${server.url}/api/admin/org-units`, 'POST', admin, { parentId: village.id, kind: 'committee', name: '桂林村人民调解委员会', shortName: '桂林' });
    const grid = await api(`${server.url}/api/admin/org-units`, 'POST', admin, { parentId: village.id, kind: 'grid', name: '第一网格' });
    await api(`${server.url}/api/admin/users`, 'POST', admin, {
      username: 'bench',
      password: 'bench-pass-123',
      displayName: '压测',
      roles: [{ role: 'grid_worker', orgUnitId: grid.id }],
    });
    const token = (await api(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'bench', password: 'bench-pass-123' })).token as string;
    const events = makeEvents(count, grid.id, 'bench-device');
    const started = performance.now();
    for (let i = 0; i < events.length; i += 500) {
      const res = await api(`${server.url}/api/sync/push`, 'POST', token, { deviceId: 'bench-device', events: events.slice(i, i + 500) });
      const bad = (res.results as { status: string; error?: unknown }[]).find((r) => r.status !== 'applied');
      if (bad) throw new Error(`push not applied: ${JSON.stringify(bad)}`);
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    await server.stop();
  }
}

/** The same documents replicated by PouchDB (LevelDB) to express-pouchdb; docs per second. */
async function measurePouch(count: number, peersDir: string): Promise<number> {
  const require = createRequire(path.resolve(peersDir, 'package.json'));
  const PouchDB = require('pouchdb-node');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-pouch-'));
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve(peersDir, 'pouch-server.cjs'), String(port), path.join(dir, 'server')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    require('node:fs').mkdirSync(path.join(dir, 'server'), { recursive: true });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`pouch server exited ${code}`)));
    });
    const local = new PouchDB(path.join(dir, 'local'));
    const docs = makeEvents(count, 'grid-1', 'bench-device').map((e) => ({ ...e, _id: (e as { id: string }).id }));
    for (let i = 0; i < docs.length; i += 5000) await local.bulkDocs(docs.slice(i, i + 5000));
    const remote = `http://127.0.0.1:${port}/bench`;
    await fetch(remote, { method: 'PUT' });
    const started = performance.now();
    await local.replicate.to(remote, { batch_size: 500 });
    const seconds = (performance.now() - started) / 1000;
    await local.close();
    return count / seconds;
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const BUDGET = 15_000;

export const step: BenchStep = {
  id: 'push',
  async run(ctx) {
    const sizes = { full: [10_000, 100_000], quick: [10_000], smoke: [500] }[ctx.mode];
    const rows = [];
    for (const n of sizes) {
      const ours = await measurePush(n);
      const peer = `PouchDB → express-pouchdb: ${fmt(await measurePouch(n, ctx.peersDir))}/s`;
      rows.push({
        id: 'push',
        measure: `events/s through /api/sync/push, ${fmt(n)} new cases, batches of 500 (SQLite, one process)`,
        ours: `${fmt(ours)}/s`,
        peer,
        budget: `≥ ${fmt(BUDGET)}/s`,
        ok: ctx.mode === 'smoke' ? undefined : ours >= BUDGET,
      });
    }
    return rows;
  },
};
