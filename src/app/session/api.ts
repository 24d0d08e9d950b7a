// The account endpoints the phone calls: login, who am I (with the org units for offline
// pickers), logout. Answers are checked against schemas like every other server answer.
import * as v from 'valibot';
import type { SessionUser } from '#shared/protocol';
import { requestJson, type FetchLike, type Outcome } from '../sync/transport.ts';
import { OrgUnitInfo, SessionUserSchema, type OrgUnitInfo as OrgUnit } from './state.ts';

const LoginAnswer = v.object({ token: v.pipe(v.string(), v.minLength(1)), user: SessionUserSchema });
const MeAnswer = v.object({ user: SessionUserSchema, orgUnits: v.array(OrgUnitInfo) });
const Anything = v.unknown();

export interface LoginRequest {
  username: string;
  password: string;
  deviceId: string;
  deviceName: string;
}

export function requestLogin(fetch: FetchLike, body: LoginRequest): Promise<Outcome<{ token: string; user: SessionUser }>> {
  return requestJson('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, LoginAnswer, {
    fetch,
    timeoutMs: 20_000,
  });
}

export function requestMe(fetch: FetchLike, token: string): Promise<Outcome<{ user: SessionUser; orgUnits: OrgUnit[] }>> {
  return requestJson('/api/me', { method: 'GET' }, MeAnswer, { fetch, token, timeoutMs: 20_000 });
}

export function requestLogout(fetch: FetchLike, token: string): Promise<Outcome<unknown>> {
  return requestJson('/api/auth/logout', { method: 'POST' }, Anything, { fetch, token, timeoutMs: 5_000 });
}
