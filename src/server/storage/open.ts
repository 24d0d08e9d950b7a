import type { Config } from '../config.ts';
import { openPostgresStore } from './postgres/index.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store } from './store.ts';

/** PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'postgres'>): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore(config.databaseUrl, { dataDir: config.dataDir, ...(config.postgres ? { limits: config.postgres } : {}) });
  return openSqliteStore(config.dataDir);
}
