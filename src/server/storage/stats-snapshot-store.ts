// Several statistics reads in ONE snapshot: a pivot is a period's aggregates month by month,
// the same months last year and the period before (up to 36 queries); read one by one, a push
// committing between them showed a table no committed state ever had. Each store runs them in
// one read transaction (SQLite: one job of the connection's queue; PostgreSQL: REPEATABLE READ
// READ ONLY), with the same SQL as statsAggregates (storage/event-sql.ts STATS_SQL).
import type { EventStore, StatsAggregates } from './event-store.ts';

export type StatsQuery = Parameters<EventStore['statsAggregates']>[0];

export interface StatsSnapshotStore {
  /** The aggregates of every query, in order, all from one snapshot. */
  statsSnapshot(queries: readonly StatsQuery[]): Promise<StatsAggregates[]>;
}
