// The sender's schedule: when a sync run starts, that only one runs at a time across all the
// app's tabs (a Web Lock), and when to try again after a failure (backoff with jitter, or the
// server's Retry-After). The run itself is sender.ts; the wiring to the page is index.ts.
import { signal, type ReadonlySignal } from '@preact/signals';
import { retryDelay } from './backoff.ts';
import { runSync, type RunReport, type SyncStore } from './sender.ts';
import type { Failure, FetchLike } from '../net/http.ts';

const SYNC_LOCK = 'taizhang-sync';

/**
 * Runs `task` only if the named lock is free right now (`held` false otherwise), like
 * `navigator.locks.request(name, {ifAvailable: true}, …)`.
 */
export type LockRequester = <T>(name: string, task: (held: boolean) => Promise<T>) => Promise<T>;

export interface SyncState {
  running: boolean;
  /** When the last run went through to the end (ms since epoch). */
  lastSyncedAt?: number;
  /** Why the last run stopped early; cleared by a run that goes through. */
  lastFailure?: Failure;
  /** Failed runs in a row; drives the backoff. */
  failures: number;
  nextAttemptAt?: number;
  clockSkewMs?: number;
  clockSkewed: boolean;
  /** Photos the server refused (bad hash, too large) in the last run. */
  refusedBlobs: number;
  lastTrigger?: SyncTrigger;
}

/** 'live': the live channel (net/live.ts) said the server has new events for us. */
export type SyncTrigger = 'start' | 'online' | 'visible' | 'timer' | 'background-sync' | 'button' | 'recorded' | 'other-tab' | 'live';
type SyncOutcome = 'synced' | 'failed' | 'busy' | 'no_session' | 'stopped' | 'backing_off';

/**
 * Triggers that may start a run while a failure's backoff is still running: the user's tap, the
 * page opening and the network coming back. The rest (Background Sync's wake-up, the page
 * becoming visible, a new record, another tab) wait for the timer: each of them can fire right
 * after a failed run (Background Sync wakes the page as soon as it is registered, and a failed
 * run registers it), which without this gate retried dozens of times a second.
 */
const BYPASSES_BACKOFF: ReadonlySet<SyncTrigger> = new Set(['button', 'start', 'online']);

export interface EngineDeps {
  store: SyncStore;
  fetch: FetchLike;
  /** The session's token and this device's id, or undefined when nobody is logged in. */
  credentials(): Promise<{ token: string; deviceId: string } | undefined>;
  /** A 401: the session is over on the server; the user logs in again, the data stays. */
  onUnauthorized?(message?: string): void;
  /** After a run that went through (e.g. to refresh the cached session). */
  onSynced?(report: RunReport): void;
  /** After a failed run while records wait (e.g. to register Background Sync). */
  onFailed?(report: RunReport): void;
  /** After every run that reached the network, failed or not (the sync log). */
  onRun?(report: RunReport, trigger: SyncTrigger): void;
  locks?: LockRequester;
  /** When a run last went through, from before this start (the sync log): the header's 已同步 · N 分钟前 from the first moment. */
  lastSyncedAt?: number | undefined;
  now?: () => number;
  random?: () => number;
  /** How often to pull others' records while everything is fine. */
  idleIntervalMs?: number;
  /** When another tab holds the lock: look again after this long. */
  busyRetryMs?: number;
  timeoutMs?: number;
}

export interface SyncEngine {
  readonly state: ReadonlySignal<SyncState>;
  syncNow(trigger: SyncTrigger): Promise<SyncOutcome>;
  /** Allows runs and schedules the first. */
  start(): void;
  /** Cancels the timer; a run in progress finishes, no new one starts. */
  stop(): void;
}

const IDLE_INTERVAL_MS = 5 * 60_000;
const BUSY_RETRY_MS = 5_000;

export function createSyncEngine(deps: EngineDeps): SyncEngine {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const locks = deps.locks ?? browserLocks();
  const state = signal<SyncState>({
    running: false,
    failures: 0,
    clockSkewed: false,
    refusedBlobs: 0,
    ...(deps.lastSyncedAt !== undefined ? { lastSyncedAt: deps.lastSyncedAt } : {}),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = true;
  let rerun = false;
  /** What asked for the run once more: the log names it, not the trigger of the run it followed. */
  let rerunBy: SyncTrigger | undefined;
  // Kept for the life of the page: a reload tries them once more.
  const refusedBlobs = new Set<string>();

  const update = (patch: Partial<SyncState>) => {
    state.value = { ...state.value, ...patch };
  };

  const cancelTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    update({ nextAttemptAt: undefined });
  };

  const schedule = (delayMs: number) => {
    cancelTimer();
    if (stopped) return;
    update({ nextAttemptAt: now() + delayMs });
    timer = setTimeout(() => {
      timer = undefined;
      // Due now: a timer that fires a millisecond early must not find itself still backing off.
      update({ nextAttemptAt: undefined });
      void syncNow('timer');
    }, delayMs);
  };

  async function syncNow(trigger: SyncTrigger): Promise<SyncOutcome> {
    if (stopped) return 'stopped';
    const { failures, nextAttemptAt } = state.value;
    if (failures > 0 && nextAttemptAt !== undefined && nextAttemptAt > now() && !BYPASSES_BACKOFF.has(trigger)) return 'backing_off';
    // A trigger during this tab's own run: run once more when it ends (new records may have
    // been saved after the run read the outbox).
    if (state.value.running) {
      rerun = true;
      rerunBy ??= trigger;
      return 'busy';
    }
    update({ running: true });
    try {
      const outcome = await locks(SYNC_LOCK, async (held) => (held ? runHoldingLock(trigger) : ('busy' as const)));
      if (outcome === 'busy') schedule(deps.busyRetryMs ?? BUSY_RETRY_MS);
      return outcome;
    } finally {
      update({ running: false, lastTrigger: trigger });
    }
  }

  async function runHoldingLock(first: SyncTrigger): Promise<SyncOutcome> {
    for (let trigger = first; ; trigger = rerunBy ?? trigger) {
      rerun = false;
      rerunBy = undefined;
      const credentials = await deps.credentials();
      if (!credentials) return 'no_session';
      const report = await runSync({ store: deps.store, fetch: deps.fetch, ...credentials, now, timeoutMs: deps.timeoutMs, skipBlobs: refusedBlobs });
      for (const sha of report.refusedBlobs) refusedBlobs.add(sha);
      deps.onRun?.(report, trigger);
      // A run that learnt the server time says whether the clock is off; one that did not
      // (nothing answered) leaves the last verdict, unless the server flagged it anyway.
      const clock: Partial<SyncState> =
        report.clockSkewMs !== undefined
          ? { clockSkewMs: report.clockSkewMs, clockSkewed: report.clockSkewed }
          : report.clockSkewed
            ? { clockSkewed: true }
            : {};
      if (report.failure || report.partial) {
        const failures = state.value.failures + 1;
        update({ ...clock, failures, lastFailure: report.failure, refusedBlobs: report.refusedBlobs.length });
        if (report.failure?.kind === 'unauthorized') {
          // No retry by timer: only a new login can help.
          cancelTimer();
          deps.onUnauthorized?.(report.failure.message);
        } else {
          // A busy server and a full disk both say how long to wait; a full disk is not fixed in seconds, so never sooner.
          const retryAfter = report.failure?.kind === 'rate_limited' || report.failure?.kind === 'storage_full' ? report.failure.retryAfterMs : undefined;
          schedule(retryDelay(failures, retryAfter, random));
        }
        deps.onFailed?.(report);
        return 'failed';
      }
      update({ ...clock, failures: 0, lastFailure: undefined, lastSyncedAt: now(), refusedBlobs: report.refusedBlobs.length });
      deps.onSynced?.(report);
      if (!rerun || stopped) {
        schedule(deps.idleIntervalMs ?? IDLE_INTERVAL_MS);
        return 'synced';
      }
    }
  }

  return {
    state,
    syncNow,
    start() {
      stopped = false;
      // A new login starts clean: the last session's failure (a 401, no network) is not this one's.
      update({ failures: 0, lastFailure: undefined });
      void syncNow('start');
    },
    stop() {
      stopped = true;
      cancelTimer();
    },
  };
}

/** navigator.locks where the browser has it (one sender across tabs); else a lock for this page only. */
function browserLocks(): LockRequester {
  const manager = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
  if (manager) {
    // request() resolves with the task's own result; lib.dom types it one Promise deep too many.
    return <T>(name: string, task: (held: boolean) => Promise<T>) => manager.request(name, { ifAvailable: true }, (lock) => task(lock !== null)) as Promise<T>;
  }
  return memoryLocks();
}

/**
 * Runs `task` once no sync run holds the lock in any tab (waiting for one in flight), and
 * keeps runs out while it works: for wiping the phone, which must not interleave with a pull
 * writing events into the store being cleared.
 */
export function whileNoSyncRuns<T>(task: () => Promise<T>): Promise<T> {
  const manager = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
  if (!manager) return task();
  return manager.request(SYNC_LOCK, () => task()) as Promise<T>;
}

/** A lock table held in memory: the same contract as navigator.locks with ifAvailable. */
export function memoryLocks(): LockRequester {
  const held = new Set<string>();
  return async (name, task) => {
    if (held.has(name)) return task(false);
    held.add(name);
    try {
      return await task(true);
    } finally {
      held.delete(name);
    }
  };
}
