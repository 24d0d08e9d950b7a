// Every GROUP BY of the year summary is answered from a covering index on SQLite: a table
// lookup per row is what made a county's summary slow (the bench's summary row measures the
// time; this pins the plan, which a new column or index must keep).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { STATS_SQL } from '../../src/server/storage/event-sql.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';

let dir: string;
let db: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stats-plan-'));
  await openSqliteStore(dir).close();
  db = new Database(path.join(dir, 'taizhang.sqlite'), { readonly: true });
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

test.each(Object.entries(STATS_SQL))('the %s aggregate reads only a covering index', (_name, sql) => {
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ 1: 2024, 2: 1, 3: 12 }) as { detail: string }[]).map((r) => r.detail);
  const reads = plan.filter((d) => /^(SCAN|SEARCH)/.test(d));
  expect(reads.length, plan.join(' | ')).toBeGreaterThan(0);
  for (const d of reads) expect(d).toMatch(/USING COVERING INDEX/);
});
