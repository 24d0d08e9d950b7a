// Numbered SQL migrations, run at start, each once, in a transaction with its bookkeeping.
// Files: migrations/<sqlite|postgres>/NNN-name.sql. Accounts use 1xx, events 2xx,
// office/statistics 3xx, so that modules can add migrations independently.
import type Database from 'better-sqlite3';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));

function migrationFiles(kind: 'sqlite' | 'postgres'): { version: number; name: string; sql: string }[] {
  const dir = path.join(here, 'migrations', kind);
  return readdirSync(dir)
    .filter((f) => /^\d+-[\w-]+\.sql$/.test(f))
    .map((f) => ({ version: Number.parseInt(f, 10), name: f, sql: readFileSync(path.join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

/** Which migrations to run: all, or (tests opening a database at an older schema) those up to a version. */
export interface MigrateOptions {
  upTo?: number;
}

const wanted = (options: MigrateOptions) => (m: { version: number }) => options.upTo === undefined || m.version <= options.upTo;

export function migrateSqlite(db: Database.Database, options: MigrateOptions = {}): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  for (const m of migrationFiles('sqlite').filter(wanted(options))) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
}

export async function migratePostgres(pool: pg.Pool, options: MigrateOptions = {}): Promise<void> {
  const client = await pool.connect();
  try {
    // Several API servers may start at once: one migrates, the others wait for it.
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(7263001)');
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    for (const m of migrationFiles('postgres').filter(wanted(options))) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** The highest migration this build ships: a database below it is not ready for this code. */
export function latestMigration(kind: 'sqlite' | 'postgres'): number {
  return Math.max(0, ...migrationFiles(kind).map((m) => m.version));
}
