// Whether the signed-in user may record field events (a case's 调解记录, 结案, 履行, 回访, 更正,
// 作废…) in a unit: the server's own rule table (src/shared/access.ts) over the org tree
// cached with the session, so a screen never offers a write the server would refuse.
import { grantedUnits } from '#shared/access';
import { session } from './state.ts';

export function mayRecordIn(orgUnitId: string): boolean {
  const current = session.value;
  if (!current) return false;
  return grantedUnits(current.orgUnits, current.user.roles).recordable.has(orgUnitId);
}

/** Whether the user may record anywhere: office staff without a field role may not, so no 登记 is offered to them. */
export function mayRecordAnywhere(): boolean {
  const current = session.value;
  if (!current) return false;
  return grantedUnits(current.orgUnits, current.user.roles).recordable.size > 0;
}
