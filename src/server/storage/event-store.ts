// Events, quarantine, projections, case-number counters, attachment references, devices'
// sync status and pull bookkeeping: the sync side of the store. Validation and scope
// decisions happen before (routes/sync.ts prepareItem); the push algorithm is written once
// in services/push.ts against the small PushTx port below, which each store runs as ONE
// transaction that commits before the push is answered. The stores hold only SQL:
// storage/sqlite/events.ts, storage/postgres/events.ts.
import type { DomainEvent, StoredEvent } from '#shared/events';
import type { PushResult } from '#shared/protocol';
import type { AcceptedFactRow, ClosedFactRow, OutreachFactRow, SweepFactRow, ThemeFactRow } from '#shared/stats/summary';

/** An event that passed validation and the write scope: the store applies or deduplicates it. */
interface AcceptedItem {
  kind: 'accepted';
  event: DomainEvent;
  /**
   * The JSON stored for the event. "Same content" is decided by canonicalJson of both sides
   * (services/push-plan.ts), so any faithful JSON of the event will do: canonicalJson(event),
   * or, as the push route does, JSON.stringify of parseEvent's output (valibot emits keys in
   * schema order, so that is stable too and 3–4× cheaper).
   */
  canonical: string;
}

/** An event refused before the store (invalid, server-only type, outside the write scope). */
export interface RefusedItem {
  kind: 'refused';
  /** The id the device sent, or '' when there was none to echo. */
  id: string;
  code: string;
  message: string;
  /** The raw event as JSON, capped in size by the caller. */
  raw: string;
  rawTruncated: boolean;
  subjectId: string | undefined;
  orgUnitId: string | undefined;
  type: string | undefined;
  /**
   * For a valid event refused by scope: its stored JSON. When the store already holds it
   * (its earlier push was applied, the answer lost, the user's scope changed since) the
   * retry is a duplicate, not a rejection.
   */
  canonical?: string;
}

export type PushItem = AcceptedItem | RefusedItem;

export interface PushBatch {
  authorId: string;
  deviceId: string;
  /** Server time of the request, ISO; becomes each event's receivedAt. */
  receivedAt: string;
  /** The pusher's home unit, recorded on the device row so office staff see their devices. */
  userOrgUnitId: string | undefined;
  /** Outbox size the device reported, if any. */
  pending: number | undefined;
  /** The device's clock when it sent the batch, if it said. */
  sentAt?: string | undefined;
  /** Deployment time zone: projections group by local dates. */
  timeZone: string;
  /** The key the numbers this push hands out are sealed with (LogIdentityStore.caseNumberSealKey); unsealed without. */
  sealKey?: Buffer;
  items: PushItem[];
  /**
   * The daily push budgets this batch counts against (services/budgets.ts): its applied and
   * rejected events are added to them in the push's own transaction, not in a second commit.
   */
  usage?: { subjects: readonly string[]; day: string };
}

export interface PushOutcome {
  results: PushResult[];
  /** The device clock's error, device − server, in ms (services/push-plan.ts clockSkewOf). */
  clockSkewMs: number | undefined;
}

/** Where a subject already in the log lives: the unit and type of its first event (lowest seq). */
export interface SubjectHome {
  orgUnitId: string;
  type: string;
}

/** An org unit as numbering reads it. */
export interface OrgRow {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  shortName: string | null;
}

/** What choosing a case's numbering committee reads (services/case-number.ts chooseNumberingBody). */
export interface NumberingContext {
  /** The committee the phone named, when it did and the unit exists. */
  explicit: OrgRow | undefined;
  /** The case's unit then its ancestors, nearest first. */
  chain: OrgRow[];
  /** The committee-kind children of the chain's units. */
  committees: OrgRow[];
}

/** A case's unit and the committee its phone named, if any. */
interface NumberingLookup {
  orgUnitId: string;
  committeeId: string | undefined;
}

/** The last sequence a committee handed out for a year (case_number_counters). */
export interface CaseCounter {
  committeeId: string;
  year: number;
  lastSequence: number;
}

/** How many case numbers a push takes from a committee's counter for a year. */
export interface CaseSequenceRequest {
  committeeId: string;
  year: number;
  count: number;
}

/** One event to append; the store assigns seq in the order given. */
export interface EventToInsert {
  event: DomainEvent;
  /** The JSON stored as the body. */
  body: string;
  authorId: string;
  receivedAt: string;
  /** Who pulls it: the case's unit after this push (a 更正 moves it), else the envelope's unit. */
  scopeUnitId?: string;
  /** The case's unit before this push, when the push moved it: that unit's phones still get this push's events. */
  movedFromUnitId?: string;
}

/** A rejected event as kept in quarantine; `fingerprint` makes a retried batch land once. */
export interface QuarantineRow {
  fingerprint: string;
  eventId: string | null;
  subjectId: string | null;
  orgUnitId: string | null;
  type: string | null;
  code: string;
  message: string;
  authorId: string;
  deviceId: string;
  receivedAt: string;
  raw: string;
  rawTruncated: boolean;
}

interface AttachmentRef {
  sha256: string;
  eventId: string;
  orgUnitId: string;
}

/** One projection row: column → value, columns as in services/projection.ts PROJECTION_TABLES. */
export type ProjectionRow = Record<string, string | number | null>;
export type ProjectionTableName = 'case_projection' | 'outreach_projection' | 'sweep_projection';

/** Which projection a subject's rows are in: the cases', the outreach's (with its themes), the sweeps'. */
export type LeafKind = 'case' | 'outreach' | 'sweep';

/** Subjects by the projection their rows are in (storage/event-sql.ts leafFactsSql). */
export type LeafSubjects = Readonly<Record<LeafKind, readonly string[]>>;

/** An outreach activity's theme row (outreach_themes): a theme with the columns stats filter by. */
export interface ThemeRow {
  subject_id: string;
  theme: string;
  org_unit_id: string;
  year: number | null;
  month: number | null;
  voided: number;
}

/** A change to one (year, unit, month) row of sweep_totals, added to what is there. */
export interface SweepTotalsDelta {
  year: number;
  org_unit_id: string;
  month: number;
  count: number;
  zero_reports: number;
  households: number;
  disputes_found: number;
}

/** The sweep_projection columns sweep totals are made of, as read back before a sweep's row is replaced. */
export interface SweepTotalsSource {
  subject_id: string;
  org_unit_id: string;
  year: number | null;
  month: number | null;
  households: number;
  disputes_found: number;
  zero_report: number;
  voided: number;
}

/**
 * One row of the statistics rollup (storage/event-sql.ts ROLLUP_KEYS, ROLLUP_SUMS) at a subject's
 * own unit: a subject's share of it (leafFacts, with its subject_id), or a change to add to that
 * unit and its ancestors (addStatsRollup, summed over subjects, subject_id left out).
 */
export interface RollupRow {
  year: number;
  unit_id: string;
  fact: string;
  month: number;
  k1: string;
  k2: string;
  k3: string;
  k4: string;
  k5: number;
  k6: number;
  n: number;
  v1: number;
  v2: number;
  v3: number;
  subject_id?: string;
}

/** A unit's rollup rows of a period, months kept (storage/event-sql.ts ROLLUP_READ_SQL), sums as the driver returns them. */
export type RollupReadRow = Omit<RollupRow, 'year' | 'unit_id' | 'subject_id' | 'k5' | 'k6' | 'n' | 'v1' | 'v2' | 'v3' | 'month'> & {
  month: number | string;
  k5: number | string;
  k6: number | string;
  n: number | string;
  v1: number | string;
  v2: number | string;
  v3: number | string;
};

/** A period's rollup for one unit: its own rows, and per child its resolved cases and outreach sessions. */
export interface StatsRollup {
  rows: RollupReadRow[];
  children: { unitId: string; fact: 'resolved' | 'sessions'; n: number | string }[];
}

interface DevicePushRow {
  deviceId: string;
  userId: string;
  orgUnitId: string | null;
  at: string;
  pending: number | null;
  clockSkewMs: number | null;
  lastRecordedAt: string | null;
}

/**
 * The reads and writes of one push transaction, and nothing else. Reads see the writes made
 * before them in the same transaction. As services/push.ts relies on it: when the push commits,
 * no other push has committed events of its subjects since its first read (SQLite runs pushes
 * one at a time; PostgreSQL runs them side by side and retries one that lost that race, see
 * storage/postgres/events.ts), and insertEvents is the last call but for addStatsRollup.
 */
export interface PushTx {
  /** Stored JSON of the events among `ids` that the log holds. */
  eventBodies(ids: readonly string[]): Promise<Map<string, string>>;
  subjectHomes(subjectIds: readonly string[]): Promise<Map<string, SubjectHome>>;
  /** Every stored event of these subjects, in seq order. */
  subjectEvents(subjectIds: readonly string[]): Promise<Map<string, DomainEvent[]>>;
  /** What numbering reads for each (unit, named committee) of the cases to number, in the order asked. */
  numberingContexts(requests: readonly NumberingLookup[]): Promise<NumberingContext[]>;
  /**
   * Takes `count` numbers from each (committee, year) counter, keys distinct, and answers the last
   * sequence handed out before them (0 for a counter not yet there). The counter stays locked until
   * the commit: concurrent pushes of one committee number in turn, and a rollback hands nothing out.
   */
  reserveCaseSequences(requests: readonly CaseSequenceRequest[]): Promise<CaseCounter[]>;
  /**
   * Raises each (committee, year) counter to at least `sequence`: a number given back after a
   * restore is never handed out afresh. Locks the counters as reserveCaseSequences does.
   */
  raiseCaseCounters(numbers: readonly CaseCounter[]): Promise<void>;
  /** Which of these printed case numbers some case of the log already holds (its projection's case_number). */
  caseNumbersHeld(caseNumbers: readonly string[]): Promise<Set<string>>;
  /** The current sweep_projection rows of these subjects. */
  sweepRows(subjectIds: readonly string[]): Promise<Map<string, SweepTotalsSource>>;
  /** Appends events with seq assigned in the given order, after every committed seq; called last but for addStatsRollup. */
  insertEvents(rows: readonly EventToInsert[]): Promise<void>;
  /** The rollup rows these subjects' projection rows make now, each with its subject_id (leafFactsSql). */
  leafFacts(subjects: LeafSubjects): Promise<RollupRow[]>;
  /**
   * Adds these changes to their units' rollup rows and their ancestors'. Called after insertEvents:
   * on PostgreSQL under the push ordering lock, so the rows shared by every push (a county's) are
   * written one push at a time in commit order, and the tree read is the last committed one.
   */
  addStatsRollup(deltas: readonly RollupRow[]): Promise<void>;
  /** Quarantine rows; one already there under the same fingerprint is kept. */
  insertQuarantine(rows: readonly QuarantineRow[]): Promise<void>;
  insertAttachmentRefs(refs: readonly AttachmentRef[]): Promise<void>;
  upsertProjections(table: ProjectionTableName, rows: readonly ProjectionRow[]): Promise<void>;
  /** Replaces the theme rows of these outreach subjects by `rows`. */
  replaceThemes(subjectIds: readonly string[], rows: readonly ThemeRow[]): Promise<void>;
  addSweepTotals(deltas: readonly SweepTotalsDelta[]): Promise<void>;
  recordDevicePush(row: DevicePushRow): Promise<void>;
  /** Adds `events` to each subject's usage_counters row of the day. */
  addPushUsage(subjects: readonly string[], day: string, events: number): Promise<void>;
}

/** Which org units' rows a caller may see: 'all' for admins. */
export type UnitFilter = 'all' | readonly string[];

export interface PullQuery {
  /** Events with seq > afterSeq … */
  afterSeq: number;
  /** … and seq ≤ upToSeq when given (scope backfill). */
  upToSeq?: number;
  limit: number;
  /**
   * … whose scope unit is one of these (a case's unit when the event was pushed: it follows
   * the case's 更正 of the unit), or that moved a case out of one of them.
   */
  units: UnitFilter;
  /**
   * … or, instead of `units`, the events of these subjects up to each one's own seq (cases moved
   * into the caller's units: their history up to the move in, never what they did elsewhere after).
   */
  subjects?: readonly { subjectId: string; upToSeq: number }[];
}

export interface PulledRow {
  event: StoredEvent;
  scopeUnitId: string;
}

/** A case moved into a unit by a 更正: the subject and the seq of the event that moved it. */
interface CaseMove {
  subjectId: string;
  seq: number;
  unitId: string;
}

interface UnitHead {
  orgUnitId: string;
  seq: number;
}

/** Per token: units last served by pull, and a backfill in progress. */
export interface PullScopeState {
  served: UnitFilter;
  backfill: { units: UnitFilter; afterSeq: number; upToSeq: number } | undefined;
  /**
   * Cases moved into the served units: the last move seq looked at, and the moved cases whose
   * earlier events are being sent (services/pull-backfill.ts). Absent while there was none.
   */
  moves?: PullMovesState;
  /**
   * A backfill page answered but not yet known to be stored by the phone: the state to take on
   * when the phone's next pull names `id` (its `resume`), services/pull-backfill.ts.
   */
  offer?: PullOffer;
}

export interface PullOffer {
  id: string;
  next: Omit<PullScopeState, 'offer'>;
}

export interface PullMovesState {
  seen: number;
  /**
   * The moved cases whose events are being sent: each with the unit it moved into (for masking)
   * and the seq of that move (its events up to there; states saved before it was kept use upToSeq).
   */
  backfill?: { cases: { subjectId: string; unitId: string; movedAt?: number }[]; afterSeq: number; upToSeq: number };
}

export interface DeviceSyncStatus {
  deviceId: string;
  userId: string;
  orgUnitId: string | null;
  lastPushAt: string | null;
  lastPullAt: string | null;
  pending: number | null;
  clockSkewMs: number | null;
  lastRecordedAt: string | null;
}

export interface QuarantinedEvent {
  qid: number;
  eventId: string | null;
  subjectId: string | null;
  orgUnitId: string | null;
  type: string | null;
  code: string;
  message: string;
  authorId: string;
  deviceId: string;
  receivedAt: string;
  raw: string;
  rawTruncated: boolean;
  /** The event went in since (fixed and resent under its id, or a retry): nothing left to do. */
  resolved: boolean;
}

interface QuarantineQuery {
  /** The author's own rejected events … */
  authorId?: string;
  /** … or, for office staff, those about these units (plus their own). */
  units?: UnitFilter;
  limit: number;
}

/** Every projection row, in a stable order: what the property tests compare. */
export interface ProjectionDump {
  cases: Record<string, unknown>[];
  outreach: Record<string, unknown>[];
  outreachThemes: Record<string, unknown>[];
  sweeps: Record<string, unknown>[];
  /** Non-empty rows of sweep_totals. */
  sweepTotals: Record<string, unknown>[];
}

/** Aggregates over projection columns for one year (and optional month range), per org unit. */
interface StatsQuery {
  year: number;
  fromMonth: number;
  toMonth: number;
}

/**
 * The period's GROUP BY rows over the projection columns: the shared fact rows
 * (#shared/stats/summary FactRows) as the driver returns them — PostgreSQL answers count and
 * sum over integers as strings, and flags are 0/1 integers on both databases.
 */
type SqlRow<T> = { [K in keyof T]: T[K] extends number | boolean ? number | string : T[K] };
export interface StatsAggregates {
  accepted: SqlRow<AcceptedFactRow>[];
  closed: SqlRow<ClosedFactRow>[];
  outreach: SqlRow<OutreachFactRow>[];
  outreachThemes: SqlRow<ThemeFactRow>[];
  sweeps: SqlRow<SweepFactRow>[];
  /** The last event seq in the same snapshot: what a period close records as seen. */
  seq: number;
}

export interface EventStore {
  /**
   * Runs `fn` as one push transaction (services/push.ts is the only caller); resolves only after
   * the commit is durable, rolls back when `fn` throws. `fn` may be run again in a new transaction
   * (PostgreSQL, when a concurrent push touched the same subjects): it must do nothing but call `tx`.
   */
  transactPush<T>(fn: (tx: PushTx) => Promise<T>): Promise<T>;
  /** Committed events in seq order; never skips one that commits later with a lower seq. */
  pullEvents(query: PullQuery): Promise<StoredEvent[]>;
  /** The same rows with the unit each is pulled under (what masking asks about). */
  pullScoped(query: PullQuery): Promise<PulledRow[]>;
  /** Cases moved into these units by events with seq > afterSeq, in seq order (at most `limit`). */
  movesInto(units: UnitFilter, afterSeq: number, limit: number): Promise<CaseMove[]>;
  getPullScope(tokenId: string): Promise<PullScopeState | undefined>;
  savePullScope(tokenId: string, state: PullScopeState, at: string): Promise<void>;
  recordPull(deviceId: string, userId: string, orgUnitId: string | undefined, at: string): Promise<void>;
  listDevices(units: UnitFilter): Promise<DeviceSyncStatus[]>;
  listQuarantine(query: QuarantineQuery): Promise<QuarantinedEvent[]>;
  /** The highest committed seq (0 for an empty log): where the live channel starts watching. */
  logHead(): Promise<number>;
  /** Per org unit, its highest committed seq above `afterSeq` (units with none are left out): what the live channel announces. */
  unitHeadsAfter(afterSeq: number): Promise<UnitHead[]>;
  /** Whether an event in these units names the attachment. */
  hasAttachmentRef(sha256: string, units: UnitFilter): Promise<boolean>;
  statsAggregates(query: StatsQuery): Promise<StatsAggregates>;
  /** One unit's rollup for the period and its children's (`children`, the unit's children now), in one snapshot. */
  statsRollup(query: StatsQuery & { orgUnitId: string; children: readonly string[] }): Promise<StatsRollup>;
  dumpProjections(): Promise<ProjectionDump>;
}
