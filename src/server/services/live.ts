// The live channel's hub (GET /api/sync/events, routes/live.ts): which connected clients hear
// that the log has new events for them. One watcher per process, not per client: while anyone
// listens it reads, every `pollMs` and at once after a push this process answered, each org
// unit's highest seq above the last one seen (storage unitHeadsAfter), and tells each
// subscriber the highest of those among its readable units, if any. Several API processes on
// one PostgreSQL database each watch the same log, so a push answered by one reaches clients
// of another within a poll. Seq order is commit order (both stores), so no commit is skipped
// by moving the watched head forward. A unit outside a subscriber's filter is never named
// to it, nor is its seq.
// On the same tick the watcher asks, in one lookup for all subscribers, which of their tokens
// still work (storage usableTokens): a stream whose token was revoked (logout, an admin
// revoking the device, disabling the user, a password reset, a login replacing the device's
// token) or expired is ended within a poll, whichever process revoked it, instead of living on
// to its maximum age. So is a stream whose scope may have changed (the user's roles were
// edited, the org tree changed: the token's scope stamp is no longer the one its request's
// scope was built with): the client reconnects at once with its scope as it is now, and its
// pull backfills what it gained. The stamp is the one read with the scope (access/middleware.ts),
// not one read at subscribe: a change landing in between would leave the stream on the old
// scope under the new stamp, never ended.
import type { AccountStore } from '../storage/account-store.ts';
import type { EventStore, UnitFilter } from '../storage/event-store.ts';

interface LiveSubscriber {
  units: UnitFilter;
  /** The token the stream was opened with. */
  tokenId: string;
  /** The stamp of the scope it was opened with, read with that scope (c.var.scopeStamp). */
  scopeStamp: string;
  /** New events up to `seq` in the subscriber's units. */
  notify(seq: number): void;
  /**
   * The stream must end: its token no longer works ('revoked'), or its scope may have changed
   * ('rescoped': the user's roles or the org tree). Called once; the subscriber is dropped.
   */
  end(reason: LiveEnd): void;
}

export type LiveEnd = 'revoked' | 'rescoped';

export interface LiveHub {
  /**
   * Starts telling `s` of new events committed from now on; resolves, with the function that
   * stops it, once the watcher knows where the log stands (a pull after that misses nothing).
   */
  subscribe(s: LiveSubscriber): Promise<() => void>;
  /** Looks at the log now (this process committed a push). */
  wake(): void;
  /** Subscribers now (metrics, tests). */
  readonly size: number;
  /** Stops watching; subscribers are dropped. */
  close(): void;
}

export interface LiveHubOptions {
  store: Pick<EventStore, 'logHead' | 'unitHeadsAfter'> & Pick<AccountStore, 'usableTokens'>;
  pollMs?: number;
  /** Tokens expire by this clock. */
  clock?: () => Date;
  /** Told of a failed look at the log or at the tokens (the watcher goes on). */
  onError?: (err: unknown) => void;
}

const POLL_MS = 1_000;

export function createLiveHub({ store, pollMs = POLL_MS, clock = () => new Date(), onError = () => {} }: LiveHubOptions): LiveHub {
  const subscribers = new Set<LiveSubscriber>();
  // The seq up to which the log has been looked at; undefined until the first look.
  let head: number | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let looking = false;
  let again = false;
  let closed = false;

  const announce = (heads: readonly { orgUnitId: string; seq: number }[]) => {
    const byUnit = new Map(heads.map((h) => [h.orgUnitId, h.seq]));
    const top = Math.max(...heads.map((h) => h.seq));
    for (const s of subscribers) {
      let seq = 0;
      if (s.units === 'all') seq = top;
      else for (const u of s.units) seq = Math.max(seq, byUnit.get(u) ?? 0);
      if (seq > 0) s.notify(seq);
    }
  };

  // One look at a time: a wake during a look runs one more look after it.
  const look = async (): Promise<void> => {
    if (looking) {
      again = true;
      return;
    }
    looking = true;
    try {
      do {
        again = false;
        if (head === undefined) return;
        const heads = await store.unitHeadsAfter(head);
        // Nobody listened meanwhile (the head was let go), or nothing new.
        if (heads.length === 0 || closed || head === undefined) continue;
        head = Math.max(head, ...heads.map((h) => h.seq));
        announce(heads);
      } while (again && !closed);
    } catch (err) {
      onError(err);
    } finally {
      looking = false;
    }
  };

  const stopWatching = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    // Unwatched, the head goes stale: the next first subscriber starts from the log's head then.
    head = undefined;
  };

  let checking = false;
  // Skipped while the previous check still runs: a slow database gets one lookup at a time.
  const checkTokens = async (): Promise<void> => {
    if (checking || subscribers.size === 0) return;
    checking = true;
    try {
      const watched = [...subscribers];
      const usable = new Map((await store.usableTokens([...new Set(watched.map((s) => s.tokenId))], clock())).map((t) => [t.id, t.scopeStamp]));
      for (const s of watched) {
        // A token no longer usable has no stamp: its stream ends too.
        if (usable.get(s.tokenId) === s.scopeStamp) continue;
        if (!subscribers.delete(s)) continue;
        s.end(usable.has(s.tokenId) ? 'rescoped' : 'revoked');
      }
      if (subscribers.size === 0) stopWatching();
    } catch (err) {
      onError(err);
    } finally {
      checking = false;
    }
  };

  const tick = () => {
    void look();
    void checkTokens();
  };

  return {
    async subscribe(s) {
      if (closed) return () => {};
      // Every commit up to the head read here is the subscriber's first pull's to fetch.
      if (head === undefined) {
        const read = await store.logHead();
        // Another first subscriber may have read it meanwhile, and a look moved it on since.
        head ??= read;
      }
      subscribers.add(s);
      if (timer === undefined) {
        timer = setInterval(tick, pollMs);
        timer.unref();
      }
      return () => {
        subscribers.delete(s);
        if (subscribers.size === 0) stopWatching();
      };
    },
    wake() {
      if (subscribers.size > 0 && !closed) void look();
    },
    get size() {
      return subscribers.size;
    },
    close() {
      closed = true;
      subscribers.clear();
      stopWatching();
    },
  };
}
