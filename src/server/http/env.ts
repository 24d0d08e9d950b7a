// Per-request variables set by the access middleware (src/server/access).
import type { Principal, Scope } from '../access/scope.ts';

export interface AppEnv {
  Variables: {
    principal: Principal;
    scope: Scope;
    /** What the scope was built from, as read with it (storage usableTokens): the live channel ends a stream once it moves. */
    scopeStamp: string;
  };
}
