// PostgreSQL store, for a county or a city with several stateless API servers behind a load
// balancer. `schema` isolates test runs (each test file gets its own). Connections, their
// timeouts and what a lost one does: connections.ts.
import { DEFAULT_POSTGRES_LIMITS, type PostgresLimits } from '../../config.ts';
import { migratePostgres } from '../migrations.ts';
import type { Store } from '../store.ts';
import { postgresAccountStore } from './accounts.ts';
import { openPool, slotLimiter, withSetupClient } from './connections.ts';
import { postgresAttachmentStore } from './attachments.ts';
import { postgresEventStore } from './events.ts';
import { mintOnNewTimeline, postgresLogIdentity } from './log-identity.ts';
import { postgresOfficeStore } from './office.ts';
import { postgresReturnsStore } from './returns.ts';
import { postgresSharedState } from './shared-state.ts';
import { postgresStatsSnapshot } from './stats-snapshot.ts';
import { postgresSubsidyStore } from './subsidy.ts';

export interface PostgresOptions {
  /** Where photos stored before attachment_blobs live (read only; new photos go to the table). */
  dataDir?: string;
  schema?: string;
  limits?: Partial<PostgresLimits>;
}

export async function openPostgresStore(url: string, { dataDir, schema, limits: given }: PostgresOptions = {}): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const limits: PostgresLimits = { ...DEFAULT_POSTGRES_LIMITS, ...given };
  if (schema) await withSetupClient(url, limits, (setup) => setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`));
  const migrations = openPool({ url, limits, schema, forMigrations: true });
  try {
    await migratePostgres(migrations);
    const failover = await mintOnNewTimeline(migrations);
    if (failover) {
      console.log(
        `PostgreSQL is on WAL timeline ${failover.to}, the log's generation was minted on ${failover.from} (a promoted replica or a point-in-time recovery): ` +
          `new generation ${failover.generation}; phones will offer their records again`,
      );
    }
  } finally {
    await migrations.end();
  }
  const pool = openPool({ url, limits, schema });
  const events = postgresEventStore(pool);
  const pushSlot = slotLimiter(limits.pushConnections, limits.lockTimeoutMs);
  return {
    kind: 'postgres',
    ...postgresAccountStore(pool),
    ...events,
    // At most pushConnections of the pool wait on the push lock: reads always find a connection.
    transactPush: (fn) => pushSlot(() => events.transactPush(fn)),
    ...postgresOfficeStore(pool),
    ...postgresReturnsStore(pool),
    ...postgresSharedState(pool),
    ...postgresAttachmentStore(pool, dataDir),
    ...postgresLogIdentity(pool),
    ...postgresStatsSnapshot(pool),
    ...postgresSubsidyStore(pool),
    async close() {
      await pool.end();
    },
  };
}
