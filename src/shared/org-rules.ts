// The shape of the org tree and where each role may be granted: one rule for the admin
// screens (which offer only sensible choices) and the server (which has the last word).
import type { OrgUnitKind, Role } from './codes.ts';

/** Which kinds of unit may sit directly under which (null: at the top of the tree). */
export const ALLOWED_PARENT_KINDS: Record<OrgUnitKind, readonly (OrgUnitKind | null)[]> = {
  county: [null],
  town: [null, 'county'],
  village: ['town'],
  community: ['town'],
  grid: ['village', 'community'],
  committee: ['town', 'village', 'community'],
  station: ['town', 'village', 'community'],
};

/** Which kinds of unit each role is granted on (an admin covers the whole tree). */
export const GRANT_KINDS: Record<Exclude<Role, 'admin'>, readonly OrgUnitKind[]> = {
  office: ['county', 'town', 'village', 'community'],
  mediator: ['town', 'village', 'community', 'committee', 'station'],
  grid_worker: ['grid', 'village', 'community'],
};
