// Who is using this phone, as signals the whole app reads. The session controller
// (controller.ts) is the only writer; screens read `session`, `currentUser()` and the gate.
import { signal } from '@preact/signals';
import { MeOrgUnit, MeUnitName, SessionUser } from '#shared/api/auth';

/** The org units as GET /api/me sends them (kept in the cached session). */
export const OrgUnitInfo = MeOrgUnit;
export type OrgUnitInfo = MeOrgUnit;

/** Units of the user's town outside their own, by name only (GET /api/me unitNames). */
export const OrgUnitName = MeUnitName;
export type OrgUnitName = MeUnitName;

export const SessionUserSchema = SessionUser;

/** A logged-in session as the app uses it: valid until `expiresAt`, even with no network. */
export interface Session {
  token: string;
  user: SessionUser;
  orgUnits: OrgUnitInfo[];
  /** What a 更正 moved a case to or from, outside orgUnits: named, nothing more. */
  unitNames?: OrgUnitName[];
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
