// Who is asking and what they may read and write. Every route asks this one place.
import { SERVER_ONLY_TYPES, type DomainEvent } from '#shared/events';
import { grantedUnits } from '#shared/access';
import type { Role } from '#shared/codes';
import { loadOrgTree, type OrgTree, type OrgTreeSource } from './org-tree.ts';

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
  /** The device the token was issued to at login, when the phone named one. */
  deviceId?: string | null;
}

type WriteDecision = 'ok' | 'forbidden_org_unit' | 'forbidden_type';

export interface Scope {
  readonly principal: Principal;
  readonly isAdmin: boolean;
  /** Org unit ids whose events this user may read (subtrees of the grants, per role). */
  readonly readableUnits: ReadonlySet<string>;
  /** Org unit ids where this user may record field events (cases, outreach, sweeps); all units for an admin. */
  readonly writableUnits: ReadonlySet<string>;
  canRead(orgUnitId: string): boolean;
  canWrite(event: DomainEvent): WriteDecision;
  /** Whether this user may record office ledger entries (法律顾问, 行政执法…) for this unit: admin, or office in its subtree. */
  canKeepLedger(orgUnitId: string): boolean;
  /** Whether names, phones and ID numbers of this unit's records are shown unmasked by default. */
  seesPersonalData(orgUnitId: string): boolean;
}

/** Distinct grant sets whose units are kept per tree: a county's accounts share a few hundred at most. */
const GRANTS_KEPT = 256;
const grantedByTree = new WeakMap<OrgTree, Map<string, ReturnType<typeof grantedUnits>>>();

/**
 * The units of these grants over this tree, computed once per tree (the cached tree is replaced
 * when the org version changes): over a city's tens of thousands of units an admin's sets took
 * tens of milliseconds on every request.
 */
function grantedOf(tree: OrgTree, roles: readonly RoleGrant[]): ReturnType<typeof grantedUnits> {
  const key = JSON.stringify(roles.map((g) => [g.role, g.orgUnitId]).sort());
  let kept = grantedByTree.get(tree);
  if (!kept) grantedByTree.set(tree, (kept = new Map()));
  const hit = kept.get(key);
  if (hit) return hit;
  const granted = grantedUnits([...tree.units.values()], roles);
  if (kept.size >= GRANTS_KEPT) kept.clear();
  kept.set(key, granted);
  return granted;
}

/** The orgUnitId an admin grant shows on the wire: it covers the whole tree. */
export const ALL_UNITS = '*';

/**
 * What a set of grants may read and write, from the org tree (the rule table is
 * src/shared/access.ts, which the app uses too):
 * - admin: everything;
 * - office: reads the subtree of its unit; personal data masked; writes no field events,
 *   but keeps the office ledgers there (canKeepLedger; ledger events are server-written);
 * - mediator: reads and writes case, outreach and sweep events in the subtree of its village,
 *   community or town; a grant on a committee or a station means its parent's subtree;
 * - grid_worker: reads and writes in its grid and below;
 * several grants union. Writing to a unit that does not exist, or where the grants do not
 * allow it, is 'forbidden_org_unit'; server-only event types (case numbers, office ledger
 * entries) are 'forbidden_type' for everyone.
 */
export function scopeFromTree(tree: OrgTree, principal: Principal): Scope {
  const granted = grantedOf(tree, principal.roles);
  return {
    principal,
    isAdmin: granted.isAdmin,
    readableUnits: granted.readable,
    writableUnits: granted.recordable,
    canRead: (orgUnitId) => granted.readable.has(orgUnitId),
    canWrite(event: DomainEvent): WriteDecision {
      if (SERVER_ONLY_TYPES.has(event.type)) return 'forbidden_type';
      if (!tree.get(event.orgUnitId)) return 'forbidden_org_unit';
      return granted.recordable.has(event.orgUnitId) ? 'ok' : 'forbidden_org_unit';
    },
    canKeepLedger: (orgUnitId) => granted.ledgers.has(orgUnitId),
    seesPersonalData: (orgUnitId) => granted.personalData.has(orgUnitId),
  };
}

/** The scope of a request's principal, over the (briefly cached) org tree. */
export async function resolveScope(store: OrgTreeSource, principal: Principal): Promise<Scope> {
  return scopeFromTree(await loadOrgTree(store), principal);
}
