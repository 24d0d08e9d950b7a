// The sync messages between phone and server (design.md "Sync contract"): push, pull, the
// quarantine list and photo uploads. The server types its answers with these schemas and the
// phone checks what it receives against them, so both sides hold the same contract.
import * as v from 'valibot';
import { IsoInstant, MAX_BATCH, type StoredEvent } from '../events.ts';

export const PushRequest = v.object({
  deviceId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  // Events are validated one by one, so that one bad event is rejected alone.
  events: v.pipe(v.array(v.unknown()), v.maxLength(MAX_BATCH, `一次最多上传 ${MAX_BATCH} 条`)),
  // Outbox size on the device, shown to office staff with the device's sync status.
  pending: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000))),
  // The device clock when sending: lets the server tell a wrong clock from a phone long offline.
  sentAt: v.optional(IsoInstant),
});
export type PushRequest = v.InferOutput<typeof PushRequest>;

const PushStatus = v.picklist(['applied', 'duplicate', 'rejected']);
type PushStatus = v.InferOutput<typeof PushStatus>;

export const PushResult = v.object({
  id: v.string(),
  status: PushStatus,
  // A string, not the ErrorCode picklist: a reject code a newer server adds must not make the
  // whole answer unreadable (the outbox entry would never be acknowledged).
  error: v.optional(v.object({ code: v.string(), message: v.string() })),
});
export type PushResult = v.InferOutput<typeof PushResult>;

export const PushResponse = v.object({
  results: v.array(PushResult),
  /** Server clock at the push, ISO. */
  serverTime: v.optional(v.string()),
  /** The device clock (recordedAt of its latest event vs the server) is off by more than a day. */
  clockSkewed: v.optional(v.boolean()),
  clockSkewMs: v.optional(v.number()),
});
export type PushResponse = v.InferOutput<typeof PushResponse>;

// Pulled events are validated in full by the phone's storage (parseEvent) before folding;
// the message itself promises what a sync run relies on.
const PulledEvent = v.looseObject({ id: v.string(), seq: v.number() });

export const PullResponse = v.object({
  events: v.array(PulledEvent),
  cursor: v.pipe(v.number(), v.integer(), v.minValue(0)),
  hasMore: v.boolean(),
  /**
   * The log's identity (server storage/log-identity-store.ts): a new one after a restore or a
   * failover. A phone that synced with another generation starts over from cursor 0 and offers
   * its own events again. Optional: older servers do not send it, older phones ignore it.
   */
  generation: v.optional(v.string()),
  /**
   * The cursor sent does not count in this log: 'cursor_ahead', beyond its end, or
   * 'other_generation', answered to this token by another generation. The answer is empty with
   * cursor 0 and hasMore, so that a phone that does not know the field simply pulls again from
   * the start; one that does starts over as for a new generation. A string: a reason a newer
   * server adds is still a restart.
   */
  restart: v.optional(v.string()),
  /**
   * A backfill page (older events of a grown scope or of a case moved in; the cursor stays): the
   * phone stores it with the page and sends it as `resume` with its next pull, which tells the
   * server the page arrived. Without it the page is sent again.
   */
  resume: v.optional(v.string()),
});
/** Why a pull answers "start again from 0". */
export type PullRestart = 'cursor_ahead' | 'other_generation';
/** The answer as the server sends it: whole stored events (parties masked where the caller may not see them). */
export type PullResponse = { events: StoredEvent[]; cursor: number; hasMore: boolean; generation?: string; restart?: PullRestart; resume?: string };

const QuarantinedEvent = v.object({
  qid: v.number(),
  eventId: v.nullable(v.string()),
  subjectId: v.nullable(v.string()),
  orgUnitId: v.nullable(v.string()),
  type: v.nullable(v.string()),
  code: v.string(),
  message: v.string(),
  authorId: v.string(),
  deviceId: v.string(),
  receivedAt: v.string(),
  /** The record as sent; null for office staff reading another author's. */
  raw: v.nullable(v.string()),
  rawTruncated: v.boolean(),
  resolved: v.boolean(),
});
export const RejectedResponse = v.object({ rejected: v.array(QuarantinedEvent) });
export type RejectedResponse = v.InferOutput<typeof RejectedResponse>;

// The phone relies on the name only: a 200 that does not name the photo it sent is not ours.
export const AttachmentStored = v.object({ sha256: v.string(), size: v.optional(v.number()), status: v.optional(v.picklist(['created', 'held'])) });
export type AttachmentStored = v.InferOutput<typeof AttachmentStored>;
