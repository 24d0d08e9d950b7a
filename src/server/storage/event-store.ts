// Events, quarantine, projections, case-number counters, attachment references, devices'
// sync status and pull bookkeeping: the sync side of the store. Validation and scope
// decisions happen before (routes/sync.ts prepareItem); the store applies a batch in ONE
// transaction — statuses (services/push-plan.ts), case numbers (services/case-number.ts) and
// projection rows (services/projection.ts) included — and answers only after it is durably
// committed. Implementations: storage/sqlite/events.ts, storage/postgres/events.ts.
import type { DomainEvent, StoredEvent } from '#shared/events';
import type { PushResult } from '#shared/protocol';

/** An event that passed validation and the write scope: the store applies or deduplicates it. */
export interface AcceptedItem {
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
  items: PushItem[];
}

export interface PushOutcome {
  results: PushResult[];
  /** The device clock's error, device − server, in ms (services/push-plan.ts clockSkewOf). */
  clockSkewMs: number | undefined;
}

/** Which org units' rows a caller may see: 'all' for admins. */
export type UnitFilter = 'all' | readonly string[];

export interface PullQuery {
  /** Events with seq > afterSeq … */
  afterSeq: number;
  /** … and seq ≤ upToSeq when given (scope backfill). */
  upToSeq?: number;
  limit: number;
  units: UnitFilter;
}

/** Per token: units last served by pull, and a backfill in progress. */
export interface PullScopeState {
  served: UnitFilter;
  backfill: { units: UnitFilter; afterSeq: number; upToSeq: number } | undefined;
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

export interface QuarantineQuery {
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
export interface StatsQuery {
  year: number;
  fromMonth: number;
  toMonth: number;
}

export interface CaseAcceptedRow {
  orgUnitId: string;
  accepted: number;
}
export interface CaseClosedRow {
  orgUnitId: string;
  month: number;
  result: string;
  disputeType: string | null;
  source: string | null;
  referrer: string | null;
  agreementForm: string | null;
  performedFull: number;
  withAgreement: number;
  cases: number;
  peopleInvolved: number;
  amountInvolved: number;
}
export interface OutreachRow {
  orgUnitId: string;
  month: number;
  form: string | null;
  campaign: string | null;
  sessions: number;
  audience: number;
}
export interface OutreachThemeRow {
  orgUnitId: string;
  theme: string;
  sessions: number;
}
export interface SweepRow {
  orgUnitId: string;
  count: number;
  zeroReports: number;
  households: number;
  disputesFound: number;
}
export interface StatsAggregates {
  accepted: CaseAcceptedRow[];
  closed: CaseClosedRow[];
  outreach: OutreachRow[];
  outreachThemes: OutreachThemeRow[];
  sweeps: SweepRow[];
}

export interface EventStore {
  /** Applies a batch in one transaction; resolves only after the commit is durable. */
  pushEvents(batch: PushBatch): Promise<PushOutcome>;
  /** Committed events in seq order; never skips one that commits later with a lower seq. */
  pullEvents(query: PullQuery): Promise<StoredEvent[]>;
  getPullScope(tokenId: string): Promise<PullScopeState | undefined>;
  savePullScope(tokenId: string, state: PullScopeState, at: string): Promise<void>;
  recordPull(deviceId: string, userId: string, orgUnitId: string | undefined, at: string): Promise<void>;
  listDevices(units: UnitFilter): Promise<DeviceSyncStatus[]>;
  listQuarantine(query: QuarantineQuery): Promise<QuarantinedEvent[]>;
  /** Whether an event in these units names the attachment. */
  hasAttachmentRef(sha256: string, units: UnitFilter): Promise<boolean>;
  statsAggregates(query: StatsQuery): Promise<StatsAggregates>;
  dumpProjections(): Promise<ProjectionDump>;
}
