// The records behind a figure, as rows people read (lists, Excel, CSV): a drill-down query
// becomes an office-store query on the same columns the statistics count by, and each folded
// state becomes a flat row with labels instead of codes. Personal data is masked unless the
// caller's role may see it for that record's unit; the caller audits what went out unmasked.
import {
  AGREEMENT_FORMS,
  CAMPAIGN_NODES,
  CASE_RESULTS,
  CASE_SOURCES,
  CASE_STATUS_LABELS,
  DISPUTE_TYPES,
  OUTREACH_FORMS,
  OUTREACH_THEMES,
  PERFORMANCE_STATUSES,
  REFERRERS,
  labelOf,
  rollUpDisputeType,
} from '#shared/codes';
import { performanceStatusOf, type CaseState, type OutreachState, type SweepState } from '#shared/fold/index';
import { maskParty } from '#shared/mask';
import type { RecordMetric } from '#shared/office/records';
import { channelOf, CHANNELS, type PeriodQuery } from '#shared/stats/summary';
import { localParts } from '#shared/time';
import type { CaseQuery, OfficeStore, OutreachQuery, PageKey, SweepQuery } from '../storage/office-store.ts';
import { monthRangeOf } from './figures.ts';

export interface RecordFilters extends PeriodQuery {
  metric: RecordMetric;
  type?: string;
  channel?: string;
  agreement?: string;
  form?: string;
  theme?: string;
  campaign?: string;
}

type RecordKind = 'case' | 'outreach' | 'sweep';

function kindOfMetric(metric: RecordMetric): RecordKind {
  if (metric === 'outreach') return 'outreach';
  if (metric === 'sweeps' || metric === 'zero_reports') return 'sweep';
  return 'case';
}

/** Where a page starts: an offset into the list (the drill-down's numbered pages), or after a row's key (an export's next page). */
export interface PageStart {
  offset?: number;
  after?: PageKey;
}

function caseQueryOf(f: RecordFilters, units: readonly string[], limit: number, start: PageStart): CaseQuery {
  const base = { year: f.year, ...monthRangeOf(f), units, limit, ...start };
  // The channel column is the one byChannel counts by: an unknown channel matches nothing.
  const filters: Partial<CaseQuery> = {};
  if (f.channel !== undefined) filters.channel = f.channel;
  if (f.type !== undefined) filters.disputeType = f.type;
  if (f.agreement !== undefined) filters.agreementForm = f.agreement;
  switch (f.metric) {
    case 'accepted':
      return { ...base, ...filters, basis: 'opened' };
    case 'closed':
      return { ...base, ...filters, basis: 'closed' };
    case 'failed':
      return { ...base, ...filters, basis: 'closed', resultNot: 'success' };
    default:
      return { ...base, ...filters, basis: 'closed', result: 'success' };
  }
}

function outreachQueryOf(f: RecordFilters, units: readonly string[], limit: number, start: PageStart): OutreachQuery {
  const q: OutreachQuery = { year: f.year, ...monthRangeOf(f), units, limit, ...start };
  if (f.form !== undefined) q.form = f.form;
  if (f.theme !== undefined) q.theme = f.theme;
  if (f.campaign !== undefined) q.campaign = f.campaign;
  return q;
}

function sweepQueryOf(f: RecordFilters, units: readonly string[], limit: number, start: PageStart): SweepQuery {
  const q: SweepQuery = { year: f.year, ...monthRangeOf(f), units, limit, ...start };
  if (f.metric === 'zero_reports') q.zeroReport = true;
  return q;
}

// A type, not an interface: rows go out as plain records of values (#shared/api/office).
export type CaseRow = {
  subjectId: string;
  caseNumber: string;
  orgUnitId: string;
  orgUnitName: string;
  openedDate: string;
  disputeType: string;
  source: string;
  channel: string;
  summary: string;
  applicants: string;
  respondents: string;
  phones: string;
  peopleInvolved: number;
  amountInvolved: number;
  mediators: string;
  status: string;
  result: string;
  agreementForm: string;
  closedDate: string;
  performed: string;
  masked: boolean;
};

export type OutreachRow = {
  subjectId: string;
  orgUnitId: string;
  orgUnitName: string;
  date: string;
  title: string;
  form: string;
  themes: string;
  campaign: string;
  audience: number;
  materials: number | null;
  consultations: number | null;
  speakers: string;
  place: string;
  photos: number;
};

type SweepRow = {
  subjectId: string;
  orgUnitId: string;
  orgUnitName: string;
  date: string;
  households: number;
  disputesFound: number;
  zeroReport: boolean;
  note: string;
};

export interface RowContext {
  timeZone: string;
  unitName: (orgUnitId: string) => string;
  /** Whether the caller may see this unit's personal data unmasked. */
  seesPersonalData: (orgUnitId: string) => boolean;
}

const dateOf = (iso: string | undefined, timeZone: string) => (iso ? localParts(iso, timeZone).date : '');

function typeLabel(code: string | undefined): string {
  if (code === undefined) return '';
  const top = rollUpDisputeType(code);
  const category = DISPUTE_TYPES.find((t) => t.code === top);
  if (!category) return code;
  const sub = category.subtypes.find((s) => s.code === code);
  return sub ? `${category.label}（${sub.label}）` : category.label;
}

function caseRowOf(s: CaseState, ctx: RowContext): CaseRow {
  const o = s.opened;
  const unmasked = ctx.seesPersonalData(s.orgUnitId);
  const parties = (o?.parties ?? []).map((p) => (unmasked ? p : maskParty(p)));
  const names = (role: string) =>
    parties
      .filter((p) => p.role === role)
      .map((p) => p.name)
      .join('、');
  const channel = channelOf(s);
  const source = o
    ? o.source === 'referral'
      ? `${labelOf(CASE_SOURCES, o.source)}（${labelOf(REFERRERS, o.referrer)}）`
      : labelOf(CASE_SOURCES, o.source)
    : '';
  return {
    subjectId: s.subjectId,
    caseNumber: s.caseNumber ?? '',
    // Where the case belongs and when it was accepted, after 更正 (as the statistics count it).
    orgUnitId: s.unitId ?? s.orgUnitId,
    orgUnitName: ctx.unitName(s.unitId ?? s.orgUnitId),
    openedDate: s.opened?.acceptedOn ?? dateOf(s.openedAt, ctx.timeZone),
    disputeType: typeLabel(o?.disputeType),
    source,
    channel: CHANNELS.find((c) => c.code === channel)?.label ?? '',
    summary: o?.summary ?? '',
    applicants: names('applicant'),
    respondents: names('respondent'),
    // Numbers apart by a space, not 、: a cell of digits alone wraps between the numbers in every
    // spreadsheet, where a 、 makes LibreOffice treat the cell as Chinese text and break anywhere,
    // a number split over two lines of the printed register.
    phones: parties
      .map((p) => p.phone ?? '')
      .filter(Boolean)
      .join(' '),
    peopleInvolved: o?.peopleInvolved ?? 0,
    amountInvolved: o?.amountInvolved ?? 0,
    // Mediators are officials acting in office, not parties: their names are not the personal data
    // masking protects (design.md), and the case screen and 以案定补 name them in full too.
    mediators: (o?.mediators ?? []).join('、'),
    status: CASE_STATUS_LABELS[s.status],
    result: labelOf(CASE_RESULTS, s.closure?.result),
    agreementForm: labelOf(AGREEMENT_FORMS, s.closure?.agreementForm),
    closedDate: dateOf(s.closure?.occurredAt, ctx.timeZone),
    performed: labelOf(PERFORMANCE_STATUSES, performanceStatusOf(s)),
    masked: !unmasked,
  };
}

function outreachRowOf(s: OutreachState, ctx: RowContext): OutreachRow {
  const r = s.record;
  return {
    subjectId: s.subjectId,
    orgUnitId: s.orgUnitId,
    orgUnitName: ctx.unitName(s.orgUnitId),
    date: dateOf(s.occurredAt, ctx.timeZone),
    title: r?.title ?? '',
    form: labelOf(OUTREACH_FORMS, r?.form),
    themes: (r?.themes ?? []).map((t) => labelOf(OUTREACH_THEMES, t)).join('、'),
    campaign: labelOf(CAMPAIGN_NODES, r?.campaign),
    audience: r?.audience ?? 0,
    materials: r?.materials ?? null,
    consultations: r?.consultations ?? null,
    speakers: (r?.speakers ?? []).join('、'),
    place: r?.place ?? '',
    photos: r?.photos?.length ?? 0,
  };
}

function sweepRowOf(s: SweepState, ctx: RowContext): SweepRow {
  return {
    subjectId: s.subjectId,
    orgUnitId: s.orgUnitId,
    orgUnitName: ctx.unitName(s.orgUnitId),
    date: dateOf(s.occurredAt, ctx.timeZone),
    households: s.households,
    disputesFound: s.disputesFound,
    zeroReport: s.zeroReport,
    note: s.note ?? '',
  };
}

export type RecordsPage = (
  | { kind: 'case'; total: number; rows: CaseRow[] }
  | { kind: 'outreach'; total: number; rows: OutreachRow[] }
  | { kind: 'sweep'; total: number; rows: SweepRow[] }
) & {
  /** The last row's key: the next page starts after it. */
  last: PageKey | undefined;
};

/** One page of the records behind a figure, as rows. */
export async function listRecords(
  store: OfficeStore,
  f: RecordFilters,
  units: readonly string[],
  ctx: RowContext,
  limit: number,
  start: PageStart = {},
): Promise<RecordsPage> {
  const kind = kindOfMetric(f.metric);
  if (kind === 'case') {
    const page = await store.listCases(caseQueryOf(f, units, limit, start));
    return { kind, total: page.total, rows: page.items.map((s) => caseRowOf(s, ctx)), last: page.last };
  }
  if (kind === 'outreach') {
    const page = await store.listOutreach(outreachQueryOf(f, units, limit, start));
    return { kind, total: page.total, rows: page.items.map((s) => outreachRowOf(s, ctx)), last: page.last };
  }
  const page = await store.listSweeps(sweepQueryOf(f, units, limit, start));
  return { kind, total: page.total, rows: page.items.map((s) => sweepRowOf(s, ctx)), last: page.last };
}
