// The office endpoints as the office screens call them: the period summary (GET
// /api/stats/summary), the records behind a figure, sweeps per grid, the report model, and
// file downloads (exports, .docx). A typed wrapper over the app's one client (src/app/net)
// with the shared schemas (#shared/api); failures are values.
import {
  GridsResponse,
  LedgerCreated,
  LedgerListResponse,
  PeriodClosed,
  PeriodsResponse,
  QualityResponse,
  RecordsResponse,
  type ClosePeriodRequest,
  type LedgerRequest,
  type LedgerVoidRequest,
} from '#shared/api/office';
import { OkAnswer } from '#shared/api/errors';
import { AnnualReportResponse } from '#shared/api/reports';
import { SummaryResponse } from '#shared/api/stats';
import { CompletenessResponse } from '#shared/stats/completeness';
import { PivotResponse } from '#shared/stats/pivot';
import { createApiClient } from '../../net/client.ts';
import { describeFailure, type FetchLike, type Outcome } from '../../net/http.ts';

export type SummaryAnswer = SummaryResponse;
export type RecordsAnswer = RecordsResponse;
export type GridsAnswer = GridsResponse;
export type ReportAnswer = AnnualReportResponse;
export type LedgerListAnswer = LedgerListResponse;
export type QualityAnswer = QualityResponse;
export type PeriodsAnswer = PeriodsResponse;
export type PivotAnswer = PivotResponse;
export type CompletenessAnswer = CompletenessResponse;

export interface OfficeApi {
  summary(query: string): Promise<Outcome<SummaryAnswer>>;
  records(query: string): Promise<Outcome<RecordsAnswer>>;
  grids(query: string): Promise<Outcome<GridsAnswer>>;
  report(query: string): Promise<Outcome<ReportAnswer>>;
  /** 定稿: freezes the year's report as it stands (office staff); a second one is a 409. */
  finaliseReport(body: { year: number; orgUnitId: string; rounded?: boolean }): Promise<Outcome<ReportAnswer>>;
  quality(query: string): Promise<Outcome<QualityAnswer>>;
  periods(orgUnitId: string): Promise<Outcome<PeriodsAnswer>>;
  closePeriod(body: ClosePeriodRequest): Promise<Outcome<{ id: string }>>;
  ledgers(query: string): Promise<Outcome<LedgerListAnswer>>;
  addLedger(body: LedgerRequest): Promise<Outcome<{ subjectId: string }>>;
  voidLedger(subjectId: string, body: LedgerVoidRequest): Promise<Outcome<{ ok: true }>>;
  pivot(query: string): Promise<Outcome<PivotAnswer>>;
  completeness(query: string): Promise<Outcome<CompletenessAnswer>>;
  /** Downloads a file from the API under the name the server gives; resolves to an error text or undefined. */
  download(path: string): Promise<string | undefined>;
}

export function createOfficeApi(deps: { fetch: FetchLike; token: () => string | undefined; onUnauthorized: () => void }): OfficeApi {
  const api = createApiClient({ ...deps, timeoutMs: 60_000 });
  return {
    summary: (q) => api.get(`/api/stats/summary?${q}`, SummaryResponse),
    records: (q) => api.get(`/api/office/records?${q}`, RecordsResponse),
    grids: (q) => api.get(`/api/office/grids?${q}`, GridsResponse),
    report: (q) => api.get(`/api/reports/annual?${q}&format=json`, AnnualReportResponse),
    finaliseReport: (body) => api.send('POST', '/api/reports/annual/finalise', body, AnnualReportResponse),
    quality: (q) => api.get(`/api/office/quality?${q}`, QualityResponse),
    periods: (orgUnitId) => api.get(`/api/office/periods?orgUnitId=${encodeURIComponent(orgUnitId)}`, PeriodsResponse),
    closePeriod: (body) => api.send('POST', '/api/office/periods/close', body, PeriodClosed),
    ledgers: (q) => api.get(`/api/office/ledgers?${q}`, LedgerListResponse),
    addLedger: (body) => api.send('POST', '/api/office/ledgers', body, LedgerCreated),
    voidLedger: (subjectId, body) => api.send('POST', `/api/office/ledgers/${encodeURIComponent(subjectId)}/void`, body, OkAnswer),
    pivot: (q) => api.get(`/api/stats/pivot?${q}`, PivotResponse),
    completeness: (q) => api.get(`/api/stats/completeness?${q}`, CompletenessResponse),
    download: (path) => api.download(path),
  };
}

export { describeFailure };
