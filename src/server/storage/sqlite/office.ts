// SQLite implementation of the office reads (see office-store.ts).
import type Database from 'better-sqlite3';
import type { DomainEvent, StoredEvent } from '#shared/events';
import type { CaseState, OutreachState, SweepState } from '#shared/fold/index';
import type { UnitFilter } from '../event-store.ts';
import {
  buildCaseQuery,
  buildOutreachQuery,
  buildSweepQuery,
  type BuiltQuery,
  type Dialect,
  type OfficeStore,
  type Page,
  type PeriodClose,
} from '../office-store.ts';

const SQLITE: Dialect = {
  param: () => '?',
  inList: (column, _n, values) => ({ sql: `${column} IN (SELECT value FROM json_each(?))`, value: JSON.stringify(values) }),
};

export function sqliteOfficeStore(db: Database.Database): OfficeStore {
  const page = <T>(q: BuiltQuery): Page<T> => {
    const total = (db.prepare(q.countSql).get(...q.countParams) as { n: number }).n;
    const rows = db.prepare<unknown[], { state: string; key_date: string; key_id: string }>(q.sql).all(...q.params);
    const last = rows.at(-1);
    return { total, items: rows.map((r) => JSON.parse(r.state) as T), last: last && { date: last.key_date, subjectId: last.key_id } };
  };
  const unitsClause = (units: UnitFilter) => (units === 'all' ? '' : 'AND org_unit_id IN (SELECT value FROM json_each(?))');
  return {
    async listCases(query) {
      return page<CaseState>(buildCaseQuery(query, SQLITE));
    },
    async listOutreach(query) {
      return page<OutreachState>(buildOutreachQuery(query, SQLITE));
    },
    async listSweeps(query) {
      return page<SweepState>(buildSweepQuery(query, SQLITE));
    },
    async listLedgerEvents({ types, units, from, to }) {
      const args: unknown[] = [JSON.stringify(types)];
      if (units !== 'all') args.push(JSON.stringify(units));
      const rows = db
        .prepare<unknown[], { seq: number; body: string; author_id: string; received_at: string }>(
          `SELECT seq, body, author_id, received_at FROM events WHERE type IN (SELECT value FROM json_each(?)) ${unitsClause(units)} ORDER BY seq`,
        )
        .all(...args);
      const lo = Date.parse(from);
      const hi = Date.parse(to);
      return rows
        .map((r): StoredEvent => ({ ...(JSON.parse(r.body) as DomainEvent), seq: r.seq, authorId: r.author_id, receivedAt: r.received_at }))
        .filter((e) => {
          const t = Date.parse(e.occurredAt);
          return t >= lo && t < hi;
        });
    },
    async caseState(subjectId) {
      const row = db.prepare<[string], { state: string }>('SELECT state FROM case_projection WHERE subject_id = ?').get(subjectId);
      return row ? (JSON.parse(row.state) as CaseState) : undefined;
    },
    async hasAnyEvent() {
      return db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
    },
    async insertPeriodClose(p) {
      const r = db
        .prepare(
          `INSERT INTO period_closes (id, org_unit_id, year, month, closed_at, closed_by, closed_by_name, seq_at_close, summary)
           VALUES (@id, @orgUnitId, @year, @month, @closedAt, @closedBy, @closedByName, @seqAtClose, @summary) ON CONFLICT DO NOTHING`,
        )
        .run(p);
      return r.changes === 1 ? 'ok' : 'duplicate';
    },
    async listPeriodCloses(orgUnitId) {
      return db
        .prepare<[string], PeriodClose>(
          `SELECT id, org_unit_id AS orgUnitId, year, month, closed_at AS closedAt, closed_by AS closedBy, closed_by_name AS closedByName,
             seq_at_close AS seqAtClose, summary FROM period_closes WHERE org_unit_id = ? ORDER BY year DESC, month DESC`,
        )
        .all(orgUnitId);
    },
  };
}
