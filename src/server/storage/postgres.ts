// PostgreSQL store, for a county or a city with several stateless API servers.
import pg from 'pg';
import type { Store } from './store.ts';

export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('select 1');
  return {
    kind: 'postgres',
    async close() {
      await pool.end();
    },
  };
}
