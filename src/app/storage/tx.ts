// Transactions on the phone's database: every storage module opens its transactions here, so
// each write has the same durability, waits for the same commit and rolls back the same way on
// a failure. "已保存" and every ack rest on this: a caller resumes only after the commit.
import type { IDBPTransaction, StoreNames } from 'idb';
import { openDb, type TaizhangDb } from './db.ts';

type StoreName = StoreNames<TaizhangDb>;

/**
 * A readwrite transaction seen through the wide store list. idb types a transaction by the
 * exact tuple of its stores; the helpers in records/outbox serve transactions of different
 * tuples, and each caller opens its transaction with every store the helpers it calls touch.
 */
export type WriteTx = IDBPTransaction<TaizhangDb, StoreName[], 'readwrite'>;
type ReadTx = IDBPTransaction<TaizhangDb, StoreName[], 'readonly'>;

interface WriteOptions {
  /**
   * 'strict' (the default): the commit is on disk before the promise resolves (Chrome's own
   * default lets it lag behind, and a phone that dies then loses what the user saw as saved).
   */
  durability?: IDBTransactionDurability;
}

/**
 * Runs `body` in one readwrite transaction over `stores` and resolves with its result after
 * the commit. When `body` throws, the transaction is aborted (nothing it wrote stays) and the
 * error is thrown on.
 */
export async function inWriteTx<T>(stores: readonly StoreName[], body: (tx: WriteTx) => Promise<T>, opts: WriteOptions = {}): Promise<T> {
  const db = await openDb();
  const tx = db.transaction([...stores], 'readwrite', { durability: opts.durability ?? 'strict' }) as WriteTx;
  let result: T;
  try {
    result = await body(tx);
  } catch (e) {
    abortQuietly(tx);
    throw e;
  }
  await tx.done;
  return result;
}

/** Runs `body` in one readonly transaction over `stores`: a consistent view of them. */
export async function inReadTx<T>(stores: readonly StoreName[], body: (tx: ReadTx) => Promise<T>): Promise<T> {
  const db = await openDb();
  const tx = db.transaction([...stores], 'readonly') as ReadTx;
  let result: T;
  try {
    result = await body(tx);
  } catch (e) {
    abortQuietly(tx);
    throw e;
  }
  await tx.done;
  return result;
}

/** Rolls back after a failure inside the transaction; its own rejection is expected then. */
function abortQuietly(tx: WriteTx | ReadTx): void {
  tx.done.catch(() => undefined);
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}
