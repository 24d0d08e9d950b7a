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

/**
 * Whether a unit is a row of a by-unit table only when it holds records. A 调委会 or 调解室
 * files its cases under its town or village (a mediator granted there writes its parent), so an
 * empty row of it only looks like a gap; an empty village or grid is a figure and is listed.
 * One rule for the workbook's 按单位 sheets and the pivot.
 */
export function listedOnlyWithRecords(unit: { kind: OrgUnitKind }): boolean {
  return unit.kind === 'committee' || unit.kind === 'station';
}
