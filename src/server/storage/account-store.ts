// Users, role grants, org units, tokens (one per logged-in device) and the audit log: the
// accounts side of the store. Expected failures come back as codes ('duplicate',
// 'not_found'), never as exceptions; times are passed in so tests can move the clock. A change
// made by a person takes its audit entry along, written in the change's own transaction: both
// are stored or neither (a change without its audit row, or a failed audit after a committed
// change, cannot happen).
import type { OrgUnitKind, Role } from '#shared/codes';

export interface OrgUnit {
  id: string;
  parentId: string | null;
  kind: OrgUnitKind;
  name: string;
  code: string | null;
  shortName: string | null;
  /** Local date (YYYY-MM-DD) from which the unit takes no new records (撤并); absent while open. */
  closedOn?: string | null;
  /** The unit it was merged into (合并), when it was. */
  successorId?: string | null;
  /** Parents it had before dated moves (a merge), oldest first: under `parentId` until the day before `movedOn`. */
  formerParents?: readonly OrgUnitMoveRecord[];
}

interface OrgUnitMoveRecord {
  parentId: string | null;
  movedOn: string;
}

interface OrgUnitPatch {
  parentId?: string | null;
  name?: string;
  code?: string | null;
  shortName?: string | null;
  closedOn?: string | null;
  successorId?: string | null;
}

/**
 * Whether a patch gives the unit a new name or a new parent, so that its name must be free
 * among its siblings then. A unit closing (closedOn set) moves under its successor as history: not checked.
 */
export function takesNewPlace(before: { name: string; parentId: string | null }, patch: OrgUnitPatch): boolean {
  if (patch.closedOn !== undefined) return false;
  return (patch.name !== undefined && patch.name !== before.name) || (patch.parentId !== undefined && patch.parentId !== before.parentId);
}

/** A dated move (a merge): from `movedOn` the unit sits under `toParentId`. */
export interface OrgUnitMove {
  unitId: string;
  fromParentId: string | null;
  toParentId: string | null;
  movedOn: string;
}

/** Several changes of the tree written as one: all of them with their audit rows, or none. */
export interface OrgChangeSet {
  creates?: readonly OrgUnit[];
  updates?: readonly { id: string; patch: OrgUnitPatch }[];
  moves?: readonly OrgUnitMove[];
  audit: readonly NewAuditEntry[];
}

/**
 * A unit written with the name a sibling (a unit of the same parent) already has: the whole
 * write is refused. Checked for units created, renamed or moved, inside the write's
 * transaction; pairs already in the database are left alone (no unique index).
 */
export interface NameClash {
  code: 'duplicate_name';
  unitId: string;
  name: string;
  parentId: string | null;
}

/** A role held on an org unit; an admin grant covers the whole tree and has orgUnitId null. */
export interface StoredRoleGrant {
  role: Role;
  orgUnitId: string | null;
}

export interface AccountUser {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  roles: StoredRoleGrant[];
  createdAt: string;
}

export interface UserCredentials extends AccountUser {
  passwordHash: string;
}

interface NewUser {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: StoredRoleGrant[];
  createdAt: Date;
}

interface UserPatch {
  displayName?: string;
  disabled?: boolean;
  roles?: StoredRoleGrant[];
  passwordHash?: string;
}

/** A bearer token as stored: only its SHA-256 is kept. One per logged-in device. */
export interface DeviceSession {
  id: string;
  userId: string;
  username: string;
  deviceId: string | null;
  deviceName: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

interface NewToken {
  id: string;
  tokenHash: string;
  userId: string;
  deviceId: string | null;
  deviceName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

interface TokenLookup {
  session: DeviceSession;
  user: AccountUser;
  /**
   * The stamp of the user's scope (see usableTokens), read with the token and no later than the
   * user's roles: a change landing after the lookup moves the stamp away from this one.
   */
  scopeStamp: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectId: string | null;
  orgUnitId: string | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at: Date };

interface AuditQuery {
  from?: Date;
  to?: Date;
  action?: string;
  actorId?: string;
  subjectId?: string;
  /** Newest first; page with the smallest id seen so far. */
  beforeId?: number;
  limit: number;
}

/** What goes with a user's change in its transaction. */
interface UserChange {
  /** Also revoke every live token of the user (disabling an account, a password reset). */
  revokeTokens?: boolean;
  /** The audit entry, given how many tokens were revoked. */
  audit?: (revokedTokens: number) => NewAuditEntry;
}

export interface AccountStore {
  listOrgUnits(): Promise<OrgUnit[]>;
  /**
   * All or nothing, with the audit entry: 'duplicate' when an id or a code is already taken, a
   * NameClash when a sibling has the name (nothing is written).
   */
  insertOrgUnits(units: readonly OrgUnit[], at: Date, audit?: NewAuditEntry): Promise<'ok' | 'duplicate' | NameClash>;
  /** A new name or parent must leave the name unique among the siblings (else a NameClash, nothing written). */
  updateOrgUnit(id: string, patch: OrgUnitPatch, audit?: NewAuditEntry): Promise<'ok' | 'not_found' | 'duplicate' | NameClash>;
  /**
   * Creates, updates and dated moves in one transaction with their audit rows (an import, a
   * merge): 'duplicate' (an id or a code taken), 'not_found' (an updated unit gone) or a
   * NameClash (a created, renamed or moved unit's name taken by a sibling) write nothing. A
   * unit closing in the change (patch with closedOn) moves as history and is not checked.
   */
  applyOrgChanges(change: OrgChangeSet, at: Date): Promise<'ok' | 'not_found' | 'duplicate' | NameClash>;

  countUsers(): Promise<number>;
  insertUser(user: NewUser, audit?: NewAuditEntry): Promise<'ok' | 'duplicate'>;
  /** Matched regardless of ASCII case (usernames are unique that way too). */
  findUserByUsername(username: string): Promise<UserCredentials | undefined>;
  findUserById(id: string): Promise<UserCredentials | undefined>;
  listUsers(): Promise<AccountUser[]>;
  updateUser(id: string, patch: UserPatch, at: Date, change?: UserChange): Promise<'ok' | 'not_found'>;

  insertToken(token: NewToken): Promise<void>;
  /** The token row and its user, whatever their state: the caller checks expiry, revocation, disabled. */
  findToken(tokenHash: string): Promise<TokenLookup | undefined>;
  touchToken(id: string, lastUsedAt: Date, expiresAt: Date): Promise<void>;
  revokeToken(id: string, at: Date, audit?: NewAuditEntry): Promise<'ok' | 'not_found'>;
  /** Revokes every live token of a user (or only those of one device); returns how many. */
  revokeUserTokens(userId: string, at: Date, deviceId?: string): Promise<number>;
  /** Tokens not revoked and not expired at `now`, newest first. */
  listLiveTokens(now: Date, userId?: string): Promise<DeviceSession[]>;
  /**
   * Of the token ids, those still usable at `now`: not revoked, not expired, their user not
   * disabled (one lookup for many open streams). Each with a stamp of what its read scope is
   * made of (the user's roles, by the user row's updated_at, and the org tree's version): a
   * stamp that changed means the scope may have.
   */
  usableTokens(ids: readonly string[], now: Date): Promise<{ id: string; scopeStamp: string }[]>;

  appendAudit(entry: NewAuditEntry): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
}
