// The phone's start: what the first screen needs from IndexedDB is asked for the moment the
// entry runs, while the app's start chunk is still loading (the database opens, the cached
// session and, on 案件, the list's first page are read in parallel with it, not after its
// first render); and what the first screen does not need (the sync engine, the service
// worker's registration, the save step, rebuilding stale records) waits until that screen is
// shown. The screens on the capture path say when they are (firstScreenShown); any other start
// counts as shown a moment after the page has loaded.
import { openDb } from './storage/db.ts';
import { META_SESSION, readMeta } from './storage/meta.ts';
import { CASE_FIRST_ROWS, queryCases, type CasePage } from './storage/case-queries.ts';

/** A read started early: its promise, and its value once it has come. */
export interface EarlyRead<T> {
  promise: Promise<T>;
  value?: T;
}

/** After the page's load, a start whose screen never says it is shown counts as shown this much later. */
const SHOWN_FALLBACK_MS = 1000;
/** At most this long after the first screen, deferred work runs even if the browser never idles. */
const IDLE_TIMEOUT_MS = 1500;

let sessionRead: Promise<unknown> | undefined;
let casePage: EarlyRead<CasePage> | undefined;

function early<T>(promise: Promise<T>): EarlyRead<T> {
  const read: EarlyRead<T> = { promise };
  // A failed early read is read again by its screen; it must not be an unhandled rejection.
  promise.then(
    (value) => (read.value = value),
    () => undefined,
  );
  return read;
}

/** Called once by the entry, before the app loads: starts the reads the first screen waits for. */
export function startFirstScreen(path: string, search: string): void {
  const fallback = () => setTimeout(markShown, SHOWN_FALLBACK_MS);
  if (document.readyState === 'complete') fallback();
  else window.addEventListener('load', fallback, { once: true });
  void openDb().catch(() => undefined);
  sessionRead = readMeta(META_SESSION);
  sessionRead.catch(() => undefined);
  // The case list unfiltered (the 案件 tab, a start on /cases): its first screen, newest first.
  if (path === '/cases' && search === '') {
    casePage = early(queryCases({ status: '', type: '', text: '', due: '', sort: 'opened' }, CASE_FIRST_ROWS));
  }
}

/** The session read the entry started, once (the session controller's first load); later loads read again. */
export function takeSessionRead(): Promise<unknown> | undefined {
  const read = sessionRead;
  sessionRead = undefined;
  return read;
}

/** The case list's unfiltered first screen (its first rows and the count) the entry started reading, once. */
export function takeFirstCasePage(): EarlyRead<CasePage> | undefined {
  const read = casePage;
  casePage = undefined;
  return read;
}

let markShown: () => void = () => undefined;
const shown = new Promise<void>((resolve) => (markShown = resolve));

/**
 * The User Timing mark a start leaves when its first screen is drawn, in the page's own clock
 * (from navigation): what the bench reads, so that measuring does not run script in the page
 * while it starts.
 */
export const FIRST_SCREEN_MARK = 'taizhang:first-screen';
let marked = false;

/** The first screen is on screen (a capture form, the case list): deferred work may start. */
export function firstScreenShown(): void {
  if (!marked) {
    marked = true;
    performance.mark(FIRST_SCREEN_MARK);
  }
  markShown();
}

/** After the first screen is shown, a pause for its paint before deferred work is looked at. */
const AFTER_SHOWN_MS = 100;

/** Resolves once the first screen is shown and painted and the browser is idle (or IDLE_TIMEOUT_MS later). */
export async function afterFirstScreen(): Promise<void> {
  await shown;
  // Not a frame callback: those stop in a hidden tab, and sync must start there too.
  await new Promise((resolve) => setTimeout(resolve, AFTER_SHOWN_MS));
  await new Promise<void>((resolve) => {
    if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(resolve, 0);
  });
}
