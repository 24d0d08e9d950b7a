// The account endpoints the phone calls: login, who am I (with the org units for offline
// pickers), logout. Answers are checked against the shared schemas (#shared/api/auth).
import * as v from 'valibot';
import { LoginResponse, MeResponse, type LoginRequest as LoginBody } from '#shared/api/auth';
import { requestJson, type FetchLike, type Outcome } from '../net/http.ts';

const Anything = v.unknown();

export type LoginRequest = Required<LoginBody>;

export function requestLogin(fetch: FetchLike, body: LoginRequest): Promise<Outcome<LoginResponse>> {
  return requestJson('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, LoginResponse, {
    fetch,
    timeoutMs: 20_000,
  });
}

export function requestMe(fetch: FetchLike, token: string): Promise<Outcome<MeResponse>> {
  return requestJson('/api/me', { method: 'GET' }, MeResponse, { fetch, token, timeoutMs: 20_000 });
}

export function requestLogout(fetch: FetchLike, token: string): Promise<Outcome<unknown>> {
  return requestJson('/api/auth/logout', { method: 'POST' }, Anything, { fetch, token, timeoutMs: 5_000 });
}
