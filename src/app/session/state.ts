// Who is using this phone, as signals the whole app reads. The session controller
// (controller.ts) is the only writer; screens read `session`, `currentUser()` and the gate.
import { signal } from '@preact/signals';
import * as v from 'valibot';
import type { SessionUser } from '#shared/protocol';

export const OrgUnitInfo = v.object({
  id: v.string(),
  parentId: v.nullable(v.string()),
  kind: v.string(),
  name: v.string(),
  shortName: v.optional(v.nullable(v.string())),
  /** Set by the server (GET /api/me): whether this user may record here. */
  writable: v.optional(v.boolean()),
});
export type OrgUnitInfo = v.InferOutput<typeof OrgUnitInfo>;

export const SessionUserSchema = v.object({
  id: v.string(),
  username: v.string(),
  displayName: v.string(),
  roles: v.array(v.object({ role: v.string(), orgUnitId: v.string() })),
});

/** A logged-in session as the app uses it: valid until `expiresAt`, even with no network. */
export interface Session {
  token: string;
  user: SessionUser;
  orgUnits: OrgUnitInfo[];
  expiresAt: number;
}

export type GateState =
  | { status: 'loading' }
  /** Nobody is logged in, or the login is over (`reason`); `previousUser` still owns the data on the phone. */
  | { status: 'signed_out'; reason?: SignedOutReason; previousUser?: SessionUser }
  /** Logged in for the first time on this phone: a PIN must be chosen before use. */
  | { status: 'set_pin' }
  /** The phone was idle: the PIN unlocks it, no network needed. */
  | { status: 'locked' }
  | { status: 'open' };

export type SignedOutReason = 'expired' | 'unauthorized' | 'pin_attempts' | 'pin_forgotten' | 'logged_out';

/** The current session (also while locked: records keep syncing behind the PIN screen). */
export const session = signal<Session | null>(null);
export const gate = signal<GateState>({ status: 'loading' });

export function currentUser(): SessionUser | undefined {
  return session.value?.user;
}
