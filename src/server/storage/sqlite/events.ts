import type Database from 'better-sqlite3';
import type { EventStore } from '../event-store.ts';

export function sqliteEventStore(_db: Database.Database, _dataDir: string): EventStore {
  return {};
}
