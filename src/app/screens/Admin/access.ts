// Whether the logged-in user may open the admin area. Kept apart from the admin chunk so that
// App.tsx can decide to show the link without loading the chunk.
import { session } from '../../session/state.ts';

export function hasAdminRole(): boolean {
  return session.value?.user.roles.some((g) => g.role === 'admin') ?? false;
}
