// Projection rows: one subject's events → its row of case_projection, outreach_projection or
// sweep_projection. The statistics columns ARE the shared facts (#shared/stats/facts: the
// same rows the phone's summary counts), one column each, so that a year summary is a
// GROUP BY over indexed columns and never reads JSON; the other columns (state, case number,
// committee, agreement form) are what the office lists read back or filter by. Pure: the push service applies the rows through the store.
import type { DomainEvent } from '#shared/events';
import { foldSubject, type SubjectState } from '#shared/fold/index';
import { statFactsOf } from '#shared/stats/facts';
import type { ProjectionRow, ProjectionTableName, SweepTotalsDelta, SweepTotalsSource, ThemeRow } from '../storage/event-store.ts';

export interface ProjectionTable {
  name: ProjectionTableName;
  key: 'subject_id';
  columns: readonly string[];
  /** Integer columns (PostgreSQL reads the rows through jsonb_to_recordset and needs the types). */
  integers: readonly string[];
}

export const PROJECTION_TABLES: readonly ProjectionTable[] = [
  {
    name: 'case_projection',
    key: 'subject_id',
    columns: [
      'subject_id',
      'org_unit_id',
      'has_opened',
      'opened_date',
      'opened_year',
      'opened_month',
      'closed_date',
      'closed_year',
      'closed_month',
      'result',
      'agreement_form',
      'with_agreement',
      'performed_full',
      'dispute_type',
      'source_key',
      'channel',
      'committee_id',
      'people_involved',
      'amount_cents',
      'voided',
      'case_number',
      'outcome_flags',
      'state',
    ],
    integers: [
      'has_opened',
      'opened_year',
      'opened_month',
      'closed_year',
      'closed_month',
      'with_agreement',
      'performed_full',
      'people_involved',
      'amount_cents',
      'voided',
    ],
  },
  {
    name: 'outreach_projection',
    key: 'subject_id',
    columns: ['subject_id', 'org_unit_id', 'has_record', 'occurred_date', 'year', 'month', 'form', 'campaign', 'audience', 'voided', 'state'],
    integers: ['has_record', 'year', 'month', 'audience', 'voided'],
  },
  {
    name: 'sweep_projection',
    key: 'subject_id',
    columns: ['subject_id', 'org_unit_id', 'occurred_date', 'year', 'month', 'households', 'disputes_found', 'zero_report', 'voided', 'state'],
    integers: ['year', 'month', 'households', 'disputes_found', 'zero_report', 'voided'],
  },
];

export interface SubjectProjection {
  subjectId: string;
  table: ProjectionTableName;
  row: ProjectionRow;
  /** Outreach themes (one row each in outreach_themes); empty for other kinds. */
  themes: ThemeRow[];
}

/** Year and month columns of a local date (YYYY-MM-DD). */
function dateCols(date: string | undefined): { date: string | null; year: number | null; month: number | null } {
  if (date === undefined) return { date: null, year: null, month: null };
  return { date, year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

const flag = (b: boolean): number => (b ? 1 : 0);

/** The projection row of one subject, or undefined when its events hold no case, outreach or sweep. */
export function projectionOf(events: readonly DomainEvent[], timeZone: string): SubjectProjection | undefined {
  const state = foldSubject(events);
  return state && projectionOfState(state, timeZone);
}

/** The projection row of a subject already folded (a push folds each subject once for all its uses). */
export function projectionOfState(state: SubjectState, timeZone: string): SubjectProjection | undefined {
  // The fold builds its state in a fixed key order, so plain JSON is already stable.
  const json = JSON.stringify(state);
  const f = statFactsOf(state, timeZone);
  switch (f.kind) {
    case 'case': {
      if (state.kind !== 'case') return undefined;
      const opened = dateCols(f.acceptedOn);
      const closed = dateCols(f.closedOn);
      const row: ProjectionRow = {
        subject_id: f.subjectId,
        org_unit_id: f.orgUnitId,
        voided: flag(f.voided),
        state: json,
        has_opened: flag(state.hasOpened),
        opened_date: opened.date,
        opened_year: opened.year,
        opened_month: opened.month,
        closed_date: closed.date,
        closed_year: closed.year,
        closed_month: closed.month,
        result: f.result ?? null,
        agreement_form: state.closure?.agreementForm ?? null,
        with_agreement: flag(f.withAgreement),
        performed_full: flag(f.performedFull),
        dispute_type: f.disputeType,
        source_key: f.sourceKey,
        channel: f.channel,
        committee_id: state.opened?.committeeId ?? null,
        people_involved: f.peopleInvolved,
        amount_cents: f.amountCents,
        case_number: state.caseNumber ?? null,
        outcome_flags: f.outcomes ? JSON.stringify(f.outcomes) : null,
      };
      return { subjectId: f.subjectId, table: 'case_projection', row, themes: [] };
    }
    case 'outreach': {
      const at = dateCols(f.heldOn);
      const row: ProjectionRow = {
        subject_id: f.subjectId,
        org_unit_id: f.orgUnitId,
        voided: flag(f.voided),
        state: json,
        has_record: flag(state.kind === 'outreach' && state.hasRecorded),
        occurred_date: at.date,
        year: at.year,
        month: at.month,
        form: f.form ?? null,
        campaign: f.campaign ?? null,
        audience: f.audience,
      };
      const themes = f.themes.map((theme): ThemeRow => ({
        subject_id: f.subjectId,
        theme,
        org_unit_id: f.orgUnitId,
        year: at.year,
        month: at.month,
        voided: flag(f.voided),
      }));
      return { subjectId: f.subjectId, table: 'outreach_projection', row, themes };
    }
    case 'sweep': {
      const at = dateCols(f.sweptOn);
      const row: ProjectionRow = {
        subject_id: f.subjectId,
        org_unit_id: f.orgUnitId,
        voided: flag(f.voided),
        state: json,
        occurred_date: at.date,
        year: at.year,
        month: at.month,
        households: f.households,
        disputes_found: f.disputesFound,
        zero_report: flag(f.zeroReport),
      };
      return { subjectId: f.subjectId, table: 'sweep_projection', row, themes: [] };
    }
  }
}

/** A sweep_projection row as the totals read it. */
export function sweepTotalsSourceOf(row: ProjectionRow): SweepTotalsSource {
  return {
    subject_id: String(row.subject_id),
    org_unit_id: String(row.org_unit_id),
    year: row.year === null || row.year === undefined ? null : Number(row.year),
    month: row.month === null || row.month === undefined ? null : Number(row.month),
    households: Number(row.households),
    disputes_found: Number(row.disputes_found),
    zero_report: Number(row.zero_report),
    voided: Number(row.voided),
  };
}

/** A sweep's projection row before (undefined when new) and after a write. */
export interface SweepChange {
  before: SweepTotalsSource | undefined;
  after: SweepTotalsSource | undefined;
}

/**
 * What replacing sweeps' projection rows changes in sweep_totals: each old row's share taken
 * out, each new one's put in, summed per (year, unit, month). Voided and undated sweeps count
 * nowhere; rows that cancel out are left out.
 */
export function sweepTotalsDeltas(changes: readonly SweepChange[]): SweepTotalsDelta[] {
  const into = new Map<string, SweepTotalsDelta>();
  for (const { before, after } of changes) {
    for (const [row, sign] of [
      [before, -1],
      [after, 1],
    ] as const) {
      if (!row || row.voided !== 0 || row.year === null || row.month === null) continue;
      const key = `${row.year}\n${row.org_unit_id}\n${row.month}`;
      const d = into.get(key) ?? {
        year: row.year,
        org_unit_id: row.org_unit_id,
        month: row.month,
        count: 0,
        zero_reports: 0,
        households: 0,
        disputes_found: 0,
      };
      d.count += sign;
      d.zero_reports += sign * row.zero_report;
      d.households += sign * row.households;
      d.disputes_found += sign * row.disputes_found;
      into.set(key, d);
    }
  }
  return [...into.values()].filter((d) => d.count !== 0 || d.zero_reports !== 0 || d.households !== 0 || d.disputes_found !== 0);
}
