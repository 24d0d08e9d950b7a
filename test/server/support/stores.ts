// The stores every server test runs on: SQLite always (a file in a fresh temp dir), PostgreSQL
// when DATABASE_URL is set (a fresh schema per open, dropped on dispose). Use with
// `describe.each(storeCases())('$name', (storeCase) => …)`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../../../src/server/storage/postgres/index.ts';
import { openSqliteStore } from '../../../src/server/storage/sqlite/index.ts';
import type { Store } from '../../../src/server/storage/store.ts';

export interface OpenedStore {
  store: Store;
  /** Temp directory for files (attachments); removed on dispose. */
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL schema of this store, when it is one. */
  schema: string | undefined;
  dispose(): Promise<void>;
}

export interface StoreCase {
  name: 'sqlite' | 'postgres';
  /** Opens a fresh, empty, migrated store. */
  open(): Promise<OpenedStore>;
}

const databaseUrl = process.env.DATABASE_URL || undefined;
const SKIP_NOTICE = Symbol.for('taizhang.postgresSkipNotice');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'taizhang-test-'));
}

const sqliteCase: StoreCase = {
  name: 'sqlite',
  async open() {
    const dataDir = tempDir();
    const store = openSqliteStore(dataDir);
    return {
      store,
      dataDir,
      databaseUrl: undefined,
      schema: undefined,
      async dispose() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

function postgresCase(url: string): StoreCase {
  return {
    name: 'postgres',
    async open() {
      const dataDir = tempDir();
      const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
      const store = await openPostgresStore(url, { dataDir, schema });
      return {
        store,
        dataDir,
        databaseUrl: url,
        schema,
        async dispose() {
          await store.close();
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          } finally {
            await client.end();
          }
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

export function storeCases(): StoreCase[] {
  if (databaseUrl) return [sqliteCase, postgresCase(databaseUrl)];
  const g = globalThis as Record<symbol, unknown>;
  if (!g[SKIP_NOTICE]) {
    g[SKIP_NOTICE] = true;
    console.log('PostgreSQL run skipped: DATABASE_URL is not set');
  }
  return [sqliteCase];
}
