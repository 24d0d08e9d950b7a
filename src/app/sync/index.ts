// The sync engine wired to this page: the phone's storage, the browser's fetch and Web Locks,
// and the triggers (start, `online`, the page becoming visible, Background Sync's SYNC_NOW
// from the service worker, new records saved, the timer, the 立即同步 button, and the live
// channel saying the server has new events, net/live.ts). The session starts it with the
// user's credentials (startSync) and stops it on logout.
import { effect, signal } from '@preact/signals';
import {
  ackOutbox,
  applyPulled,
  countOutbox,
  exportOutbox,
  getCursor,
  getGeneration,
  getPullResume,
  listOutbox,
  markBlobUploaded,
  pendingBlobs,
  pendingOutbox,
  rejectedOutbox,
  retryRejected,
  startOver,
  storageChanged,
} from '../storage/index.ts';
import { nowIsoWithOffset } from '#shared/time';
import { saveFile } from '../net/download.ts';
import { createLiveChannel } from '../net/live.ts';
import { unlessUpdateRequired } from '../net/update.ts';
import { createSyncEngine, type EngineDeps } from './engine.ts';
import { countRecords } from './format.ts';
import { lastSuccessAt, noteRun } from './log.ts';
import type { RejectedEntry } from './SyncStatusView.tsx';

const BACKGROUND_SYNC_TAG = 'taizhang-outbox';

export interface SyncHooks {
  credentials: EngineDeps['credentials'];
  onUnauthorized(message?: string): void;
  onSynced(): void;
}

/** Whether the browser believes it has a network (the header shows 离线 when not). */
export const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
/**
 * The outbox as the header counts it: records (subjects), not events, since a case with its
 * registration and two sessions is one record to the worker. Re-read after every storage commit.
 */
export const outboxCounts = signal({ pending: 0, rejected: 0 });
/**
 * Counts the sync runs that brought others' records (a live announcement, the timer, a tap):
 * screens that show figures read from the server (the office dashboard) read them again.
 */
export const pulledRuns = signal(0);

let hooks: SyncHooks | undefined;

export const syncEngine = createSyncEngine({
  store: { pendingOutbox, ackOutbox, countOutbox, pendingBlobs, markBlobUploaded, getCursor, getGeneration, getPullResume, applyPulled, startOver },
  fetch: (input, init) => fetch(input, init),
  credentials: () => unlessUpdateRequired(() => hooks?.credentials() ?? Promise.resolve(undefined)),
  onUnauthorized: (message) => hooks?.onUnauthorized(message),
  onSynced: () => hooks?.onSynced(),
  onFailed: () => void registerBackgroundSync(),
  // A restart must not make a phone that synced an hour ago read 尚未同步.
  lastSyncedAt: lastSuccessAt(),
  onRun: (report, trigger) => {
    noteRun(report, trigger, Date.now());
    if (report.pulled > 0) pulledRuns.value = pulledRuns.value + 1;
  },
});

export function syncNow(): void {
  void syncEngine.syncNow('button');
}

/** Starts syncing for a logged-in session; the returned function stops it (logout, 401). */
export function startSync(h: SyncHooks): () => void {
  hooks = h;
  // The listeners below live only while someone is logged in: the network may have come back
  // while the login screen was up, and a stale 离线 would sit over records that are uploading.
  online.value = navigator.onLine;
  let previousPending: number | undefined;
  let recordedTimer: ReturnType<typeof setTimeout> | undefined;

  const refreshCounts = async () => {
    const counts = await countOutbox();
    outboxCounts.value = countRecords(await listOutbox());
    // More pending than before means new records (or a resend): send them soon. Fewer means
    // acks coming in, which must not start another run.
    if (previousPending !== undefined && counts.pending > previousPending) {
      clearTimeout(recordedTimer);
      recordedTimer = setTimeout(() => void syncEngine.syncNow('recorded'), 1_000);
    }
    previousPending = counts.pending;
  };
  const stopWatching = effect(() => {
    void storageChanged.value;
    void refreshCounts();
  });
  // Another tab's run changes the outbox without a commit in this tab: re-count after each
  // run this tab tried (a run that found the lock taken included).
  let wasRunning = false;
  const stopRecount = effect(() => {
    const running = syncEngine.state.value.running;
    if (wasRunning && !running) void refreshCounts();
    wasRunning = running;
  });

  // Open while the page is seen and the network is up: a phone in a pocket holds no connection.
  const live = createLiveChannel({
    fetch: (input, init) => fetch(input, init),
    token: async () => (await unlessUpdateRequired(() => hooks?.credentials() ?? Promise.resolve(undefined)))?.token,
    onReady: () => void syncEngine.syncNow('live'),
    // Only what this phone has not pulled yet (its own push comes back announced too).
    onEvents: (seq) => void getCursor().then((cursor) => (seq > cursor ? syncEngine.syncNow('live') : undefined)),
  });
  const liveWanted = () => navigator.onLine && document.visibilityState === 'visible';
  if (liveWanted()) live.connect();

  const onOnline = () => {
    online.value = true;
    void syncEngine.syncNow('online');
    live.connect();
  };
  const onOffline = () => {
    online.value = false;
    live.disconnect();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') void syncEngine.syncNow('visible');
    if (liveWanted()) live.connect();
    else live.disconnect();
  };
  const onMessage = (e: MessageEvent) => {
    if ((e.data as { type?: string } | null)?.type === 'SYNC_NOW') void syncEngine.syncNow('background-sync');
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', onVisible);
  navigator.serviceWorker?.addEventListener('message', onMessage);
  // addEventListener (unlike onmessage) does not open the worker's message queue by itself.
  navigator.serviceWorker?.startMessages();
  syncEngine.start();

  return () => {
    live.disconnect();
    syncEngine.stop();
    stopWatching();
    stopRecount();
    clearTimeout(recordedTimer);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    document.removeEventListener('visibilitychange', onVisible);
    navigator.serviceWorker?.removeEventListener('message', onMessage);
    hooks = undefined;
  };
}

/** Asks the browser to wake the service worker when the network returns (where it can). */
async function registerBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = (await navigator.serviceWorker.getRegistration()) as
      (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
    await registration?.sync?.register(BACKGROUND_SYNC_TAG);
  } catch {
    // Not supported or not allowed: the timer and the `online` event still send.
  }
}

/** The entries the server refused, with its reasons, oldest first. */
export function listRejected(): Promise<RejectedEntry[]> {
  return rejectedOutbox();
}

/** Sends a refused record again (after the user fixed what the reason said). */
export async function resendRejected(id: string): Promise<void> {
  await retryRejected(id);
  void syncEngine.syncNow('button');
}

/** Unsent records (pending or refused), counted as the header counts them. */
export async function unsentRecords(): Promise<number> {
  const { pending, rejected } = countRecords(await listOutbox());
  return pending + rejected;
}

/** Saves the unsent records (and their photos) as a file the office can import. */
export async function downloadOutbox(): Promise<void> {
  const blob = await exportOutbox();
  // The phone's local time: the name is read by people, who would take a UTC stamp for the wrong day or hour.
  const stamp = nowIsoWithOffset(new Date()).slice(0, 16).replace(/[-:T]/g, '');
  saveFile(blob, `法治台账-未上传-${stamp}.json`);
}
