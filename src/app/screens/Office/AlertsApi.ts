// The desk's 重大矛盾纠纷, 典型案例 and 以案定补 endpoints (/api/major/*, /api/subsidy/*) as the
// Alerts, Typical and Subsidy screens call them: a typed wrapper over the app's one client with
// the shared schemas (#shared/major/api, #shared/subsidy/api); failures are values.
import type * as v from 'valibot';
import { OkAnswer } from '#shared/api/errors';
import { Alert, AlertsResponse, FlashReport, TypicalResponse } from '#shared/major/api';
import { LedgerResponse, RulesResponse } from '#shared/subsidy/api';
import type { SubsidyRules } from '#shared/subsidy/rules';
import { createApiClient } from '../../net/client.ts';
import type { FetchLike, Outcome } from '../../net/http.ts';

export interface ReturnsDeskApi {
  alerts(orgUnitId: string): Promise<Outcome<AlertsResponse>>;
  flashReport(subjectId: string): Promise<Outcome<FlashReport>>;
  acknowledge(subjectId: string): Promise<Outcome<v.InferOutput<typeof Alert>>>;
  typical(orgUnitId: string, year: number): Promise<Outcome<TypicalResponse>>;
  writeTypical(subjectId: string, body: { typical: boolean; title?: string; story?: string }): Promise<Outcome<{ ok: true }>>;
  rules(orgUnitId: string): Promise<Outcome<RulesResponse>>;
  setRules(orgUnitId: string, rules: SubsidyRules): Promise<Outcome<RulesResponse>>;
  ledger(orgUnitId: string, year: number, month: number): Promise<Outcome<LedgerResponse>>;
  approve(orgUnitId: string, year: number, month: number): Promise<Outcome<LedgerResponse>>;
  setGrade(subjectId: string, grade: string): Promise<Outcome<{ ok: true }>>;
  download(path: string): Promise<string | undefined>;
}

export function createReturnsDeskApi(deps: { fetch: FetchLike; token: () => string | undefined; onUnauthorized: () => void }): ReturnsDeskApi {
  const api = createApiClient({ ...deps, timeoutMs: 60_000 });
  const unit = (orgUnitId: string) => `orgUnitId=${encodeURIComponent(orgUnitId)}`;
  const id = (subjectId: string) => encodeURIComponent(subjectId);
  return {
    alerts: (orgUnitId) => api.get(`/api/major/alerts?${unit(orgUnitId)}`, AlertsResponse),
    flashReport: (subjectId) => api.get(`/api/major/alerts/${id(subjectId)}`, FlashReport),
    acknowledge: (subjectId) => api.send('POST', `/api/major/alerts/${id(subjectId)}/ack`, {}, Alert),
    typical: (orgUnitId, year) => api.get(`/api/major/typical?${unit(orgUnitId)}&year=${year}`, TypicalResponse),
    writeTypical: (subjectId, body) => api.send('POST', `/api/major/cases/${id(subjectId)}/typical`, body, OkAnswer),
    rules: (orgUnitId) => api.get(`/api/subsidy/rules?${unit(orgUnitId)}`, RulesResponse),
    setRules: (orgUnitId, rules) => api.send('PUT', '/api/subsidy/rules', { orgUnitId, rules }, RulesResponse),
    ledger: (orgUnitId, year, month) => api.get(`/api/subsidy/ledger?${unit(orgUnitId)}&year=${year}&month=${month}`, LedgerResponse),
    approve: (orgUnitId, year, month) => api.send('POST', '/api/subsidy/approve', { orgUnitId, year, month }, LedgerResponse),
    setGrade: (subjectId, grade) => api.send('POST', `/api/subsidy/cases/${id(subjectId)}/grade`, { grade }, OkAnswer),
    download: (path) => api.download(path),
  };
}
