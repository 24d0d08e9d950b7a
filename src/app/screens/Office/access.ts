// Whether the signed-in user may open the office screens (统计, exports, report): office
// staff and admins. Kept apart from the office chunk so that the shell can show the tab
// without loading the chunk.
import { session } from '../../session/state.ts';

export function hasOfficeRole(): boolean {
  return session.value?.user.roles.some((g) => g.role === 'office' || g.role === 'admin') ?? false;
}
