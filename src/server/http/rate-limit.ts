// Per-client request limits: the client's address, a sliding-window counter kept in the store
// (so that every API process on one database counts the same hits; also used by login against
// password guessing), the API-wide per-address limit and the 429 answer with Retry-After.
import { bestEffortWrite } from './database-errors.ts';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { RateBucket, SharedStateStore } from '../storage/shared-state-store.ts';
import { failure, sendFailure } from './errors.ts';

/**
 * The client's address: the socket's peer, or with `trustProxy` (behind one reverse proxy
 * that appends to X-Forwarded-For) the address that proxy saw. In-process test requests
 * have no socket and share the key 'local'.
 */
export function clientIp(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/** The part of the store the counters need. */
export type RateStore = Pick<SharedStateStore, 'rateHits' | 'addRateHit' | 'clearRateHits' | 'pruneRateHits'>;

/** Counters of one process only: for a middleware used without a store (nothing shared). */
function memoryRateStore(): RateStore {
  const rows = new Map<string, Map<number, { hits: number; expiresAt: number }>>();
  return {
    async rateHits(key, since) {
      const out: RateBucket[] = [];
      for (const [bucket, row] of rows.get(key) ?? []) if (bucket >= since) out.push({ bucket, hits: row.hits });
      return out.sort((a, b) => b.bucket - a.bucket);
    },
    async addRateHit(key, bucket, expiresAt) {
      const buckets = rows.get(key) ?? new Map<number, { hits: number; expiresAt: number }>();
      const row = buckets.get(bucket);
      buckets.set(bucket, { hits: (row?.hits ?? 0) + 1, expiresAt: Math.max(row?.expiresAt ?? 0, expiresAt) });
      rows.set(key, buckets);
    },
    async clearRateHits(key) {
      rows.delete(key);
    },
    async pruneRateHits(now) {
      for (const [key, buckets] of rows) {
        for (const [bucket, row] of buckets) if (row.expiresAt <= now) buckets.delete(bucket);
        if (!buckets.size) rows.delete(key);
      }
    },
  };
}

/**
 * Counts hits per key in a sliding window of `windowMs`, in buckets of `bucketMs` (1: exact
 * times; a coarser bucket makes a busy key one row per bucket instead of one per hit, and a
 * hit leaves the window up to a bucket early). Keys are prefixed with `name`, so counters with
 * different windows share the table.
 */
export class WindowCounter {
  private lastPrune = 0;

  constructor(
    private readonly store: RateStore,
    readonly name: string,
    readonly windowMs: number,
    readonly max: number,
    readonly bucketMs = 1,
  ) {}

  /** The key's buckets inside the window at `now`, newest first (a hit at `now - windowMs` is out). */
  recent(key: string, now: number): Promise<RateBucket[]> {
    return this.store.rateHits(`${this.name}:${key}`, now - this.windowMs + 1);
  }

  /** Seconds until the key may try again, or 0 when it is under the limit. */
  async retryAfter(key: string, now: number): Promise<number> {
    let seen = 0;
    for (const b of await this.recent(key, now)) {
      seen += b.hits;
      // The max-th newest hit: once it leaves the window the key is under the limit again.
      if (seen >= this.max) return Math.max(1, Math.ceil((b.bucket + this.windowMs - now) / 1000));
    }
    return 0;
  }

  async add(key: string, now: number): Promise<void> {
    const bucket = now - (now % this.bucketMs);
    await this.store.addRateHit(`${this.name}:${key}`, bucket, bucket + this.windowMs);
    // Now and then (per process), so that a flood of distinct keys cannot grow the table forever.
    if (now - this.lastPrune >= this.windowMs) {
      this.lastPrune = now;
      await this.store.pruneRateHits(now);
    }
  }

  reset(key: string): Promise<void> {
    return this.store.clearRateHits(`${this.name}:${key}`);
  }
}

export function tooManyRequests(c: Context, retryAfterSeconds: number, message = '请求过于频繁，请稍后再试'): Response {
  c.header('Retry-After', String(retryAfterSeconds));
  return sendFailure(c, failure(429, 'rate_limited', message));
}

export interface RateLimitOptions {
  windowMs?: number;
  max?: number;
  trustProxy?: boolean;
  clock?: () => Date;
  /** Where the hits are counted; without one, in this process only. */
  store?: RateStore;
}

/** A generous per-IP limit on every API request: a phone's full sync is a few dozen requests, a bulk
 * import (or the push benchmark) a few dozen a second; a runaway client or a flood is not. Counted in
 * 60 buckets per window: one row per address and second, whatever the request rate. */
export function apiRateLimit({
  windowMs = 60_000,
  max = 6000,
  trustProxy = false,
  clock = () => new Date(),
  store = memoryRateStore(),
}: RateLimitOptions = {}): MiddlewareHandler {
  const counter = new WindowCounter(store, 'api', windowMs, max, Math.max(1, Math.floor(windowMs / 60)));
  return async (c, next) => {
    const now = clock().getTime();
    const key = clientIp(c, trustProxy);
    const wait = await counter.retryAfter(key, now);
    if (wait > 0) return tooManyRequests(c, wait);
    // Counting is bookkeeping: on a full disk requests go uncounted rather than all answering 507.
    await bestEffortWrite('api rate count', () => counter.add(key, now));
    return next();
  };
}
