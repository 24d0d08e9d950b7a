// Per-client request limits: the client's address, a sliding-window counter (also used by login
// against password guessing), the API-wide per-IP limit and the 429 answer with Retry-After.
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
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

/**
 * Counts events per key in a sliding window (timestamps kept per key, pruned on use).
 * In memory: behind several API servers each keeps its own counts, so the effective limit
 * is per server.
 */
export class WindowCounter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly windowMs: number,
    readonly max: number,
  ) {}

  /** The key's hits inside the window, oldest first (hits are appended in time order, so stale ones lead). */
  private recent(key: string, now: number): number[] {
    const list = this.hits.get(key) ?? [];
    let stale = 0;
    while (stale < list.length && list[stale]! <= now - this.windowMs) stale++;
    if (stale) list.splice(0, stale);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** Seconds until the key may try again, or 0 when it is under the limit. */
  retryAfter(key: string, now: number): number {
    const list = this.recent(key, now);
    if (list.length < this.max) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.max]! + this.windowMs - now) / 1000));
  }

  add(key: string, now: number): void {
    this.sweep(now);
    const list = this.recent(key, now);
    list.push(now);
    this.hits.set(key, list);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  /** Drops stale keys now and then, so that a flood of distinct keys cannot grow the map forever. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const key of [...this.hits.keys()]) this.recent(key, now);
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
}

/** A generous per-IP limit on every API request: a phone's full sync is a few dozen requests, a bulk
 * import (or the push benchmark) a few dozen a second; a runaway client or a flood is not. */
export function apiRateLimit({ windowMs = 60_000, max = 6000, trustProxy = false, clock = () => new Date() }: RateLimitOptions = {}): MiddlewareHandler {
  const counter = new WindowCounter(windowMs, max);
  return async (c, next) => {
    const now = clock().getTime();
    const key = clientIp(c, trustProxy);
    const wait = counter.retryAfter(key, now);
    if (wait > 0) return tooManyRequests(c, wait);
    counter.add(key, now);
    return next();
  };
}
