// The units the office screens may pick: those the user's grants read (the server's own rule,
// #shared/access). The session also holds the ancestors of the user's units, for labels and
// pickers offline: a town's office reads no county, so 云阳县 is not offered to it.
import { grantedUnits, type Grant } from '#shared/access';
import type { OrgUnitInfo } from '../../session/state.ts';

export function officeUnits(s: { user: { roles: readonly Grant[] }; orgUnits: readonly OrgUnitInfo[] }): OrgUnitInfo[] {
  const { readable } = grantedUnits(s.orgUnits, s.user.roles);
  return s.orgUnits.filter((u) => readable.has(u.id));
}
