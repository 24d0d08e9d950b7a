// Photos kept on the phone (blobs store, keyed by SHA-256 of the bytes): saved with their
// event in recordEvents, uploaded by the sender before the events that name them, and kept
// offline after upload so records still show their pictures.
import { notifyStorageChanged } from './changes.ts';
import { openDb, type BlobRecord } from './db.ts';
import { inWriteTx } from './tx.ts';

/** Photos not yet uploaded, oldest first. */
export async function pendingBlobs(): Promise<BlobRecord[]> {
  const db = await openDb();
  const all = await db.getAll('blobs');
  return all.filter((b) => !b.uploaded).sort((a, b) => a.createdAt - b.createdAt);
}

export async function markBlobUploaded(sha256: string): Promise<void> {
  await inWriteTx(['blobs'], async (tx) => {
    const blobs = tx.objectStore('blobs');
    const held = await blobs.get(sha256);
    if (held && !held.uploaded) await blobs.put({ ...held, uploaded: true });
  });
  notifyStorageChanged();
}

export async function getBlob(sha256: string): Promise<BlobRecord | undefined> {
  const db = await openDb();
  return db.get('blobs', sha256);
}
