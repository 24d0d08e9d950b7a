// Drafts: what a user typed into a form and has not saved yet, one row per open form. The
// form debounces saveDraft and flushes it on pagehide and before an update reload; a saved
// record clears its draft in the same transaction (recordEvents' clearDraft).
import { openDb, type DraftRecord } from './db.ts';
import { inWriteTx } from './tx.ts';

export async function saveDraft(key: string, form: string, values: unknown): Promise<void> {
  // The browser's default durability: a draft is written every pause in typing, and one lost
  // with a crash is typed again, which a flush to disk on each would not be worth.
  await inWriteTx(
    ['drafts'],
    async (tx) => {
      await tx.objectStore('drafts').put({ key, form, values, updatedAt: Date.now() });
    },
    { durability: 'default' },
  );
}

export async function loadDraft(key: string): Promise<DraftRecord | undefined> {
  const db = await openDb();
  return db.get('drafts', key);
}

export async function deleteDraft(key: string): Promise<void> {
  await inWriteTx(['drafts'], async (tx) => {
    await tx.objectStore('drafts').delete(key);
  });
}

export async function listDrafts(): Promise<DraftRecord[]> {
  const db = await openDb();
  return db.getAll('drafts');
}
