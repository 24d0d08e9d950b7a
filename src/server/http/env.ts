// Per-request variables set by the access middleware (src/server/access).
import type { Principal, Scope } from '../access/scope.ts';

export interface AppEnv {
  Variables: {
    principal: Principal;
    scope: Scope;
  };
}
