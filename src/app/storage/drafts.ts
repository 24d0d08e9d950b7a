// Drafts: what a user typed into a form and has not saved yet, one row per open form. The
// form debounces saveDraft and flushes it on pagehide and before an update reload; a saved
// record clears its draft in the same transaction (recordEvents' clearDraft).
import { openDb, type DraftRecord } from './db.ts';

export async function saveDraft(key: string, form: string, values: unknown): Promise<void> {
  const db = await openDb();
  await db.put('drafts', { key, form, values, updatedAt: Date.now() });
}

export async function loadDraft(key: string): Promise<DraftRecord | undefined> {
  const db = await openDb();
  return db.get('drafts', key);
}

export async function deleteDraft(key: string): Promise<void> {
  const db = await openDb();
  await db.delete('drafts', key);
}

export async function listDrafts(): Promise<DraftRecord[]> {
  const db = await openDb();
  return db.getAll('drafts');
}
