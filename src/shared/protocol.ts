// The sync protocol between phone and server: request and response shapes of push and
// pull, shared so that both sides are checked against the same contract (see README).
import * as v from 'valibot';
import { IsoInstant, MAX_BATCH, type StoredEvent } from './events.ts';

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

export type PushStatus = 'applied' | 'duplicate' | 'rejected';
export interface PushResult {
  id: string;
  status: PushStatus;
  error?: { code: string; message: string };
}
export interface PushResponse {
  results: PushResult[];
  /** Server clock at the push, ISO. */
  serverTime?: string;
  /** The device clock (recordedAt of its latest event vs the server) is off by more than a day. */
  clockSkewed?: boolean;
  clockSkewMs?: number;
}

export interface PullResponse {
  events: StoredEvent[];
  cursor: number;
  hasMore: boolean;
}

export interface ApiError {
  error: { code: string; message: string };
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: { role: string; orgUnitId: string }[];
}

export interface LoginResponse {
  token: string;
  user: SessionUser;
}
