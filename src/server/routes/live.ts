// The live channel (design.md "Sync contract"): GET /api/sync/events, server-sent events behind
// the same bearer token and read scope as pull. Fetch-read by the app (an EventSource cannot send
// the token). The stream says:
//   event: ready   {}            subscribed; pull now, later commits will be announced
//   event: events  {"seq": N}    the log holds new events of the caller's units, up to seq N
//   : ping                       every HEARTBEAT_MS, so proxies and phones keep the line open
// A stream ends after MAX_STREAM_MS (the client reconnects, and token and scope are checked
// again), within a poll of its token being revoked or expiring (services/live.ts checks every
// open stream's token in one lookup; the client's reconnect then gets 401) or of its scope
// changing (it says when to come back, spread: RESCOPED_SPREAD_MS), when the client
// goes, or when the server stops (http/drain.ts). A user holds at most
// MAX_STREAMS_PER_USER streams at once (429 beyond): several tabs and devices, not a flood.
// Only units the caller reads are watched for it (services/live.ts): another town's events are
// never announced, nor their seq.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { requireUser } from '../access/middleware.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import type { LiveEnd, LiveHub } from '../services/live.ts';
import type { Store } from '../storage/store.ts';
import { unitFilterOf } from './sync.ts';

export const MAX_STREAMS_PER_USER = 6;
const HEARTBEAT_MS = 25_000;
const MAX_STREAM_MS = 10 * 60_000;
/** What the client waits before reconnecting after the stream ends (SSE `retry:`). */
const RECONNECT_MS = 3_000;
/**
 * After a change of scope the wait is spread over this much more: an org-tree edit ends every
 * open stream of the county at once, and each reconnect brings a pull, so they come back over
 * half a minute, not in the same second. A revoked token comes back at once, to its 401.
 */
export const RESCOPED_SPREAD_MS = 30_000;

export interface LiveRouteDeps {
  store: Store;
  clock: () => Date;
  live: LiveHub;
  heartbeatMs?: number;
  maxStreamMs?: number;
  /** In [0, 1): where in the spread a rescoped stream's reconnect falls. */
  random?: () => number;
}

export function liveRoutes({ store, clock, live, heartbeatMs = HEARTBEAT_MS, maxStreamMs = MAX_STREAM_MS, random = Math.random }: LiveRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const streamsOf = new Map<string, number>();

  app.get('/events', requireUser(store, { clock }), async (c) => {
    const scope = c.var.scope;
    const userId = scope.principal.userId;
    const open = streamsOf.get(userId) ?? 0;
    if (open >= MAX_STREAMS_PER_USER) {
      c.header('Retry-After', '60');
      return sendFailure(c, failure(429, 'rate_limited', `实时通知连接过多（每个账号最多 ${MAX_STREAMS_PER_USER} 个），将按时自动同步`));
    }
    const release = () => {
      const left = (streamsOf.get(userId) ?? 1) - 1;
      if (left > 0) streamsOf.set(userId, left);
      else streamsOf.delete(userId);
    };
    streamsOf.set(userId, open + 1);
    let latest = 0;
    let sent = 0;
    let ended: LiveEnd | undefined;
    let wakeUp: (() => void) | undefined;
    let unsubscribe: () => void;
    try {
      unsubscribe = await live.subscribe({
        units: unitFilterOf(scope),
        tokenId: scope.principal.tokenId,
        scopeStamp: c.var.scopeStamp,
        notify(seq) {
          latest = Math.max(latest, seq);
          wakeUp?.();
        },
        end(reason) {
          ended = reason;
          wakeUp?.();
        },
      });
    } catch (err) {
      release();
      throw err;
    }
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const endsAt = Date.now() + maxStreamMs;
      stream.onAbort(() => wakeUp?.());
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: RECONNECT_MS });
        while (!stream.aborted && !stream.closed && !ended) {
          const left = endsAt - Date.now();
          if (left <= 0) break;
          if (latest > sent) {
            // Coalesced: a burst of pushes is one message with the last seq.
            sent = latest;
            await stream.writeSSE({ event: 'events', data: JSON.stringify({ seq: sent }) });
            continue;
          }
          const woken = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), Math.min(heartbeatMs, left));
            wakeUp = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wakeUp = undefined;
          if (!woken && !stream.aborted && !ended && Date.now() < endsAt) await stream.write(': ping\n\n');
        }
        if (ended === 'rescoped' && !stream.aborted && !stream.closed) {
          await stream.write(`retry: ${RECONNECT_MS + 1 + Math.floor(random() * RESCOPED_SPREAD_MS)}\n\n`);
        }
      } catch (err) {
        // A write to a client that just went away fails: that is the end of the stream, not an error.
        if (!stream.aborted && !stream.closed) throw err;
      } finally {
        unsubscribe();
        release();
      }
    });
  });

  return app;
}
