// An in-memory stand-in for the phone's storage (the SyncStore part) and a scripted fetch,
// so the sender's promises can be checked against every kind of bad answer.
import { gunzipSync } from 'node:zlib';
import type { DomainEvent, StoredEvent } from '#shared/events';
import type { PushResult } from '#shared/protocol';
import type { SyncStore } from '../../../../src/app/sync/sender.ts';

export interface FakeEntry {
  id: string;
  event: DomainEvent;
  status: 'pending' | 'rejected';
  error?: { code: string; message: string };
}

export class FakeStore implements SyncStore {
  outbox = new Map<string, FakeEntry>();
  blobs = new Map<string, { sha256: string; blob: Blob; mime: string; uploaded: boolean }>();
  pulled: StoredEvent[] = [];
  cursor = 0;
  generation: string | undefined;
  resume = '';
  /** The generations startOver was called with, in order. */
  startOvers: (string | undefined)[] = [];

  addEvents(n: number, prefix = 'e'): string[] {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = `${prefix}-${String(this.outbox.size).padStart(5, '0')}`;
      this.outbox.set(id, { id, event: sweep(id), status: 'pending' });
      ids.push(id);
    }
    return ids;
  }

  addBlob(sha256: string): void {
    this.blobs.set(sha256, { sha256, blob: new Blob([sha256]), mime: 'image/jpeg', uploaded: false });
  }

  pendingIds(): string[] {
    return [...this.outbox.values()].filter((e) => e.status === 'pending').map((e) => e.id);
  }

  async pendingOutbox(limit: number) {
    return [...this.outbox.values()].filter((e) => e.status === 'pending').slice(0, limit);
  }
  async ackOutbox(results: PushResult[]) {
    for (const r of results) {
      const entry = this.outbox.get(r.id);
      if (!entry) continue;
      if (r.status === 'rejected') this.outbox.set(r.id, { ...entry, status: 'rejected', error: r.error });
      else this.outbox.delete(r.id);
    }
  }
  async countOutbox() {
    const all = [...this.outbox.values()];
    return { pending: all.filter((e) => e.status === 'pending').length, rejected: all.filter((e) => e.status === 'rejected').length };
  }
  async pendingBlobs() {
    return [...this.blobs.values()].filter((b) => !b.uploaded);
  }
  async markBlobUploaded(sha256: string) {
    const b = this.blobs.get(sha256);
    if (b) b.uploaded = true;
  }
  async getCursor() {
    return this.cursor;
  }
  async getGeneration() {
    return this.generation;
  }
  async getPullResume() {
    return this.resume;
  }
  async applyPulled(events: StoredEvent[], cursor: number, generation?: string, resume?: string) {
    this.pulled.push(...events);
    this.cursor = cursor;
    this.resume = resume ?? '';
    if (generation !== undefined) this.generation = generation;
  }
  async startOver(generation: string | undefined) {
    this.startOvers.push(generation);
    this.cursor = 0;
    this.resume = '';
    this.generation = generation;
    return 0;
  }
}

function sweep(id: string): DomainEvent {
  return {
    id,
    type: 'sweep.recorded',
    subjectId: id,
    orgUnitId: 'grid-1',
    occurredAt: '2025-03-01T09:00:00+08:00',
    recordedAt: '2025-03-01T01:00:00.000Z',
    deviceId: 'device-1',
    deviceSeq: 1,
    data: { households: 3, disputesFound: 0 },
  };
}

export interface Call {
  method: string;
  url: string;
  body?: unknown;
  /** The request's Content-Encoding (a gzip body is inflated into `body`, as the server does). */
  encoding?: string;
}

export type Script = (call: Call) => Response | Promise<Response>;

/** A fetch that records each call and answers by the script; a thrown error is a network failure. */
export function scriptedFetch(script: Script) {
  const calls: Call[] = [];
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET';
    const encoding = new Headers(init?.headers).get('content-encoding') ?? undefined;
    const raw = init?.body;
    const text = typeof raw === 'string' ? raw : encoding === 'gzip' && raw instanceof Uint8Array ? gunzipSync(raw).toString('utf8') : undefined;
    const body = text === undefined ? undefined : (JSON.parse(text) as unknown);
    const call: Call = { method, url, body, ...(encoding ? { encoding } : {}) };
    calls.push(call);
    const signal = init?.signal;
    const answer = Promise.resolve().then(() => script(call));
    if (!signal) return answer;
    return Promise.race([answer, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))]);
  };
  return { fetch, calls };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** The server's happy answer to a push: every sent id applied. */
export function applyAll(call: Call): Response {
  const events = (call.body as { events: { id: string }[] }).events;
  return json({ results: events.map((e) => ({ id: e.id, status: 'applied' })), serverTime: new Date().toISOString() });
}

const emptyPull = () => json({ events: [], cursor: 0, hasMore: false });

/** The server's answer to a photo upload: it names the photo it stored. */
const storedPhoto: Script = (call) => json({ sha256: call.url.split('/').pop(), size: 1, status: 'created' }, 201);

/** Routes push to `push`, pull to `pull`, PUT to `put`. */
export function server(handlers: { push?: Script; pull?: Script; put?: Script }): Script {
  return (call) => {
    if (call.url.includes('/api/sync/push')) return (handlers.push ?? applyAll)(call);
    if (call.url.includes('/api/sync/pull')) return (handlers.pull ?? emptyPull)(call);
    if (call.method === 'PUT') return (handlers.put ?? storedPhoto)(call);
    return json({ error: { code: 'not_found', message: '接口不存在' } }, 404);
  };
}
