// The phone's IndexedDB database 'taizhang': the schema, its numbered upgrades and the one
// open connection. Upgrades only ever add (stores, indexes, fields); they never drop data,
// because the outbox may hold records that exist nowhere else.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { DomainEvent } from '#shared/events';
import type { SubjectKind } from '#shared/events';
import type { SubjectState } from '#shared/fold/index';

export const DB_NAME = 'taizhang';
const DB_VERSION = 2;

/** An event as the phone keeps it: the server's fields are there once it was pulled back. */
export type LocalEvent = DomainEvent & { seq?: number; authorId?: string; receivedAt?: string };

/** The folded state of one subject, rewritten in the same transaction as its events. */
export interface SubjectRecord {
  subjectId: string;
  kind: SubjectKind;
  state: SubjectState;
  /** ms since epoch of the last local write (for "recent first"). */
  updatedAt: number;
  /** Some of its events wait in the outbox. */
  pending: boolean;
  /** Some of its events were refused by the server and wait for the user. */
  rejected?: boolean;
}

export type OutboxStatus = 'pending' | 'rejected';

export interface OutboxEntry {
  /** The event id. */
  id: string;
  event: DomainEvent;
  /** ms since epoch. */
  queuedAt: number;
  attempts: number;
  status: OutboxStatus;
  error?: { code: string; message: string };
}

export interface DraftRecord {
  key: string;
  form: string;
  values: unknown;
  updatedAt: number;
}

export interface BlobRecord {
  sha256: string;
  blob: Blob;
  mime: string;
  size: number;
  width: number;
  height: number;
  thumb?: Blob;
  uploaded: boolean;
  /** ms since epoch. */
  createdAt: number;
}

interface MetaRecord {
  key: string;
  value: unknown;
}

export interface TaizhangDb extends DBSchema {
  events: { key: string; value: LocalEvent; indexes: { bySubject: string } };
  records: { key: string; value: SubjectRecord; indexes: { byKind: string; byUpdatedAt: number } };
  outbox: {
    key: string;
    value: OutboxEntry;
    indexes: { byQueuedAt: number; bySubject: string; byStatus: [string, number] };
  };
  drafts: { key: string; value: DraftRecord };
  blobs: { key: string; value: BlobRecord };
  meta: { key: string; value: MetaRecord };
}

type UpgradeTx = IDBPTransaction<TaizhangDb, StoreNames<TaizhangDb>[], 'versionchange'>;

/** Version 1: the stores and the indexes the first release shipped with. */
export function upgradeToV1(db: IDBPDatabase<TaizhangDb>): void {
  const events = db.createObjectStore('events', { keyPath: 'id' });
  events.createIndex('bySubject', 'subjectId');
  const records = db.createObjectStore('records', { keyPath: 'subjectId' });
  records.createIndex('byKind', 'kind');
  const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
  outbox.createIndex('byQueuedAt', 'queuedAt');
  outbox.createIndex('bySubject', 'event.subjectId');
  db.createObjectStore('drafts', { keyPath: 'key' });
  db.createObjectStore('blobs', { keyPath: 'sha256' });
  db.createObjectStore('meta', { keyPath: 'key' });
}

/**
 * Version 2: lists sort by last change, and the sender reads only pending entries (rejected
 * ones stay for the user) without scanning the whole queue.
 */
function upgradeToV2(tx: UpgradeTx): void {
  tx.objectStore('records').createIndex('byUpdatedAt', 'updatedAt');
  tx.objectStore('outbox').createIndex('byStatus', ['status', 'queuedAt']);
}

let opening: Promise<IDBPDatabase<TaizhangDb>> | undefined;

/** The database, opened (and upgraded) once per page. */
export function openDb(): Promise<IDBPDatabase<TaizhangDb>> {
  opening ??= openDB<TaizhangDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) upgradeToV1(db);
      if (oldVersion < 2) upgradeToV2(tx);
    },
    // Another tab holds an older version open: let it go so this one can upgrade.
    blocking() {
      void closeDb();
    },
  }).catch((e: unknown) => {
    opening = undefined;
    throw e;
  });
  return opening;
}

/** Closes the connection; the next openDb() opens it again (tests, version changes). */
export async function closeDb(): Promise<void> {
  const current = opening;
  opening = undefined;
  if (!current) return;
  try {
    (await current).close();
  } catch {
    // It never opened: nothing to close.
  }
}
