// PostgreSQL store, for a county or a city with several stateless API servers behind a load
// balancer. `schema` isolates test runs (each test file gets its own).
import pg from 'pg';
import { migratePostgres } from '../migrations.ts';
import type { Store } from '../store.ts';
import { postgresAccountStore } from './accounts.ts';
import { postgresAttachmentStore } from './attachments.ts';
import { postgresEventStore } from './events.ts';
import { postgresOfficeStore } from './office.ts';

export interface PostgresOptions {
  /** Where photos stored before attachment_blobs live (read only; new photos go to the table). */
  dataDir: string;
  schema?: string;
}

export async function openPostgresStore(url: string, { dataDir, schema }: PostgresOptions): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  if (schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await migratePostgres(pool);
  return {
    kind: 'postgres',
    ...postgresAccountStore(pool),
    ...postgresEventStore(pool, dataDir),
    ...postgresOfficeStore(pool),
    ...postgresAttachmentStore(pool, dataDir),
    async close() {
      await pool.end();
    },
  };
}
