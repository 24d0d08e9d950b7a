// What the rest of the app watches in storage: a counter bumped after every committed write
// (lists and the header re-read on it) and the rows that failed the schema when read back.
import { signal } from '@preact/signals';

/** Bumped after each committed write; read `.value` in a component or effect to re-query. */
export const storageChanged = signal(0);

// Other tabs of the app share the database: they hear of each commit and re-query too.
let channel: BroadcastChannel | undefined;
function otherTabs(): BroadcastChannel | undefined {
  if (channel || typeof window === 'undefined' || typeof BroadcastChannel === 'undefined') return channel;
  channel = new BroadcastChannel('taizhang-storage');
  channel.onmessage = () => {
    storageChanged.value = storageChanged.value + 1;
  };
  return channel;
}

export function notifyStorageChanged(): void {
  storageChanged.value = storageChanged.value + 1;
  otherTabs()?.postMessage('changed');
}

/** Starts listening for other tabs' commits (the page calls this once at start). */
export function listenToOtherTabs(): void {
  otherTabs();
}

export interface StorageProblem {
  /** The event id of the row. */
  id: string;
  subjectId?: string;
  message: string;
  /** A type this version does not know: written by a newer one (the server was updated first), readable once the app is. */
  newer?: boolean;
}

/**
 * Rows in IndexedDB that the current schema refuses (written by an older or newer version).
 * They stay in the database untouched and are left out of folds; the app shows them.
 */
export const storageProblems = signal<readonly StorageProblem[]>([]);

export function reportProblems(found: StorageProblem[], subjectIds: Iterable<string>): void {
  const touched = new Set(subjectIds);
  const kept = storageProblems.value.filter((p) => p.subjectId === undefined || !touched.has(p.subjectId));
  if (kept.length === storageProblems.value.length && found.length === 0) return;
  storageProblems.value = [...kept, ...found];
}
