// The phone's IndexedDB database 'taizhang': the schema, its numbered upgrades and the one
// open connection. Upgrades only ever add (stores, indexes, fields); they never drop data,
// because the outbox may hold records that exist nowhere else.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { DomainEvent } from '#shared/events';
import type { SubjectKind } from '#shared/events';
import type { SubjectState } from '#shared/fold/index';
import { summarizeCase, SUMMARY_VERSION, type CaseSummary } from './summaries.ts';

export const DB_NAME = 'taizhang';
const DB_VERSION = 4;

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
  summaries: {
    key: string;
    value: CaseSummary;
    indexes: {
      byOpened: [string, number];
      byStatus: [string, string, number];
      byDue: [string, string];
      byFollowupDue: [string, string];
      byPerformanceDue: [string, string];
      byOverdue: [string, number];
      byUnit: [string, string];
      byTerm: string;
      bySweep: string;
    };
  };
  /** Each case's 纠纷简要情况 alone (out-of-line key: the subject id): a search scans these strings, not the summaries. */
  caseTexts: { key: string; value: string };
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

/**
 * Version 3: a small summary of each case (what a list row shows and filters on) beside its
 * folded record, with indexes for the list's filters, due dates and search, so a list reads
 * one screen by index instead of every record. Filled by summarizeHeldRecords.
 */
export function upgradeToV3(db: IDBPDatabase<TaizhangDb>): void {
  const summaries = db.createObjectStore('summaries', { keyPath: 'subjectId' });
  summaries.createIndex('byOpened', ['kind', 'newestFirst']);
  summaries.createIndex('byStatus', ['kind', 'status', 'newestFirst']);
  summaries.createIndex('byDue', ['kind', 'dueDate']);
  summaries.createIndex('byFollowupDue', ['kind', 'followupDue']);
  summaries.createIndex('byPerformanceDue', ['kind', 'performanceDue']);
  summaries.createIndex('byOverdue', ['kind', 'overdueFromMs']);
  summaries.createIndex('byUnit', ['kind', 'unitId']);
  summaries.createIndex('byTerm', 'terms', { multiEntry: true });
  summaries.createIndex('bySweep', 'sweepId');
}

/** Version 4: each case's 纠纷简要情况 as a bare string, for the search's scan. Filled by summarizeHeldRecords. */
function upgradeToV4(db: IDBPDatabase<TaizhangDb>): void {
  db.createObjectStore('caseTexts');
}

/**
 * Builds, once, what the upgrade added (the summaries from version 3 on, the texts from 4 on)
 * from the records the phone already holds: their states are folded, no event is read. A
 * record that cannot be summarized is left out rather than failing the upgrade; refolds put it back.
 */
async function summarizeHeldRecords(tx: UpgradeTx, added: { summaries: boolean }): Promise<void> {
  let cursor = await tx.objectStore('records').index('byKind').openCursor('case');
  while (cursor) {
    const summary = summaryOf(cursor.value);
    if (summary) {
      if (added.summaries) await tx.objectStore('summaries').put(summary);
      await tx.objectStore('caseTexts').put(summary.about, summary.subjectId);
    }
    cursor = await cursor.continue();
  }
  await tx.objectStore('meta').put({ key: META_SUMMARY_VERSION, value: SUMMARY_VERSION });
}

/** Where the summaries' shape was last built; rebuilt from the records when it differs. */
export const META_SUMMARY_VERSION = 'summaryVersion';

/** The summary of a case's record, or undefined for other kinds and for states it cannot read. */
export function summaryOf(record: SubjectRecord): CaseSummary | undefined {
  if (record.kind !== 'case' || record.state.kind !== 'case') return undefined;
  try {
    return summarizeCase(record.state, record);
  } catch {
    return undefined;
  }
}

let opening: Promise<IDBPDatabase<TaizhangDb>> | undefined;

/** The database, opened (and upgraded) once per page. */
export function openDb(): Promise<IDBPDatabase<TaizhangDb>> {
  opening ??= openDB<TaizhangDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) upgradeToV1(db);
      if (oldVersion < 2) upgradeToV2(tx);
      if (oldVersion < 3) upgradeToV3(db);
      if (oldVersion < 4) {
        upgradeToV4(db);
        void summarizeHeldRecords(tx, { summaries: oldVersion < 3 });
      }
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
