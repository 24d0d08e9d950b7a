import type { Config } from '../config.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

/** PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) {
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(config.databaseUrl);
  }
  return openSqliteStore(config.dataDir);
}
