// SQLite store (the default): one file in DATA_DIR, WAL with synchronous=FULL, so that an
// acknowledged push survives a crash or a power cut. One connection; its statements are queued
// one store call at a time so that none lands inside an open push transaction.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrateSqlite } from '../migrations.ts';
import type { Store } from '../store.ts';
import { sqliteAccountStore } from './accounts.ts';
import { sqliteEventStore } from './events.ts';
import { sqliteOfficeStore } from './office.ts';
import { createSerial, serialized } from './serial.ts';
import { sqliteSharedState } from './shared-state.ts';

export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'taizhang.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateSqlite(db);
  // Every statement waits for an open push transaction to commit (sqlite/serial.ts).
  const serial = createSerial();
  const { transactPush, ...events } = sqliteEventStore(db, serial);
  return {
    kind: 'sqlite',
    ...serialized(sqliteAccountStore(db), serial),
    ...serialized(events, serial),
    transactPush,
    ...serialized(sqliteOfficeStore(db), serial),
    ...serialized(sqliteSharedState(db), serial),
    close: () =>
      serial.run(async () => {
        db.close();
      }),
  };
}
