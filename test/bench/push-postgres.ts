// Push throughput on each store, as a county runs it: real API processes (src/server/main.ts),
// six phones of three villages pushing batches of 500 at once, first new cases (each one
// numbered by its village's committee) then an update of each of those cases (a refold of a
// stored case). SQLite in one process; PostgreSQL on a throw-away database with one process,
// then three processes sharing it (each phone talks to one of them). This process is only the
// client; figures are events per second of wall time, every answer checked to be 'applied'.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { freePort } from '../e2e/support/server.ts';
import type { BenchContext, BenchRow, BenchStep } from './types.ts';

const ADMIN_PASSWORD = 'admin-pass-123';
const PASSWORD = 'bench-pass-123';
const VILLAGES = 3;
const PHONES = 6;

interface Sizes {
  batch: number;
  /** Batches per phone and phase. */
  batches: number;
}

const SIZES: Record<BenchContext['mode'], Sizes> = {
  full: { batch: 500, batches: 6 },
  quick: { batch: 500, batches: 2 },
  smoke: { batch: 10, batches: 1 },
};

interface Proc {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function startProcess(env: Record<string, string>, dataDir: string): Promise<Proc> {
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DIST_DIR: path.join(dataDir, 'no-dist'),
      DATABASE_URL: '',
      TAIZHANG_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TAIZHANG_LOG: 'off',
      // The per-day write budget would cut a bench phone off long before the end.
      TAIZHANG_PUSH_EVENTS_PER_DAY: '100000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const proc = { url: `http://127.0.0.1:${port}`, child, output: () => log };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log.slice(-500)}`);
    try {
      if ((await fetch(`${proc.url}/readyz`)).ok) return proc;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready: ${log.slice(-500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopProcess(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few fields of loosely shaped answers
async function api(base: string, method: string, url: string, token: string | undefined, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

interface Phone {
  grid: string;
  deviceId: string;
  token: string;
  proc: Proc;
  seq: number;
  cases: string[];
}

/** A town, three villages each with its committee and two grids, one grid worker per grid; phones spread over the processes. */
async function seed(procs: Proc[]): Promise<Phone[]> {
  const first = procs[0]!.url;
  const admin = (await api(first, 'POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD })).token as string;
  const tag = randomUUID().slice(0, 8);
  await api(first, 'POST', '/api/admin/org-units', admin, { id: `T-${tag}`, parentId: null, kind: 'town', name: '江口镇', shortName: '江口' });
  const grids: string[] = [];
  for (let v = 1; v <= VILLAGES; v++) {
    const village = `V${v}-${tag}`;
    await api(first, 'POST', '/api/admin/org-units', admin, { id: village, parentId: `T-${tag}`, kind: 'village', name: `第${v}村`, shortName: `村${v}` });
    await api(first, 'POST', '/api/admin/org-units', admin, {
      id: `${village}C`,
      parentId: village,
      kind: 'committee',
      name: `第${v}村人民调解委员会`,
      shortName: `村${v}`,
    });
    for (let g = 1; g <= PHONES / VILLAGES; g++) {
      await api(first, 'POST', '/api/admin/org-units', admin, { id: `${village}G${g}`, parentId: village, kind: 'grid', name: `第${v}村第${g}网格` });
      grids.push(`${village}G${g}`);
    }
  }
  const phones: Phone[] = [];
  for (const [i, grid] of grids.entries()) {
    const username = `bench${i}`;
    await api(first, 'POST', '/api/admin/users', admin, {
      username,
      password: PASSWORD,
      displayName: `压测${i}`,
      roles: [{ role: 'grid_worker', orgUnitId: grid }],
    });
    const proc = procs[i % procs.length]!;
    const deviceId = `bench-phone-${i}`;
    const token = (await api(proc.url, 'POST', '/api/auth/login', undefined, { username, password: PASSWORD, deviceId })).token as string;
    phones.push({ grid, deviceId, token, proc, seq: 0, cases: [] });
  }
  return phones;
}

const SUMMARY = '双方因宅基地边界及排水沟走向发生争执，经村调委会多次上门了解情况，双方同意接受调解。';

function opening(phone: Phone, n: number): object {
  const subjectId = uuidv7();
  phone.cases.push(subjectId);
  return {
    id: uuidv7(),
    type: 'case.opened',
    subjectId,
    orgUnitId: phone.grid,
    occurredAt: `2024-${String((n % 12) + 1).padStart(2, '0')}-15T10:00:00+08:00`,
    recordedAt: new Date().toISOString(),
    deviceId: phone.deviceId,
    deviceSeq: ++phone.seq,
    data: {
      disputeType: ['01', '02', '03', '04', '07'][n % 5],
      source: n % 3 === 0 ? 'referral' : 'application',
      ...(n % 3 === 0 ? { referrer: 'court' } : {}),
      summary: SUMMARY.repeat(3),
      parties: [
        { role: 'applicant', name: '张某某', sex: 'male', age: 56, phone: '13812345678' },
        { role: 'respondent', name: '李某某', sex: 'female', age: 49, phone: '13987654321' },
      ],
      peopleInvolved: 2,
      amountInvolved: 3000,
    },
  };
}

function update(phone: Phone, n: number): object {
  return {
    id: uuidv7(),
    type: 'case.updated',
    subjectId: phone.cases[n]!,
    orgUnitId: phone.grid,
    occurredAt: `2024-12-20T10:00:00+08:00`,
    recordedAt: new Date().toISOString(),
    deviceId: phone.deviceId,
    deviceSeq: ++phone.seq,
    data: { changes: { summary: `${SUMMARY}（更正）`, peopleInvolved: 3 }, note: '更正当事人人数' },
  };
}

/** Every phone pushes its batches one after another, all phones at once; events per second. */
async function pushPhase(phones: Phone[], sizes: Sizes, make: (phone: Phone, n: number) => object): Promise<number> {
  const batches = phones.map((phone) =>
    Array.from({ length: sizes.batches }, (_, b) => Array.from({ length: sizes.batch }, (_, k) => make(phone, b * sizes.batch + k))),
  );
  const started = performance.now();
  await Promise.all(
    phones.map(async (phone, i) => {
      for (const events of batches[i]!) {
        const res = await api(phone.proc.url, 'POST', '/api/sync/push', phone.token, { deviceId: phone.deviceId, events });
        const bad = (res.results as { status: string }[]).find((r) => r.status !== 'applied');
        if (bad) throw new Error(`push not applied: ${JSON.stringify(bad)}`);
      }
    }),
  );
  return (phones.length * sizes.batches * sizes.batch) / ((performance.now() - started) / 1000);
}

interface Figures {
  opened: number;
  updated: number;
}

async function measure(processes: number, env: Record<string, string>, sizes: Sizes): Promise<Figures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-push-'));
  const procs: Proc[] = [];
  try {
    // One after another: the first creates the schema and the admin, the others find them.
    for (let i = 0; i < processes; i++) procs.push(await startProcess(env, dataDir));
    const phones = await seed(procs);
    // Untimed: one batch of each kind per phone, so that every process runs its push path compiled
    // (three processes each start cold, and would otherwise be measured warming up three times).
    const warm = { batch: sizes.batch, batches: 1 };
    await pushPhase(phones, warm, opening);
    await pushPhase(phones, warm, update);
    for (const phone of phones) phone.cases = [];
    const opened = await pushPhase(phones, sizes, opening);
    const updated = await pushPhase(phones, sizes, update);
    return { opened, updated };
  } finally {
    await Promise.all(procs.map(stopProcess));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A throw-away database for one measure, dropped afterwards. */
async function withDatabase<T>(baseUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `taizhang_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await onServer(baseUrl, `CREATE DATABASE ${name}`);
  try {
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await onServer(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const rate = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;

export const step: BenchStep = {
  id: 'push-pg',
  async run(ctx) {
    const sizes = SIZES[ctx.mode];
    const judged = ctx.mode !== 'smoke';
    const per = `${PHONES} phones at once, batches of ${sizes.batch}, ${(PHONES * sizes.batches * sizes.batch).toLocaleString('en')} events`;
    const sqlite = await measure(1, {}, sizes);
    const rows: BenchRow[] = [
      {
        id: 'push-pg',
        measure: `push new cases, ${per} (SQLite, 1 process)`,
        ours: rate(sqlite.opened),
        peer: '',
        budget: '≥ 15,000/s',
        ok: judged ? sqlite.opened >= 15_000 : undefined,
      },
      {
        id: 'push-pg',
        measure: `push case updates, ${per} (SQLite, 1 process)`,
        ours: rate(sqlite.updated),
        peer: '',
        budget: '≥ 15,000/s',
        ok: judged ? sqlite.updated >= 15_000 : undefined,
      },
    ];
    if (!ctx.databaseUrl) {
      rows.push({ id: 'push-pg', measure: 'push on PostgreSQL', ours: 'skipped: no DATABASE_URL', peer: '', budget: '', ok: undefined });
      return rows;
    }
    const one = await withDatabase(ctx.databaseUrl, (url) => measure(1, { DATABASE_URL: url }, sizes));
    const three = await withDatabase(ctx.databaseUrl, (url) => measure(3, { DATABASE_URL: url }, sizes));
    for (const [what, key] of [
      ['new cases', 'opened'],
      ['case updates', 'updated'],
    ] as const) {
      rows.push(
        {
          id: 'push-pg',
          measure: `push ${what}, ${per} (PostgreSQL, 1 process)`,
          ours: rate(one[key]),
          peer: `SQLite: ${rate(sqlite[key])} (${Math.round((100 * one[key]) / sqlite[key])} %)`,
          budget: '≥ 70 % of SQLite',
          ok: judged ? one[key] >= 0.7 * sqlite[key] : undefined,
        },
        {
          id: 'push-pg',
          measure: `push ${what}, ${per} (PostgreSQL, 3 processes)`,
          ours: rate(three[key]),
          peer: `PostgreSQL 1 process: ${rate(one[key])} (${(three[key] / one[key]).toFixed(2)}×)`,
          budget: '≥ 1 process',
          ok: judged ? three[key] >= one[key] : undefined,
        },
      );
    }
    return rows;
  },
};
