// Year summary at a city's scale: GET /api/stats/summary for the county over a decade of
// records, on SQLite (10M events) and PostgreSQL (1M events). The demo township's year is
// loaded through the real push (so its projections are the real ones), then copied in SQL
// into more towns and earlier years: events, projection rows and org units alike, each copy
// with its own ids, units and year, so that the tables hold what pushes of the same records
// would have left. Pushing 10M events through the API would take most of an hour; the
// summary reads only the tree and the statistics rollup, which is rebuilt from the copied
// projections in one statement (migration 540's backfill). The peer is the
// query the projections exist to avoid: one of the summary's figures read out of the events'
// JSON at query time.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/server/app.ts';
import { readConfig } from '../../src/server/config.ts';
import { loadDemo } from '../../src/server/demo/load.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { ROLLUP_BACKFILL_SQL } from '../../src/server/storage/event-sql.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { count, median } from './format.ts';
import type { BenchContext, BenchRow, BenchStep } from './types.ts';

const PASSWORD = 'bench-pass-123';
const COUNTY_ID = '500235';
const DEMO_YEAR = 2024;
const BUDGET_MS = 100;
/** Every projection table, copied with the events. */
const PROJECTIONS = ['case_projection', 'outreach_projection', 'outreach_themes', 'sweep_projection', 'sweep_totals'];

/** One SQL connection the loader drives, whichever the store. */
interface Sql {
  exec(sql: string): Promise<void>;
  all<T>(sql: string): Promise<T[]>;
  columns(table: string): Promise<string[]>;
  close(): Promise<void>;
}

function sqliteSql(file: string, bulk: boolean): Sql {
  const db = new Database(file);
  // A throw-away bench file: nothing to protect from a crash while loading it. The store left
  // it in WAL mode, where OFF is refused and 10M rows would go through an 8 GB WAL first.
  if (bulk) {
    db.pragma('journal_mode = DELETE');
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1000000');
  }
  return {
    exec: async (sql) => void db.exec(sql),
    all: async <T>(sql: string) => db.prepare(sql).all() as T[],
    columns: async (table) => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name),
    close: async () => void db.close(),
  };
}

async function postgresSql(url: string): Promise<Sql> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    exec: async (sql) => void (await client.query(sql)),
    all: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    columns: async (table) =>
      (
        await client.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position',
          [table],
        )
      ).rows.map((r) => r.column_name),
    close: () => client.end(),
  };
}

/**
 * The copy of column `col` of source row `s` for copy `c` (c.tag: a unique id prefix, c.usuf:
 * the town's unit suffix, c.k: years back): ids made unique, units moved to the copy's town,
 * years and dates moved back k years. Generic over the columns, so that a projection column
 * added later is copied as it is.
 */
function copyExpr(col: string): string {
  const s = `s.${col}`;
  if (col === 'id' || col === 'subject_id') return `c.tag || ${s}`;
  if (col === 'org_unit_id' || col === 'committee_id') return `CASE WHEN ${s} = '${COUNTY_ID}' THEN ${s} ELSE ${s} || c.usuf END`;
  if (col === 'year' || col.endsWith('_year')) return `${s} - c.k`;
  if (col === 'occurred_at' || col.endsWith('_date'))
    return `CASE WHEN ${s} IS NULL THEN NULL ELSE CAST(CAST(substr(${s}, 1, 4) AS INTEGER) - c.k AS TEXT) || substr(${s}, 5) END`;
  return s;
}

/**
 * Grows the demo (one town, one year) to `towns` towns × `years` years in place. Dates copied
 * to a year without 29 February keep that day: the summary reads years and months only.
 */
async function copyDemo(sql: Sql, dialect: 'sqlite' | 'postgres', towns: number, years: number): Promise<void> {
  await sql.exec(`CREATE TEMP TABLE copies (t INTEGER NOT NULL, k INTEGER NOT NULL, tag TEXT NOT NULL, usuf TEXT NOT NULL)`);
  const pairs: string[] = [];
  for (let t = 0; t < towns; t++)
    for (let k = 0; k < years; k++) if (t || k) pairs.push(`(${t}, ${k}, '${String(t).padStart(4, '0')}${k}~', '${t ? `~${t}` : ''}')`);
  for (let i = 0; i < pairs.length; i += 500) await sql.exec(`INSERT INTO copies (t, k, tag, usuf) VALUES ${pairs.slice(i, i + 500).join(', ')}`);

  // The other towns' trees: every unit of the demo but the county, under the county.
  const units = await sql.columns('org_units');
  const unitExpr = (col: string) =>
    col === 'id' || col === 'parent_id'
      ? `CASE WHEN s.${col} = '${COUNTY_ID}' THEN s.${col} ELSE s.${col} || c.usuf END`
      : col === 'code'
        ? `s.code || c.usuf`
        : col === 'name'
          ? `s.name || c.t`
          : `s.${col}`;
  await sql.exec(
    `INSERT INTO org_units (${units.join(', ')}) SELECT ${units.map(unitExpr).join(', ')}
     FROM org_units s CROSS JOIN copies c WHERE c.k = 0 AND s.id <> '${COUNTY_ID}'`,
  );

  for (const table of ['events', ...PROJECTIONS]) {
    const cols = (await sql.columns(table)).filter((col) => col !== 'seq');
    await sql.exec(`CREATE TEMP TABLE demo_${table} AS SELECT * FROM ${table}`);
    // PostgreSQL's seq is assigned by the store from sync_counter; SQLite's is the rowid.
    const seqCol = dialect === 'postgres' && table === 'events' ? 'seq, ' : '';
    const seqExpr = seqCol ? `(SELECT max(seq) FROM demo_events) + row_number() OVER (ORDER BY c.t, c.k, s.seq), ` : '';
    // Copy after copy, each in the demo's order (SQLite keeps a CROSS JOIN's left table outside):
    // ids led by the copy's tag then land together in every index, which keeps 10M inserts fast.
    await sql.exec(
      `INSERT INTO ${table} (${seqCol}${cols.join(', ')}) SELECT ${seqExpr}${cols.map(copyExpr).join(', ')} FROM copies c CROSS JOIN demo_${table} s`,
    );
  }
  if (dialect === 'postgres') await sql.exec('UPDATE sync_counter SET last_seq = (SELECT max(seq) FROM events) WHERE id = 1');
  // The rollup the summary reads, made from the copied projections in one statement: migration
  // 540's backfill (pushes would have added the same rows one batch at a time).
  await sql.exec('DELETE FROM stats_rollup');
  await sql.exec(ROLLUP_BACKFILL_SQL);
  // Statistics for the tables the summary reads (a full ANALYZE of 10M events takes minutes).
  for (const table of [...PROJECTIONS, 'stats_rollup']) await sql.exec(`ANALYZE ${table}`);
}

interface Measured {
  events: number;
  cases: number;
  units: number;
  coldMs: number;
  medianMs: number;
  runs: number;
  resolved: number;
  loadSeconds: number;
  peerMs: number;
}

async function measure(
  open: () => Promise<Store>,
  raw: (bulk: boolean) => Promise<Sql>,
  dialect: 'sqlite' | 'postgres',
  target: number,
  dataDir: string,
): Promise<Measured> {
  const config = { ...readConfig({}), dataDir, distDir: path.join(dataDir, 'no-dist'), log: 'off' as const };
  const started = performance.now();
  let store = await open();
  const demo = await loadDemo(store, config, { password: PASSWORD });
  await store.close();
  if (!demo.ok) throw new Error(demo.message);
  const loader = await raw(true);
  let towns: number;
  try {
    const [demoEvents] = await loader.all<{ n: number }>('SELECT count(*) AS n FROM events');
    const copies = Math.max(1, Math.ceil(target / Number(demoEvents!.n)));
    // At least two towns, so that the check that the towns add up means something.
    const years = Math.min(10, Math.max(1, Math.floor(copies / 2)));
    towns = Math.ceil(copies / years);
    process.stdout.write(`  summary (${dialect}): copying the demo into ${towns} towns × ${years} years\n`);
    await copyDemo(loader, dialect, towns, years);
  } finally {
    await loader.close();
  }
  const loadSeconds = (performance.now() - started) / 1000;

  store = await open();
  try {
    const app = buildApp({ store, config });
    const admin = demo.users.find((u) => u.roles.some((r) => r.role === 'admin'))!;
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.username, password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const url = `/api/stats/summary?year=${DEMO_YEAR}&orgUnitId=${COUNTY_ID}`;
    const times: number[] = [];
    let resolved = 0;
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      const res = await app.request(url, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`summary → ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { mediation: { resolved: number } };
      times.push(performance.now() - t0);
      resolved = body.mediation.resolved;
    }
    // The demo's own year, in one town: a copy is faithful when every town resolved as many.
    const one = await app.request(`/api/stats/summary?year=${DEMO_YEAR}&orgUnitId=${demo.townId}`, { headers: { authorization: `Bearer ${token}` } });
    const perTown = ((await one.json()) as { mediation: { resolved: number } }).mediation.resolved;
    if (resolved !== perTown * towns) throw new Error(`copied towns do not add up: ${resolved} resolved ≠ ${towns} × ${perTown}`);

    const reader = await raw(false);
    let peerMs: number;
    let sizes: { events: number; cases: number; units: number };
    try {
      const json = dialect === 'sqlite' ? `json_extract(body, '$.data.result')` : `body::jsonb -> 'data' ->> 'result'`;
      const t0 = performance.now();
      await reader.all(
        `SELECT substr(occurred_at, 1, 7) AS month, count(*) AS n FROM events
         WHERE type = 'case.closed' AND occurred_at LIKE '${DEMO_YEAR}-%' AND ${json} = 'success' GROUP BY substr(occurred_at, 1, 7)`,
      );
      peerMs = performance.now() - t0;
      const [row] = await reader.all<{ events: number; cases: number; units: number }>(
        `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM case_projection) AS cases, (SELECT count(*) FROM org_units) AS units`,
      );
      sizes = { events: Number(row!.events), cases: Number(row!.cases), units: Number(row!.units) };
    } finally {
      await reader.close();
    }
    return { ...sizes, coldMs: times[0]!, medianMs: median(times.slice(1)), runs: times.length - 1, resolved, loadSeconds, peerMs };
  } finally {
    await store.close();
  }
}

function rowOf(dialect: string, m: Measured, judged: boolean): BenchRow {
  return {
    id: 'summary',
    measure: `year summary of a county over ${count(m.events)} events, ${count(m.cases)} cases, ${count(m.units)} units (${dialect}, median of ${m.runs}; data built in ${m.loadSeconds.toFixed(0)} s)`,
    ours: `${m.medianMs.toFixed(1)} ms (first ${m.coldMs.toFixed(0)} ms)`,
    peer: `JSON rescan of events, one breakdown only: ${count(m.peerMs)} ms (resolved ${DEMO_YEAR}: ${count(m.resolved)})`,
    budget: `≤ ${BUDGET_MS} ms`,
    ok: judged ? m.medianMs <= BUDGET_MS : undefined,
  };
}

async function onSqlite(target: number): Promise<Measured> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-summary-'));
  try {
    return await measure(
      async () => openSqliteStore(dataDir),
      async (bulk) => sqliteSql(path.join(dataDir, 'taizhang.sqlite'), bulk),
      'sqlite',
      target,
      dataDir,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres(databaseUrl: string, target: number): Promise<Measured> {
  const name = `bench_summary_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-summary-pg-'));
  try {
    return await measure(
      () => openPostgresStore(url.href, { dataDir }),
      () => postgresSql(url.href),
      'postgres',
      target,
      dataDir,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const TARGETS: Record<BenchContext['mode'], { sqlite: number; postgres: number }> = {
  full: { sqlite: 10_000_000, postgres: 1_000_000 },
  quick: { sqlite: 1_000_000, postgres: 200_000 },
  // Two copies: the copying and the check that the towns add up still run.
  smoke: { sqlite: 10_000, postgres: 10_000 },
};

export const step: BenchStep = {
  id: 'summary',
  async run(ctx) {
    const judged = ctx.mode !== 'smoke';
    const target = TARGETS[ctx.mode];
    const rows = [rowOf('SQLite', await onSqlite(target.sqlite), judged)];
    if (!ctx.databaseUrl) {
      rows.push({
        id: 'summary',
        measure: `year summary of a county over ${count(target.postgres)} events (PostgreSQL)`,
        ours: 'skipped: no DATABASE_URL',
        peer: '',
        budget: `≤ ${BUDGET_MS} ms`,
        ok: undefined,
      });
    } else rows.push(rowOf('PostgreSQL', await onPostgres(ctx.databaseUrl, target.postgres), judged));
    return rows;
  },
};
