// The live channel's client: reads GET /api/sync/events (server-sent events, routes/live.ts)
// with fetch, since an EventSource cannot send the bearer token, and says when the server has
// new events for this user ("events" {seq}) or has just subscribed us ("ready": pull now, so
// nothing committed before the subscription is missed). It promises no delivery: the sync
// timer still pulls, so a lost message costs minutes, never data. It reconnects on its own:
// after the server's `retry:` when a stream ends, with growing, jittered waits after failures
// (or the Retry-After of a 429), and at once when asked (the network came back). A stream
// silent for SILENCE_MS (no heartbeat) is taken for a dead connection and replaced.
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '#shared/api/version';
import type { FetchLike } from './http.ts';

export interface LiveChannelDeps {
  fetch: FetchLike;
  /** The session's token, or undefined (nobody logged in, update required): then nothing is opened. */
  token(): Promise<string | undefined>;
  /** Subscribed: pull now. */
  onReady(): void;
  /** The server holds events of this user's units up to `seq`. */
  onEvents(seq: number): void;
  baseUrl?: string;
  random?: () => number;
}

export interface LiveChannel {
  /** Opens the stream, or replaces the one open or waiting to reconnect. */
  connect(): void;
  /** Closes it; nothing reconnects until connect(). */
  disconnect(): void;
}

/** Twice the server's heartbeat (25 s) and some. */
const SILENCE_MS = 60_000;
const FIRST_RETRY_MS = 3_000;
const MAX_RETRY_MS = 5 * 60_000;

/** One server-sent message: its event name and data lines (comments and unknown fields dropped). */
export interface SseMessage {
  event: string;
  data: string;
  retry?: number;
}

/** Splits a buffer of SSE text into whole messages and the unfinished rest. */
export function parseSse(buffer: string): { messages: SseMessage[]; comments: number; rest: string } {
  const messages: SseMessage[] = [];
  let comments = 0;
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const message: SseMessage = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '') continue;
      if (line.startsWith(':')) {
        comments++;
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') message.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) message.retry = Number(value);
    }
    if (data.length > 0 || message.retry !== undefined) messages.push({ ...message, data: data.join('\n') });
  }
  return { messages, comments, rest };
}

export function createLiveChannel(deps: LiveChannelDeps): LiveChannel {
  const random = deps.random ?? Math.random;
  let wanted = false;
  // Each connect() starts a new generation; a loop of an older one stops at its next step.
  let generation = 0;
  let abort: AbortController | undefined;
  let waiting: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      waiting = { timer: setTimeout(resolve, ms), resolve };
    }).finally(() => {
      waiting = undefined;
    });

  const stopWaiting = () => {
    if (!waiting) return;
    clearTimeout(waiting.timer);
    waiting.resolve();
  };

  /** One stream, read to its end: the retry the server asked for, or the failure's wait. */
  async function readOnce(token: string, controller: AbortController): Promise<{ ok: boolean; retryMs?: number }> {
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      heard();
      const res = await deps.fetch(`${deps.baseUrl ?? ''}/api/sync/events`, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (res.status !== 200 || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        const retryAfter = Number(res.headers.get('retry-after') ?? '');
        await res.body?.cancel();
        return { ok: false, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryMs: retryAfter * 1000 } : {}) };
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let retryMs: number | undefined;
      let ready = false;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        heard();
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        for (const m of parsed.messages) {
          if (m.retry !== undefined) retryMs = m.retry;
          if (m.event === 'ready') {
            ready = true;
            deps.onReady();
          } else if (m.event === 'events') {
            const seq = (JSON.parse(m.data) as { seq?: unknown }).seq;
            if (typeof seq === 'number' && Number.isSafeInteger(seq)) deps.onEvents(seq);
          }
        }
      }
      return { ok: ready, ...(retryMs !== undefined ? { retryMs } : {}) };
    } catch {
      // Cut, aborted, offline, or a message that is not JSON: the same as a stream that ended badly.
      return { ok: false };
    } finally {
      clearTimeout(silence);
    }
  }

  async function run(mine: number): Promise<void> {
    let failures = 0;
    while (wanted && mine === generation) {
      const token = await deps.token();
      if (!token || !wanted || mine !== generation) return;
      const controller = new AbortController();
      abort = controller;
      const { ok, retryMs } = await readOnce(token, controller);
      if (!wanted || mine !== generation) return;
      failures = ok ? 0 : failures + 1;
      const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
      const base = ok ? (retryMs ?? FIRST_RETRY_MS) : Math.max(backoff, retryMs ?? 0);
      // Jitter: a server restart must not bring every phone back in the same second.
      await sleep(base * (0.75 + random() / 2));
    }
  }

  return {
    connect() {
      wanted = true;
      generation++;
      abort?.abort();
      stopWaiting();
      void run(generation);
    },
    disconnect() {
      wanted = false;
      generation++;
      abort?.abort();
      stopWaiting();
    },
  };
}
