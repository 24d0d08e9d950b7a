// SQLite store (the default): one file in DATA_DIR, WAL with synchronous=FULL, so that an
// acknowledged push survives a crash or a power cut. One connection; its statements are queued
// one store call at a time so that none lands inside an open push transaction.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { migrateSqlite } from '../migrations.ts';
import type { Store } from '../store.ts';
import { sqliteAccountStore } from './accounts.ts';
import { sqliteAttachmentStore } from './attachments.ts';
import { sqliteEventStore } from './events.ts';
import { sqliteLogIdentity } from './log-identity.ts';
import { sqliteOfficeStore } from './office.ts';
import { sqliteReturnsStore } from './returns.ts';
import { createCheckpointer } from './checkpointer.ts';
import { createSerial, serialized } from './serial.ts';
import { sqliteSharedState } from './shared-state.ts';
import { sqliteStatsSnapshot } from './stats-snapshot.ts';
import { sqliteSubsidyStore } from './subsidy.ts';

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/**
 * Refuses to open a database file that exists but is empty or not SQLite (a truncated copy, a
 * restore gone wrong): better-sqlite3 would start an empty database over it and the server would
 * look like a first start with no records. Only a missing file is a real first start.
 */
function checkDatabaseFile(file: string): void {
  if (!existsSync(file)) return;
  if (statSync(file).size === 0) throw new Error(`数据库文件 ${file} 为空（0 字节），拒绝启动：请从备份恢复该文件，或确认是首次启动后删除它`);
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw new Error(`数据库文件 ${file} 不是 SQLite 数据库，拒绝启动：请检查 DATA_DIR 或从备份恢复`);
}

export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'taizhang.sqlite');
  checkDatabaseFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateSqlite(db);
  // Every statement waits for an open push transaction to commit (sqlite/serial.ts).
  const serial = createSerial();
  const checkpointer = createCheckpointer(
    file,
    (pages) => db.pragma(`wal_autocheckpoint = ${pages}`),
    createRequire(import.meta.url).resolve('better-sqlite3'),
  );
  const { transactPush, ...events } = sqliteEventStore(db, serial, checkpointer);
  return {
    kind: 'sqlite',
    ...serialized(sqliteAccountStore(db), serial),
    ...serialized(events, serial),
    transactPush,
    ...serialized(sqliteOfficeStore(db), serial),
    ...serialized(sqliteReturnsStore(db), serial),
    ...serialized(sqliteSharedState(db), serial),
    ...serialized(sqliteAttachmentStore(db, dataDir), serial),
    ...serialized(sqliteLogIdentity(db), serial),
    ...serialized(sqliteStatsSnapshot(db), serial),
    ...serialized(sqliteSubsidyStore(db), serial),
    close: () =>
      serial.run(async () => {
        await checkpointer.close();
        db.close();
      }),
  };
}
