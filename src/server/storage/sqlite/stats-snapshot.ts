// SQLite implementation of the one-snapshot statistics reads (see stats-snapshot-store.ts).
import type Database from 'better-sqlite3';
import type { StatsAggregates } from '../event-store.ts';
import { STATS_SQL } from '../event-sql.ts';
import type { StatsSnapshotStore } from '../stats-snapshot-store.ts';

export function sqliteStatsSnapshot(db: Database.Database): StatsSnapshotStore {
  const lastSeq = db.prepare<[], { n: number }>('SELECT coalesce(max(seq), 0) AS n FROM events');
  return {
    async statsSnapshot(queries) {
      // One read transaction: another process writing the same file commits between statements otherwise.
      db.exec('BEGIN');
      try {
        const out = queries.map(({ year, fromMonth, toMonth }): StatsAggregates => {
          // `$n` are named parameters to better-sqlite3, bound by an object keyed without the `$`.
          const q = <T>(sql: string) => db.prepare<[Record<string, number>], T>(sql).all({ 1: year, 2: fromMonth, 3: toMonth });
          return {
            accepted: q(STATS_SQL.accepted),
            closed: q(STATS_SQL.closed),
            outreach: q(STATS_SQL.outreach),
            outreachThemes: q(STATS_SQL.outreachThemes),
            sweeps: q(STATS_SQL.sweeps),
            seq: lastSeq.get()!.n,
          };
        });
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
  };
}
