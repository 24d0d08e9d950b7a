// The office endpoints as the office screens call them: the period summary (GET
// /api/stats/summary), the records behind a figure, sweeps per grid, the report model, and
// file downloads (exports, .docx) which need the bearer token, so they go through fetch and a
// blob link rather than a plain <a href>. Answers are schema-checked; failures are values.
import * as v from 'valibot';
import { requestJson, describeFailure, type FetchLike, type Outcome } from '../../sync/transport.ts';

const counts = v.record(v.string(), v.number());

export const SummarySchema = v.object({
  year: v.number(),
  orgUnitId: v.optional(v.string()),
  mediation: v.object({
    accepted: v.number(),
    closed: v.number(),
    resolved: v.number(),
    failed: v.number(),
    successRate: v.number(),
    performanceRate: v.number(),
    peopleInvolved: v.number(),
    amountInvolved: v.number(),
    byType: counts,
    byChannel: counts,
    byOrgUnit: counts,
    byMonth: v.array(v.number()),
  }),
  outreach: v.object({
    sessions: v.number(),
    audience: v.number(),
    byOrgUnit: counts,
    byMonth: v.array(v.number()),
    audienceByMonth: v.optional(v.array(v.number())),
    byTheme: v.optional(counts),
    byForm: v.optional(counts),
    byCampaign: v.optional(counts),
    audienceByCampaign: v.optional(counts),
  }),
  sweeps: v.object({ count: v.number(), zeroReports: v.number() }),
  definitions: v.optional(v.record(v.string(), v.string())),
});
export type SummaryAnswer = v.InferOutput<typeof SummarySchema>;

export const RecordsSchema = v.object({
  kind: v.picklist(['case', 'outreach', 'sweep']),
  total: v.number(),
  page: v.number(),
  pageSize: v.number(),
  period: v.optional(v.string()),
  rows: v.array(v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()]))),
});
export type RecordsAnswer = v.InferOutput<typeof RecordsSchema>;

export const GridsSchema = v.object({
  period: v.string(),
  silent: v.number(),
  grids: v.array(v.object({ id: v.string(), name: v.string(), parentName: v.string(), count: v.number(), zeroReports: v.number(), disputesFound: v.number(), lastDate: v.string() })),
});
export type GridsAnswer = v.InferOutput<typeof GridsSchema>;

const SpanSchema = v.variant('kind', [
  v.object({ kind: v.literal('text'), text: v.string() }),
  v.object({ kind: v.literal('figure'), key: v.string(), text: v.string(), href: v.optional(v.string()) }),
  v.object({ kind: v.literal('placeholder'), text: v.string() }),
]);
export const ReportSchema = v.object({
  year: v.number(),
  title: v.string(),
  paragraphs: v.array(v.object({ style: v.string(), lead: v.optional(v.string()), spans: v.array(SpanSchema) })),
  placeholders: v.array(v.string()),
});
export type ReportAnswer = v.InferOutput<typeof ReportSchema>;

export const LedgerListSchema = v.object({
  items: v.array(
    v.object({
      subjectId: v.string(),
      eventId: v.string(),
      occurredAt: v.string(),
      voided: v.boolean(),
      entry: v.record(v.string(), v.unknown()),
    }),
  ),
  figures: counts,
});
export type LedgerListAnswer = v.InferOutput<typeof LedgerListSchema>;
const QualityItemSchema = v.object({ subjectId: v.string(), orgUnitId: v.string(), orgUnitName: v.string(), date: v.string(), what: v.string() });
export const QualitySchema = v.object({
  overdueCases: v.array(QualityItemSchema),
  followupsDue: v.array(QualityItemSchema),
  resolvedWithoutAgreement: v.array(QualityItemSchema),
  outreachWithoutPhotos: v.array(QualityItemSchema),
  audienceOutliers: v.array(QualityItemSchema),
  silentDevices: v.array(v.object({ deviceId: v.string(), userId: v.string(), orgUnitId: v.nullable(v.string()), lastSeenAt: v.nullable(v.string()) })),
});
export type QualityAnswer = v.InferOutput<typeof QualitySchema>;
export const PeriodsSchema = v.object({
  periods: v.array(
    v.object({
      id: v.string(),
      year: v.number(),
      month: v.number(),
      label: v.string(),
      closedAt: v.string(),
      closedByName: v.string(),
      lateCount: v.number(),
      late: v.array(v.object({ id: v.string(), type: v.string(), occurredAt: v.string(), receivedAt: v.string(), orgUnitName: v.string() })),
      changes: v.array(v.object({ key: v.string(), label: v.string(), atClose: v.number(), now: v.number(), change: v.number() })),
    }),
  ),
});
export type PeriodsAnswer = v.InferOutput<typeof PeriodsSchema>;
const Closed = v.object({ id: v.string() });
const Created = v.object({ subjectId: v.string() });
const Ok = v.object({ ok: v.literal(true) });

export interface OfficeApi {
  summary(query: string): Promise<Outcome<SummaryAnswer>>;
  records(query: string): Promise<Outcome<RecordsAnswer>>;
  grids(query: string): Promise<Outcome<GridsAnswer>>;
  report(query: string): Promise<Outcome<ReportAnswer>>;
  quality(query: string): Promise<Outcome<QualityAnswer>>;
  periods(orgUnitId: string): Promise<Outcome<PeriodsAnswer>>;
  closePeriod(body: { orgUnitId: string; year: number; month?: number }): Promise<Outcome<{ id: string }>>;
  ledgers(query: string): Promise<Outcome<LedgerListAnswer>>;
  addLedger(body: { orgUnitId: string; date: string; entry: unknown }): Promise<Outcome<{ subjectId: string }>>;
  voidLedger(subjectId: string, body: { orgUnitId: string; reason: string }): Promise<Outcome<{ ok: true }>>;
  /** Downloads a file from the API under the name the server gives; resolves to an error text or undefined. */
  download(path: string): Promise<string | undefined>;
}

/** The file name from Content-Disposition (the UTF-8 form when present). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

export function createOfficeApi(deps: { fetch: FetchLike; token: () => string | undefined; onUnauthorized: () => void }): OfficeApi {
  const get = <T,>(url: string, schema: v.GenericSchema<unknown, T>) => send(url, { method: 'GET' }, schema);
  const post = <T,>(url: string, body: unknown, schema: v.GenericSchema<unknown, T>) =>
    send(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, schema);
  const send = async <T,>(url: string, init: RequestInit, schema: v.GenericSchema<unknown, T>): Promise<Outcome<T>> => {
    const token = deps.token();
    const out = await requestJson(url, init, schema, { fetch: deps.fetch, timeoutMs: 60_000, ...(token ? { token } : {}) });
    if (!out.ok && out.failure.kind === 'unauthorized') deps.onUnauthorized();
    return out;
  };
  return {
    summary: (q) => get(`/api/stats/summary?${q}`, SummarySchema),
    records: (q) => get(`/api/office/records?${q}`, RecordsSchema),
    grids: (q) => get(`/api/office/grids?${q}`, GridsSchema),
    report: (q) => get(`/api/reports/annual?${q}&format=json`, ReportSchema),
    quality: (q) => get(`/api/office/quality?${q}`, QualitySchema),
    periods: (orgUnitId) => get(`/api/office/periods?orgUnitId=${encodeURIComponent(orgUnitId)}`, PeriodsSchema),
    closePeriod: (body) => post('/api/office/periods/close', body, Closed),
    ledgers: (q) => get(`/api/office/ledgers?${q}`, LedgerListSchema),
    addLedger: (body) => post('/api/office/ledgers', body, Created),
    voidLedger: (subjectId, body) => post(`/api/office/ledgers/${encodeURIComponent(subjectId)}/void`, body, Ok),
    async download(path) {
      const token = deps.token();
      let res: Response;
      try {
        res = await deps.fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      } catch {
        return '网络不通，稍后再试';
      }
      if (res.status === 401) deps.onUnauthorized();
      if (!res.ok) {
        const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
        return body?.error?.message ?? `下载失败（${res.status}）`;
      }
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileNameOf(res.headers.get('content-disposition'), path.split('/').pop()?.split('?')[0] ?? 'download');
      document.body.append(a);
      a.click();
      a.remove();
      // Give the browser a moment to start the download before the URL goes away.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return undefined;
    },
  };
}

export { describeFailure };
