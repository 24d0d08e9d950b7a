// What the office side reads: the folded states behind a figure (drill-down lists, exports,
// the annual report) out of the projection tables that the sync side keeps, filtered on the
// same indexed columns the statistics group by, so that a list and its figure agree by
// construction. Office ledgers (adviser work, reconsideration cases, …) are events in the same
// log and are read by type. Read-only: every write goes through /api/sync/push.
import type { StoredEvent } from '#shared/events';
import type { CaseState, OutreachState, SweepState } from '#shared/fold/index';
import type { UnitFilter } from './event-store.ts';

/** The months of one year a query covers (1–12, inclusive). */
interface PeriodFilter {
  year: number;
  fromMonth: number;
  toMonth: number;
}

export interface CaseQuery extends PeriodFilter {
  units: UnitFilter;
  /** 'opened': accepted (受理) in the period; 'closed': latest closure in the period. */
  basis: 'opened' | 'closed';
  /** Latest closure's result equals … */
  result?: string;
  /** … or differs from (failed = closed and not success). */
  resultNot?: string;
  disputeType?: string;
  /** 对接渠道 (#shared/stats/facts CHANNELS), the column byChannel counts by. */
  channel?: string;
  agreementForm?: string;
  limit: number;
  offset?: number;
  /** Rows after this one in the list's order (a streamed export's next page; offset is then 0). */
  after?: PageKey;
}

export interface OutreachQuery extends PeriodFilter {
  units: UnitFilter;
  form?: string;
  campaign?: string;
  theme?: string;
  limit: number;
  offset?: number;
  /** Rows after this one in the list's order (a streamed export's next page; offset is then 0). */
  after?: PageKey;
}

export interface SweepQuery extends PeriodFilter {
  units: UnitFilter;
  zeroReport?: boolean;
  limit: number;
  offset?: number;
  /** Rows after this one in the list's order (a streamed export's next page; offset is then 0). */
  after?: PageKey;
}

export interface Page<T> {
  total: number;
  items: T[];
  /** The key of the page's last row, undefined for an empty page: where the next page starts. */
  last: PageKey | undefined;
}

/**
 * A row's place in a list (its date column, then subject id). Pages that start after the last
 * row's key, rather than at an offset, neither skip nor repeat a row that stays where it is when
 * records arrive between two pages of a streamed export (a record whose date is corrected across
 * the page boundary meanwhile can still be missed or come twice).
 */
export interface PageKey {
  date: string;
  subjectId: string;
}

interface LedgerQuery {
  /** Event types, e.g. ['ledger.adviser']. */
  types: readonly string[];
  units: UnitFilter;
  /** occurredAt within [from, to) as instants (ISO). */
  from: string;
  to: string;
}

/** A closed period (结账): month 0 is the whole year. */
export interface PeriodClose {
  id: string;
  orgUnitId: string;
  year: number;
  month: number;
  closedAt: string;
  closedBy: string;
  closedByName: string;
  /** The event log's highest seq when the period was closed. */
  seqAtClose: number;
  /** The figures as closed (JSON of the summary). */
  summary: string;
}

export interface OfficeStore {
  /** Cases (not voided) counted by the query, ordered by the basis date then subject id. */
  listCases(query: CaseQuery): Promise<Page<CaseState>>;
  /** Outreach activities (recorded, not voided) in the period. */
  listOutreach(query: OutreachQuery): Promise<Page<OutreachState>>;
  /** Sweeps (not voided) in the period. */
  listSweeps(query: SweepQuery): Promise<Page<SweepState>>;
  /** Office ledger events of the types in the units and time range, in seq order. */
  listLedgerEvents(query: LedgerQuery): Promise<StoredEvent[]>;
  /** One case's folded state (voided or not), as the record routes check a grant against it. */
  caseState(subjectId: string): Promise<CaseState | undefined>;
  /** Whether the event log holds any event at all (the demo loader refuses a used database). */
  hasAnyEvent(): Promise<boolean>;
  /** 'duplicate' when the unit's period is already closed (nothing is written). */
  insertPeriodClose(close: PeriodClose): Promise<'ok' | 'duplicate'>;
  /** The unit's closed periods, newest period first. */
  listPeriodCloses(orgUnitId: string): Promise<PeriodClose[]>;
}

/** SQL dialect details the two implementations differ in. */
export interface Dialect {
  /** The placeholder of the n-th (1-based) parameter. */
  param(n: number): string;
  /** `column IN <units>` with its parameter value. */
  inList(column: string, n: number, values: readonly string[]): { sql: string; value: unknown };
}

export interface BuiltQuery {
  sql: string;
  countSql: string;
  params: unknown[];
  /** Parameters of countSql (the same without limit/offset). */
  countParams: unknown[];
}

/** Builds the SELECT for a case query: filters are whitelisted columns, values are parameters. */
export function buildCaseQuery(q: CaseQuery, d: Dialect): BuiltQuery {
  const b = new WhereBuilder(d);
  const yearCol = q.basis === 'opened' ? 'opened_year' : 'closed_year';
  const monthCol = q.basis === 'opened' ? 'opened_month' : 'closed_month';
  const dateCol = q.basis === 'opened' ? 'opened_date' : 'closed_date';
  b.eq('voided', 0);
  b.eq(yearCol, q.year);
  b.between(monthCol, q.fromMonth, q.toMonth);
  if (q.basis === 'opened') b.eq('has_opened', 1);
  b.units('org_unit_id', q.units);
  if (q.result !== undefined) b.eq('result', q.result);
  if (q.resultNot !== undefined) b.raw((p) => `result <> ${p(q.resultNot)}`);
  if (q.disputeType !== undefined) b.eq('dispute_type', q.disputeType);
  if (q.channel !== undefined) b.eq('channel', q.channel);
  if (q.agreementForm !== undefined) b.eq('agreement_form', q.agreementForm);
  return b.build('case_projection', dateCol, q);
}

export function buildOutreachQuery(q: OutreachQuery, d: Dialect): BuiltQuery {
  const b = new WhereBuilder(d);
  b.eq('voided', 0);
  b.eq('has_record', 1);
  b.eq('year', q.year);
  b.between('month', q.fromMonth, q.toMonth);
  b.units('org_unit_id', q.units);
  if (q.form !== undefined) b.eq('form', q.form);
  if (q.campaign !== undefined) b.eq('campaign', q.campaign);
  if (q.theme !== undefined) b.raw((p) => `subject_id IN (SELECT subject_id FROM outreach_themes WHERE theme = ${p(q.theme)})`);
  return b.build('outreach_projection', 'occurred_date', q);
}

export function buildSweepQuery(q: SweepQuery, d: Dialect): BuiltQuery {
  const b = new WhereBuilder(d);
  b.eq('voided', 0);
  b.eq('year', q.year);
  b.between('month', q.fromMonth, q.toMonth);
  b.units('org_unit_id', q.units);
  if (q.zeroReport !== undefined) b.eq('zero_report', q.zeroReport ? 1 : 0);
  return b.build('sweep_projection', 'occurred_date', q);
}

class WhereBuilder {
  private readonly clauses: string[] = [];
  private readonly params: unknown[] = [];

  constructor(private readonly d: Dialect) {}

  private p = (value: unknown): string => {
    this.params.push(value);
    return this.d.param(this.params.length);
  };

  eq(column: string, value: unknown): void {
    this.clauses.push(`${column} = ${this.p(value)}`);
  }

  between(column: string, from: number, to: number): void {
    this.clauses.push(`${column} BETWEEN ${this.p(from)} AND ${this.p(to)}`);
  }

  /** `column IN (…)`, or nothing for 'all'. */
  units(column: string, units: UnitFilter): void {
    if (units === 'all') return;
    const { sql, value } = this.d.inList(column, this.params.length + 1, units);
    this.params.push(value);
    this.clauses.push(sql);
  }

  raw(make: (p: (value: unknown) => string) => string): void {
    this.clauses.push(make(this.p));
  }

  /** The page's SELECT, in (dateCol, subject_id) order from `after` or `offset`, and the count of the whole list. */
  build(table: string, dateCol: string, q: { limit: number; offset?: number; after?: PageKey }): BuiltQuery {
    const where = (clauses: string[]) => (clauses.length ? `WHERE ${clauses.join(' AND ')}` : '');
    const countSql = `SELECT count(*) AS n FROM ${table} ${where(this.clauses)}`;
    const countParams = [...this.params];
    // The list's year filter holds dateCol non-null, so the row comparison never meets a NULL.
    if (q.after) this.raw((p) => `(${dateCol}, subject_id) > (${p(q.after!.date)}, ${p(q.after!.subjectId)})`);
    const n = this.params.length;
    return {
      sql: `SELECT state, ${dateCol} AS key_date, subject_id AS key_id FROM ${table} ${where(this.clauses)}
        ORDER BY ${dateCol}, subject_id LIMIT ${this.d.param(n + 1)} OFFSET ${this.d.param(n + 2)}`,
      countSql,
      params: [...this.params, q.limit, q.offset ?? 0],
      countParams,
    };
  }
}
