import type pg from 'pg';
import type { EventStore } from '../event-store.ts';

export function postgresEventStore(_pool: pg.Pool, _dataDir: string): EventStore {
  return {};
}
