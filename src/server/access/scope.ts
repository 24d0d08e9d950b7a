// Who is asking and what they may read and write. Every route asks this one place.
import type { DomainEvent } from '#shared/events';
import type { Role } from '#shared/codes';

export interface RoleGrant {
  role: Role;
  orgUnitId: string;
}

export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  roles: RoleGrant[];
  /** The token this request came with (one token per logged-in device). */
  tokenId: string;
}

export type WriteDecision = 'ok' | 'forbidden_org_unit' | 'forbidden_type';

export interface Scope {
  readonly principal: Principal;
  readonly isAdmin: boolean;
  /** Org unit ids whose events this user may read (subtrees of the grants, per role). */
  readonly readableUnits: ReadonlySet<string>;
  canRead(orgUnitId: string): boolean;
  canWrite(event: DomainEvent): WriteDecision;
  /** Whether names, phones and ID numbers of this unit's records are shown unmasked by default. */
  seesPersonalData(orgUnitId: string): boolean;
}
