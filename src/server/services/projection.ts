// Projection rows: one subject's events → the row of case_projection, outreach_projection
// or sweep_projection, through the shared folds (the same code the phone runs). Every column
// statistics group or filter by is a real column, computed here once per write, so that a
// year summary is a GROUP BY over indexed columns and never reads JSON.
import { rollUpDisputeType } from '#shared/codes';
import type { DomainEvent } from '#shared/events';
import { foldSubject, performanceStatusOf } from '#shared/fold/index';
import { localParts } from '#shared/time';

export type Row = Record<string, string | number | null>;

export interface ProjectionTable {
  name: 'case_projection' | 'outreach_projection' | 'sweep_projection';
  key: 'subject_id';
  columns: readonly string[];
}

export const PROJECTION_TABLES: readonly ProjectionTable[] = [
  {
    name: 'case_projection',
    key: 'subject_id',
    columns: [
      'subject_id', 'org_unit_id', 'has_opened', 'opened_date', 'opened_year', 'opened_month', 'closed_date', 'closed_year', 'closed_month',
      'result', 'agreement_form', 'dispute_type', 'source', 'referrer', 'committee_id', 'people_involved', 'amount_involved', 'performed',
      'voided', 'case_number', 'state',
    ],
  },
  {
    name: 'outreach_projection',
    key: 'subject_id',
    columns: ['subject_id', 'org_unit_id', 'has_record', 'occurred_date', 'year', 'month', 'form', 'campaign', 'audience', 'voided', 'state'],
  },
  {
    name: 'sweep_projection',
    key: 'subject_id',
    columns: ['subject_id', 'org_unit_id', 'occurred_date', 'year', 'month', 'households', 'disputes_found', 'zero_report', 'voided', 'state'],
  },
];

export interface SubjectRows {
  subjectId: string;
  rows: [ProjectionTable['name'], Row][];
  /** Outreach themes (one row each in outreach_themes); empty for other kinds. */
  themes: string[];
}

function dateCols(iso: string | undefined, timeZone: string): { date: string | null; year: number | null; month: number | null } {
  if (!iso) return { date: null, year: null, month: null };
  const p = localParts(iso, timeZone);
  return { date: p.date, year: p.year, month: p.month };
}

/** The projection rows of one subject, or undefined when its events hold no subject. */
export function projectionRowsOf(events: readonly DomainEvent[], timeZone: string): SubjectRows | undefined {
  const state = foldSubject(events);
  if (!state) return undefined;
  // The fold builds its state in a fixed key order, so plain JSON is already stable.
  const json = JSON.stringify(state);
  if (state.kind === 'case') {
    const opened = dateCols(state.openedAt, timeZone);
    const closed = dateCols(state.closure?.occurredAt, timeZone);
    const o = state.opened;
    const row: Row = {
      subject_id: state.subjectId,
      org_unit_id: state.orgUnitId,
      has_opened: state.hasOpened ? 1 : 0,
      opened_date: opened.date,
      opened_year: opened.year,
      opened_month: opened.month,
      closed_date: closed.date,
      closed_year: closed.year,
      closed_month: closed.month,
      result: state.closure?.result ?? null,
      agreement_form: state.closure?.agreementForm ?? null,
      dispute_type: o ? (rollUpDisputeType(o.disputeType) ?? null) : null,
      source: o?.source ?? null,
      referrer: o?.referrer ?? null,
      committee_id: o?.committeeId ?? null,
      people_involved: o?.peopleInvolved ?? 0,
      amount_involved: o?.amountInvolved ?? 0,
      performed: performanceStatusOf(state) ?? null,
      voided: state.voided ? 1 : 0,
      case_number: state.caseNumber ?? null,
      state: json,
    };
    return { subjectId: state.subjectId, rows: [['case_projection', row]], themes: [] };
  }
  if (state.kind === 'outreach') {
    const at = dateCols(state.occurredAt, timeZone);
    const r = state.record;
    const row: Row = {
      subject_id: state.subjectId,
      org_unit_id: state.orgUnitId,
      has_record: state.hasRecorded ? 1 : 0,
      occurred_date: at.date,
      year: at.year,
      month: at.month,
      form: r?.form ?? null,
      campaign: r?.campaign ?? null,
      audience: r?.audience ?? 0,
      voided: state.voided ? 1 : 0,
      state: json,
    };
    return { subjectId: state.subjectId, rows: [['outreach_projection', row]], themes: [...new Set(r?.themes ?? [])] };
  }
  const at = dateCols(state.occurredAt, timeZone);
  const row: Row = {
    subject_id: state.subjectId,
    org_unit_id: state.orgUnitId,
    occurred_date: at.date,
    year: at.year,
    month: at.month,
    households: state.households,
    disputes_found: state.disputesFound,
    zero_report: state.zeroReport ? 1 : 0,
    voided: state.voided ? 1 : 0,
    state: json,
  };
  return { subjectId: state.subjectId, rows: [['sweep_projection', row]], themes: [] };
}

/** A change to one (year, unit, month) row of sweep_totals. */
export interface SweepTotalsDelta {
  year: number;
  org_unit_id: string;
  month: number;
  count: number;
  zero_reports: number;
  households: number;
  disputes_found: number;
}

/** The sweep_projection columns the totals are made of. */
export const SWEEP_TOTALS_SOURCE = 'org_unit_id, year, month, households, disputes_found, zero_report, voided';

/**
 * What replacing a sweep's projection row `before` by `after` changes in sweep_totals: the old
 * row's share taken out, the new one's put in. Voided and undated sweeps count nowhere.
 */
export function addSweepTotalsDelta(into: Map<string, SweepTotalsDelta>, before: Row | undefined, after: Row | undefined): void {
  for (const [row, sign] of [[before, -1], [after, 1]] as const) {
    if (!row || Number(row.voided) !== 0 || row.year === null || row.month === null || row.year === undefined || row.month === undefined) continue;
    const key = `${row.year}\n${row.org_unit_id}\n${row.month}`;
    const d = into.get(key) ?? { year: Number(row.year), org_unit_id: String(row.org_unit_id), month: Number(row.month), count: 0, zero_reports: 0, households: 0, disputes_found: 0 };
    d.count += sign;
    d.zero_reports += sign * Number(row.zero_report);
    d.households += sign * Number(row.households);
    d.disputes_found += sign * Number(row.disputes_found);
    into.set(key, d);
  }
}
