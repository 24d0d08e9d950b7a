// PostgreSQL implementation of the one-snapshot statistics reads (see stats-snapshot-store.ts).
import type pg from 'pg';
import type { StatsAggregates } from '../event-store.ts';
import { STATS_SQL } from '../event-sql.ts';
import type { StatsSnapshotStore } from '../stats-snapshot-store.ts';

export function postgresStatsSnapshot(pool: pg.Pool): StatsSnapshotStore {
  return {
    async statsSnapshot(queries) {
      const client = await pool.connect();
      try {
        // The snapshot is taken at the first query and held to the COMMIT.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const out: StatsAggregates[] = [];
        for (const { year, fromMonth, toMonth } of queries) {
          const q = async <T>(sql: string): Promise<T[]> => (await client.query(sql, [year, fromMonth, toMonth])).rows as T[];
          out.push({
            accepted: await q(STATS_SQL.accepted),
            closed: await q(STATS_SQL.closed),
            outreach: await q(STATS_SQL.outreach),
            outreachThemes: await q(STATS_SQL.outreachThemes),
            sweeps: await q(STATS_SQL.sweeps),
            seq: Number((await client.query<{ n: string }>('SELECT coalesce(max(seq), 0) AS n FROM events')).rows[0]?.n ?? 0),
          });
        }
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}
