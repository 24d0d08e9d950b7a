// Events and the folded records they make. Saving a user's input (recordEvents) and taking in
// pulled events (applyPulled) each write the events, the refolded record of every touched
// subject and the outbox (or cursor) in ONE transaction: a record never disagrees with its
// events, and nothing is shown as saved before the transaction has committed.
import { uuidv7 } from '#shared/uuid';
import { EVENT_TYPES, parseEvent, type DomainEvent, type EventType, type Issue, type StoredEvent } from '#shared/events';
import { compareEvents, foldSubject } from '#shared/fold/index';
import { notifyStorageChanged, reportProblems, type StorageProblem } from './changes.ts';
import { META_SUMMARY_VERSION, openDb, summaryOf, type BlobRecord, type LocalEvent, type SubjectRecord } from './db.ts';
import { SUMMARY_VERSION } from './summaries.ts';
import { deviceIdIn } from './device.ts';
import { META_CURSOR, META_DEVICE_SEQ, META_GENERATION, META_PULL_RESUME } from './meta.ts';
import { inReadTx, inWriteTx, type WriteTx } from './tx.ts';

/** What a screen hands over to be saved; storage stamps the rest of the envelope. */
export interface NewEvent {
  type: EventType;
  subjectId: string;
  orgUnitId: string;
  occurredAt: string;
  data: unknown;
  /** The subject's head event ids as the user saw them; filled from storage when absent. */
  basedOn?: string[];
}

/** The input failed the shared schema: nothing was written. `message` is for the user. */
export class InvalidEventError extends Error {
  readonly code = 'invalid_event';
  constructor(
    message: string,
    readonly issues: Issue[],
  ) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

// Bumped when the fold's output changes shape, so records written by an older version are
// rebuilt from their events on the next start. 2: a case's 重大, 典型 and grade (events an
// older version held but could not read until it was updated).
const FOLD_VERSION = 2;
const META_FOLD_VERSION = 'foldVersion';

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const NEWER_TYPE_MESSAGE = '新版本的记录，更新应用后即可显示';

/** A type name this version does not know: a newer version's (pulled after the server was updated). */
const isNewerType = (type: unknown): boolean => typeof type === 'string' && /^[a-z]+(\.[a-z_]+)+$/.test(type) && !KNOWN_TYPES.has(type);

/** The events of a subject that pass the current schema, and the rows that do not. */
function validEvents(rows: readonly LocalEvent[]): { events: DomainEvent[]; problems: StorageProblem[] } {
  const events: DomainEvent[] = [];
  const problems: StorageProblem[] = [];
  for (const row of rows) {
    // Pulled rows may be the server's masked copies (office and admin desks): valid as read.
    const parsed = parseEvent(row, { acceptMasked: true });
    if (parsed.ok) events.push(parsed.value);
    else if (isNewerType(row.type)) problems.push({ id: String(row.id), subjectId: String(row.subjectId), message: NEWER_TYPE_MESSAGE, newer: true });
    else problems.push({ id: String(row.id), subjectId: String(row.subjectId), message: parsed.message });
  }
  return { events, problems };
}

/**
 * Ids of the subject's events that no other event knows of: not named in a later basedOn and
 * not followed by a later event of the same device (a device knows what it wrote itself).
 */
function headsOf(events: readonly Pick<DomainEvent, 'id' | 'deviceId' | 'deviceSeq' | 'basedOn'>[]): string[] {
  const known = new Set<string>();
  const lastOnDevice = new Map<string, { id: string; seq: number }>();
  for (const e of events) {
    for (const id of e.basedOn ?? []) known.add(id);
    const held = lastOnDevice.get(e.deviceId);
    if (!held || held.seq < e.deviceSeq) {
      if (held) known.add(held.id);
      lastOnDevice.set(e.deviceId, { id: e.id, seq: e.deviceSeq });
    } else if (held.seq > e.deviceSeq) {
      known.add(e.id);
    }
  }
  return events
    .map((e) => e.id)
    .filter((id) => !known.has(id))
    .sort();
}

/** Refolds one subject inside a transaction that holds events, records and outbox. */
async function refold(tx: WriteTx, subjectId: string, now: number): Promise<StorageProblem[]> {
  const rows = await tx.objectStore('events').index('bySubject').getAll(subjectId);
  const { events, problems } = validEvents(rows);
  const state = foldSubject(events, subjectId);
  const records = tx.objectStore('records');
  if (!state) {
    await records.delete(subjectId);
    await tx.objectStore('summaries').delete(subjectId);
    await tx.objectStore('caseTexts').delete(subjectId);
    return problems;
  }
  const queued = await tx.objectStore('outbox').index('bySubject').getAll(subjectId);
  const record: SubjectRecord = {
    subjectId,
    kind: state.kind,
    state,
    updatedAt: now,
    pending: queued.some((q) => q.status === 'pending'),
    rejected: queued.some((q) => q.status === 'rejected'),
  };
  await records.put(record);
  await putSummary(tx, record);
  return problems;
}

/** Writes (or, for a kind without one, removes) the record's list summary, in the record's transaction. */
async function putSummary(tx: WriteTx, record: SubjectRecord): Promise<void> {
  const summary = summaryOf(record);
  if (summary) {
    await tx.objectStore('summaries').put(summary);
    await tx.objectStore('caseTexts').put(summary.about, summary.subjectId);
  } else {
    await tx.objectStore('summaries').delete(record.subjectId);
    await tx.objectStore('caseTexts').delete(record.subjectId);
  }
}

function stamp(draft: NewEvent, deviceId: string, deviceSeq: number, recordedAt: string, basedOn: string[] | undefined): unknown {
  const event: Record<string, unknown> = {
    id: uuidv7(),
    type: draft.type,
    subjectId: draft.subjectId,
    orgUnitId: draft.orgUnitId,
    occurredAt: draft.occurredAt,
    recordedAt,
    deviceId,
    deviceSeq,
    data: draft.data,
  };
  if (basedOn && basedOn.length > 0) event.basedOn = basedOn;
  return event;
}

/**
 * Checks drafts against the shared schema without saving: the form shows the message next to
 * the field. Returns undefined when every draft is valid.
 */
export function validateNewEvent(draft: NewEvent): InvalidEventError | undefined {
  const parsed = parseEvent(stamp(draft, 'check', 1, new Date().toISOString(), draft.basedOn));
  return parsed.ok ? undefined : new InvalidEventError(parsed.message, parsed.issues);
}

/**
 * Saves the user's new events: stamps id, deviceId, deviceSeq and recordedAt, validates each
 * with the shared schema, and writes events, refolded records, outbox entries, photos and the
 * cleared draft in one transaction. Resolves after the commit; throws InvalidEventError (and
 * writes nothing) when an event is invalid.
 */
export async function recordEvents(drafts: NewEvent[], opts: { clearDraft?: string; blobs?: BlobRecord[] } = {}): Promise<DomainEvent[]> {
  for (const d of drafts) {
    const problem = validateNewEvent(d);
    if (problem) throw problem;
  }
  const now = Date.now();
  const recordedAt = new Date(now).toISOString();
  const saved: DomainEvent[] = [];
  const bySubject = new Map<string, DomainEvent[]>();
  const problems = await inWriteTx(['events', 'records', 'summaries', 'caseTexts', 'outbox', 'meta', 'blobs', 'drafts'], async (tx) => {
    const meta = tx.objectStore('meta');
    const deviceId = await deviceIdIn(tx);
    const held = (await meta.get(META_DEVICE_SEQ))?.value;
    let seq = typeof held === 'number' && Number.isInteger(held) ? held : 0;
    for (const d of drafts) {
      let known = bySubject.get(d.subjectId);
      if (!known) {
        known = validEvents(await tx.objectStore('events').index('bySubject').getAll(d.subjectId)).events;
        bySubject.set(d.subjectId, known);
      }
      seq += 1;
      const parsed = parseEvent(stamp(d, deviceId, seq, recordedAt, d.basedOn ?? headsOf(known)));
      if (!parsed.ok) throw new InvalidEventError(parsed.message, parsed.issues);
      const event = parsed.value;
      known.push(event);
      saved.push(event);
      await tx.objectStore('events').put(event);
      await tx.objectStore('outbox').put({ id: event.id, event, queuedAt: now, attempts: 0, status: 'pending' });
    }
    await meta.put({ key: META_DEVICE_SEQ, value: seq });
    for (const b of opts.blobs ?? []) {
      // A photo already held (same hash) keeps its upload state.
      if (!(await tx.objectStore('blobs').getKey(b.sha256))) await tx.objectStore('blobs').put(b);
    }
    if (opts.clearDraft !== undefined) await tx.objectStore('drafts').delete(opts.clearDraft);
    const found: StorageProblem[] = [];
    for (const subjectId of bySubject.keys()) found.push(...(await refold(tx, subjectId, now)));
    return found;
  });
  reportProblems(problems, bySubject.keys());
  notifyStorageChanged();
  return saved;
}

/**
 * Takes in events pulled from the server: new ids are added, known ids get the server's seq,
 * authorId and receivedAt; touched subjects are refolded and the cursor moves (with the
 * generation of the log it counts in, when the answer named one, and the page's `resume`, which
 * the next pull sends to say the page arrived), all in one transaction, so a run cut short
 * resumes from a cursor that matches the data.
 */
export async function applyPulled(events: StoredEvent[], cursor: number, generation?: string, resume?: string): Promise<void> {
  const touched = new Set<string>();
  const now = Date.now();
  const problems = await inWriteTx(['events', 'records', 'summaries', 'caseTexts', 'outbox', 'meta'], async (tx) => {
    const store = tx.objectStore('events');
    // Every request of a page is issued at once (the transaction queues them in order): a
    // first pull of thousands of events does not wait on a round trip per event and subject.
    const held = await Promise.all(events.map((e) => store.get(e.id)));
    await Promise.all(
      events.map((e, i) => {
        if (typeof e.subjectId === 'string') touched.add(e.subjectId);
        const known = held[i];
        if (!known) return store.put(e);
        const next: LocalEvent = { ...known };
        if (e.seq !== undefined) next.seq = e.seq;
        if (e.authorId !== undefined) next.authorId = e.authorId;
        if (e.receivedAt !== undefined) next.receivedAt = e.receivedAt;
        return store.put(next);
      }),
    );
    const found = (await Promise.all([...touched].map((subjectId) => refold(tx, subjectId, now)))).flat();
    await tx.objectStore('meta').put({ key: META_CURSOR, value: cursor });
    await tx.objectStore('meta').put({ key: META_PULL_RESUME, value: resume ?? '' });
    if (generation !== undefined) await tx.objectStore('meta').put({ key: META_GENERATION, value: generation });
    return found;
  });
  reportProblems(problems, touched);
  notifyStorageChanged();
}

/** Refolds these subjects inside a transaction holding events, records, outbox, summaries and caseTexts (after events were taken out). */
export async function refoldSubjects(tx: WriteTx, subjectIds: Iterable<string>): Promise<void> {
  const now = Date.now();
  for (const subjectId of subjectIds) await refold(tx, subjectId, now);
}

/** Marks a subject's record pending/rejected from its outbox entries (after acks, retries). */
export async function refreshPending(tx: WriteTx, subjectIds: Iterable<string>): Promise<void> {
  const records = tx.objectStore('records');
  for (const subjectId of subjectIds) {
    const record = await records.get(subjectId);
    if (!record) continue;
    const queued = await tx.objectStore('outbox').index('bySubject').getAll(subjectId);
    const pending = queued.some((q) => q.status === 'pending');
    const rejected = queued.some((q) => q.status === 'rejected');
    if (record.pending === pending && Boolean(record.rejected) === rejected) continue;
    const next = { ...record, pending, rejected };
    await records.put(next);
    await putSummary(tx, next);
  }
}

/** A subject's valid events, oldest first (occurredAt, id); rows the schema refuses are reported. */
export async function getEvents(subjectId: string): Promise<DomainEvent[]> {
  const db = await openDb();
  const rows = await db.getAllFromIndex('events', 'bySubject', subjectId);
  const { events, problems } = validEvents(rows);
  reportProblems(problems, [subjectId]);
  return events.sort(compareEvents);
}

export async function getRecord(subjectId: string): Promise<SubjectRecord | undefined> {
  const db = await openDb();
  return db.get('records', subjectId);
}

/** Records of a kind, most recently changed first, optionally filtered. */
export async function listRecords(kind: SubjectRecord['kind'], filter?: (r: SubjectRecord) => boolean): Promise<SubjectRecord[]> {
  const db = await openDb();
  const all = await db.getAllFromIndex('records', 'byKind', kind);
  const kept = filter ? all.filter(filter) : all;
  return kept.sort((a, b) => b.updatedAt - a.updatedAt || (a.subjectId < b.subjectId ? -1 : 1));
}

/**
 * After an app update whose fold differs, rebuilds every record from its events (read back
 * through the schema). Cheap when nothing changed: one meta read.
 */
export async function rebuildRecordsIfStale(): Promise<void> {
  const db = await openDb();
  const held = (await db.get('meta', META_FOLD_VERSION))?.value;
  if (held === FOLD_VERSION) {
    await rebuildSummariesIfStale();
    return;
  }
  const subjectIds = await subjectsOf();
  const now = Date.now();
  const problems = await inWriteTx(['events', 'records', 'summaries', 'caseTexts', 'outbox', 'meta'], async (tx) => {
    const found: StorageProblem[] = [];
    for (const subjectId of subjectIds) found.push(...(await refold(tx, subjectId, now)));
    await tx.objectStore('meta').put({ key: META_FOLD_VERSION, value: FOLD_VERSION });
    await tx.objectStore('meta').put({ key: META_SUMMARY_VERSION, value: SUMMARY_VERSION });
    return found;
  });
  reportProblems(problems, subjectIds);
  notifyStorageChanged();

  function subjectsOf(): Promise<string[]> {
    return inReadTx(['events'], async (tx) => {
      const out = new Set<string>();
      let cursor = await tx.objectStore('events').index('bySubject').openKeyCursor(null, 'nextunique');
      while (cursor) {
        out.add(cursor.key);
        cursor = await cursor.continue();
      }
      return [...out];
    });
  }
}

/** After an app update whose summaries differ, rewrites them from the held records (no refold). */
async function rebuildSummariesIfStale(): Promise<void> {
  const db = await openDb();
  if ((await db.get('meta', META_SUMMARY_VERSION))?.value === SUMMARY_VERSION) return;
  await inWriteTx(['records', 'summaries', 'caseTexts', 'meta'], async (tx) => {
    await tx.objectStore('summaries').clear();
    await tx.objectStore('caseTexts').clear();
    let cursor = await tx.objectStore('records').index('byKind').openCursor('case');
    while (cursor) {
      await putSummary(tx, cursor.value);
      cursor = await cursor.continue();
    }
    await tx.objectStore('meta').put({ key: META_SUMMARY_VERSION, value: SUMMARY_VERSION });
  });
  notifyStorageChanged();
}
