// The returns endpoints as the 月报 screen calls them (/api/returns/*), over the app's one client
// with the shared schemas (#shared/api/returns); failures are values.
import { OkAnswer } from '#shared/api/errors';
import { MediatorsResponse, MonthlyReturnResponse, TypeMapResponse, type TypeMapRequest } from '#shared/api/returns';
import { createApiClient } from '../../net/client.ts';
import type { FetchLike, Outcome } from '../../net/http.ts';

export interface ReturnsApi {
  monthly(query: string): Promise<Outcome<MonthlyReturnResponse>>;
  typeMap(): Promise<Outcome<TypeMapResponse>>;
  saveTypeMap(body: TypeMapRequest): Promise<Outcome<TypeMapResponse>>;
  mediators(orgUnitId: string): Promise<Outcome<MediatorsResponse>>;
  setEmployment(userId: string, employment: 'full_time' | 'part_time'): Promise<Outcome<{ ok: true }>>;
  /** Downloads a file; resolves to an error text or undefined. */
  download(path: string): Promise<string | undefined>;
}

export function createReturnsApi(deps: { fetch: FetchLike; token: () => string | undefined; onUnauthorized: () => void }): ReturnsApi {
  const api = createApiClient({ ...deps, timeoutMs: 60_000 });
  return {
    monthly: (q) => api.get(`/api/returns/monthly?${q}`, MonthlyReturnResponse),
    typeMap: () => api.get('/api/returns/type-map', TypeMapResponse),
    saveTypeMap: (body) => api.send('PUT', '/api/returns/type-map', body, TypeMapResponse),
    mediators: (orgUnitId) => api.get(`/api/returns/mediators?orgUnitId=${encodeURIComponent(orgUnitId)}`, MediatorsResponse),
    setEmployment: (userId, employment) => api.send('PUT', `/api/returns/mediators/${encodeURIComponent(userId)}`, { employment }, OkAnswer),
    download: (path) => api.download(path),
  };
}
