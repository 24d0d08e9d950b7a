// Who gets the desk layout (DeskNav.tsx, desk.css): apart from the navigation, which is a lazy
// chunk, so that the shell and the case screen can ask without loading it.
import { session } from '../session/state.ts';

/** Whether this user gets the desk layout on a wide screen: office staff and admins. */
export function isDeskUser(): boolean {
  return session.value?.user.roles.some((g) => g.role === 'office' || g.role === 'admin') ?? false;
}
