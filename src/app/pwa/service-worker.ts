// Registers the service worker and surfaces its lifecycle as signals: "可离线使用" once the
// shell is cached, "有新版本" when a new version waits. Only the user's tap sends SKIP_WAITING;
// the page reloads when the new worker takes control, after flushing open drafts.
import { signal } from '@preact/signals';
import type { Workbox } from 'workbox-window';

export const offlineReady = signal(false);
export const updateWaiting = signal(false);

let workbox: Workbox | undefined;
const beforeReload: (() => Promise<void>)[] = [];

/** Work that must finish before the page reloads into a new version (draft flushes). */
export function onBeforeUpdateReload(flush: () => Promise<void>): () => void {
  beforeReload.push(flush);
  return () => beforeReload.splice(beforeReload.indexOf(flush), 1);
}

/** Registers /sw.js; workbox-window is a lazy chunk, fetched after the first screen (not on its path). */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const { Workbox } = await import('workbox-window');
  workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => {
    updateWaiting.value = true;
  });
  // Said once, when the first version has been cached; later starts need no news.
  workbox.addEventListener('activated', (e) => {
    if (!e.isUpdate) offlineReady.value = true;
  });
  await workbox.register();
}

/** Runs every registered flush (each failure is its own: one bad draft must not block the rest). */
export async function runBeforeReload(): Promise<void> {
  await Promise.allSettled(beforeReload.map((f) => f()));
}

/** The user tapped "有新版本，点击更新": save what is open, then let the new worker take over. */
export async function applyUpdate(): Promise<void> {
  if (!workbox) return;
  await runBeforeReload();
  workbox.addEventListener('controlling', () => window.location.reload());
  workbox.messageSkipWaiting();
}

/** The server no longer serves this build: look for the new version now; once it waits, applyUpdate switches to it. */
export async function checkForUpdate(): Promise<void> {
  await workbox?.update().catch(() => undefined);
}

/** No new worker waits (none found yet, or no service worker): reload, drafts flushed first. */
export async function reloadForUpdate(): Promise<void> {
  await runBeforeReload();
  window.location.reload();
}
