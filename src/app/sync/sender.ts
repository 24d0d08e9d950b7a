// One sync run: photos first, then the outbox in batches (gzipped, net/compress.ts), then pull
// until the server has no more. The promise this keeps: an outbox entry leaves only when a well-formed answer from
// the server names its id; anything else (no network, timeout, 5xx, 429, an HTML page with
// 200, a body cut short) leaves the outbox as it was, to be sent again. Resending is safe
// because the server treats a known id as `duplicate`. A pull answer from another log than the
// one the cursor counts in (a new generation after a restore or failover, or `restart`) makes
// the phone start over (storage/start-over.ts): its own events go back into the outbox, the
// cursor to 0, and the run begins again, so the new log gets back all this phone still holds.
import { MAX_BATCH, type DomainEvent, type StoredEvent } from '#shared/events';
import { AttachmentStored, PullResponse, PushResponse, type PushResult } from '#shared/api/sync';
import { nowIsoWithOffset } from '#shared/time';
import { encodeJson } from '../net/compress.ts';
import { requestJson, type Failure, type FetchLike } from '../net/http.ts';

/** The part of the phone's storage (src/app/storage) that a sync run uses. */
export interface SyncStore {
  pendingOutbox(limit: number): Promise<{ id: string; event: DomainEvent }[]>;
  ackOutbox(results: PushResult[]): Promise<unknown>;
  countOutbox(): Promise<{ pending: number; rejected: number }>;
  pendingBlobs(): Promise<{ sha256: string; blob: Blob; mime: string }[]>;
  markBlobUploaded(sha256: string): Promise<unknown>;
  getCursor(): Promise<number>;
  /** The generation of the log the cursor counts in, once a pull named one. */
  getGeneration(): Promise<string | undefined>;
  /** The `resume` stored with the last pulled page ('' for none). */
  getPullResume(): Promise<string>;
  applyPulled(events: StoredEvent[], cursor: number, generation?: string, resume?: string): Promise<unknown>;
  /** The server's log is another one: this device's events and photos queued again, cursor 0; returns how many events. */
  startOver(generation: string | undefined): Promise<number>;
}

export interface SyncContext {
  store: SyncStore;
  fetch: FetchLike;
  token: string;
  deviceId: string;
  /** Prefix of the API (empty: same origin). */
  baseUrl?: string;
  now?: () => number;
  timeoutMs?: number;
  batchSize?: number;
  /** Photos the server already refused outright: not sent again (mobile data is dear). */
  skipBlobs?: ReadonlySet<string>;
}

export interface RunReport {
  /** Unset when the run went through to the end. */
  failure?: Failure;
  /** The server answered but did not name every id we sent: those stay queued for the next run. */
  partial: boolean;
  uploadedBlobs: number;
  /** Blobs the server refused outright (wrong hash, too large): they stay on the phone. */
  refusedBlobs: string[];
  acked: number;
  /** The records (subject ids) with an event the server took in this run: their 已上传 time. */
  ackedSubjects: string[];
  rejected: number;
  pulled: number;
  /** The server's log changed (restore, failover): this run offered the phone's own events again. */
  startedOver: boolean;
  /** How many of this device's events went back into the outbox for that. */
  reoffered: number;
  /** Server time minus device time, when an answer told us the server time. */
  clockSkewMs?: number;
  clockSkewed: boolean;
}

const ONE_DAY_MS = 24 * 60 * 60_000;
const PULL_PAGE = 1000;
// A guard against a server that keeps saying hasMore without moving on.
const MAX_PULL_PAGES = 2_000;

/** The pull met another log than the cursor's: the phone started over, and the run goes again from the photos. */
const STARTED_OVER = 'started_over';
/** A log that changes again within one run is left for the next run. */
const MAX_START_OVERS = 2;

export async function runSync(ctx: SyncContext): Promise<RunReport> {
  const report: RunReport = {
    partial: false,
    uploadedBlobs: 0,
    refusedBlobs: [],
    acked: 0,
    ackedSubjects: [],
    rejected: 0,
    pulled: 0,
    startedOver: false,
    reoffered: 0,
    clockSkewed: false,
  };
  for (let round = 0; ; round++) {
    const outcome = (await uploadBlobs(ctx, report)) ?? (await pushOutbox(ctx, report)) ?? (await pullAll(ctx, report));
    if (outcome !== STARTED_OVER) {
      if (outcome) report.failure = outcome;
      return report;
    }
    if (round + 1 >= MAX_START_OVERS) {
      report.partial = true;
      return report;
    }
  }
}

function options(ctx: SyncContext, timeoutMs?: number) {
  return { fetch: ctx.fetch, token: ctx.token, timeoutMs: timeoutMs ?? ctx.timeoutMs, now: ctx.now };
}

/** Photos go before the events that name them, so the server can serve them as soon as it has the event. */
async function uploadBlobs(ctx: SyncContext, report: RunReport): Promise<Failure | undefined> {
  const blobs = await ctx.store.pendingBlobs();
  for (const b of blobs) {
    if (ctx.skipBlobs?.has(b.sha256)) {
      report.refusedBlobs.push(b.sha256);
      continue;
    }
    const outcome = await requestJson(
      `${ctx.baseUrl ?? ''}/api/attachments/${b.sha256}`,
      { method: 'PUT', headers: { 'Content-Type': b.mime }, body: b.blob },
      AttachmentStored,
      options(ctx, Math.max(ctx.timeoutMs ?? 0, 60_000)),
    );
    if (outcome.ok) {
      // Only our server names the photo it stored; any other 200 (a portal, a proxy) does not.
      if (outcome.body.sha256 !== b.sha256) return { kind: 'bad_response', status: outcome.status };
      await ctx.store.markBlobUploaded(b.sha256);
      report.uploadedBlobs++;
      continue;
    }
    const failure = outcome.failure;
    if (failure.kind !== 'refused') return failure;
    // The bytes arrived damaged (a cut connection): send again later. Bytes that are damaged
    // on the phone itself, or refused for size or type, will not get better by resending.
    if (failure.code === 'upload_interrupted') return failure;
    if (failure.code === 'hash_mismatch' && (await sha256Hex(b.blob)) === b.sha256) return failure;
    report.refusedBlobs.push(b.sha256);
  }
  return undefined;
}

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** Set once a server refused a gzip body (it reads no Content-Encoding): the page sends plain JSON. */
let gzipRefused = false;

const refusesGzip = (f: Failure) => f.kind === 'refused' && (f.code === 'unsupported_media_type' || f.code === 'invalid_json');

async function pushOutbox(ctx: SyncContext, report: RunReport): Promise<Failure | undefined> {
  let batchSize = Math.min(ctx.batchSize ?? MAX_BATCH, MAX_BATCH);
  for (;;) {
    const entries = await ctx.store.pendingOutbox(batchSize);
    if (entries.length === 0) return undefined;
    const { pending } = await ctx.store.countOutbox();
    const sentAt = (ctx.now ?? Date.now)();
    // The device clock at sending: how the server tells a slow clock from a phone that was offline for days.
    const text = JSON.stringify({ deviceId: ctx.deviceId, events: entries.map((e) => e.event), pending, sentAt: nowIsoWithOffset(new Date(sentAt)) });
    const send = async () => {
      const { body, headers } = await encodeJson(text, { gzip: !gzipRefused });
      return requestJson(`${ctx.baseUrl ?? ''}/api/sync/push`, { method: 'POST', headers, body }, PushResponse, options(ctx));
    };
    let outcome = await send();
    if (!outcome.ok && !gzipRefused && refusesGzip(outcome.failure)) {
      // A server from before compressed pushes: send plain JSON from now on.
      gzipRefused = true;
      outcome = await send();
    }
    if (!outcome.ok) {
      // Too large for the server's body limit: halve the batch rather than stall the queue.
      if (outcome.failure.kind === 'refused' && outcome.failure.status === 413 && batchSize > 1) {
        batchSize = Math.max(1, Math.floor(batchSize / 2));
        continue;
      }
      return outcome.failure;
    }
    // Only ids we sent, once each (the first answer wins): a confused answer cannot remove
    // entries that were not in this batch.
    const unanswered = new Set(entries.map((e) => e.id));
    const results: PushResult[] = [];
    for (const r of outcome.body.results) {
      if (!unanswered.delete(r.id)) continue;
      results.push(r);
    }
    if (results.length > 0) await ctx.store.ackOutbox(results);
    const subjectOf = new Map(entries.map((e) => [e.id, e.event.subjectId]));
    for (const r of results) {
      if (r.status === 'rejected') {
        report.rejected++;
        continue;
      }
      report.acked++;
      const subject = subjectOf.get(r.id);
      if (subject !== undefined && !report.ackedSubjects.includes(subject)) report.ackedSubjects.push(subject);
    }
    noteClock(report, outcome.body.serverTime, outcome.body.clockSkewed, sentAt, ctx);
    if (results.length < entries.length) {
      // Sending the same batch again at once would get the same partial answer.
      report.partial = true;
      return undefined;
    }
  }
}

async function pullAll(ctx: SyncContext, report: RunReport): Promise<Failure | typeof STARTED_OVER | undefined> {
  let cursor = await ctx.store.getCursor();
  let known = await ctx.store.getGeneration();
  let resume = await ctx.store.getPullResume();
  for (let page = 0; page < MAX_PULL_PAGES; page++) {
    const sentAt = (ctx.now ?? Date.now)();
    const outcome = await requestJson(
      `${ctx.baseUrl ?? ''}/api/sync/pull?cursor=${cursor}&limit=${PULL_PAGE}&resume=${encodeURIComponent(resume)}`,
      { method: 'GET' },
      PullResponse,
      options(ctx),
    );
    if (!outcome.ok) return outcome.failure;
    const { events, hasMore, generation, restart } = outcome.body;
    if (restart !== undefined || (generation !== undefined && known !== undefined && generation !== known)) {
      report.reoffered += await ctx.store.startOver(generation);
      report.startedOver = true;
      return STARTED_OVER;
    }
    // The cursor and the events are written in one storage transaction, so a run cut short
    // here resumes from the last page that was fully stored.
    await ctx.store.applyPulled(events as unknown as StoredEvent[], outcome.body.cursor, generation, outcome.body.resume);
    resume = outcome.body.resume ?? '';
    known = generation ?? known;
    report.pulled += events.length;
    if (report.clockSkewMs === undefined) noteClock(report, outcome.headers.get('date') ?? undefined, undefined, sentAt, ctx);
    if (!hasMore) return undefined;
    if (events.length === 0 && outcome.body.cursor === cursor) return { kind: 'bad_response', status: outcome.status };
    cursor = outcome.body.cursor;
  }
  return undefined;
}

function noteClock(report: RunReport, serverTime: string | undefined, flagged: boolean | undefined, sentAt: number, ctx: SyncContext): void {
  if (flagged) report.clockSkewed = true;
  const server = serverTime ? Date.parse(serverTime) : Number.NaN;
  if (Number.isNaN(server)) return;
  const now = (ctx.now ?? Date.now)();
  // The server read its clock somewhere between sending and receiving: take the middle.
  const skew = server - (sentAt + now) / 2;
  report.clockSkewMs = skew;
  if (Math.abs(skew) > ONE_DAY_MS) report.clockSkewed = true;
}
