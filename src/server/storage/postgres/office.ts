// PostgreSQL implementation of the office reads (see office-store.ts). Reads never take the
// push lock: they see committed projection rows only.
import type pg from 'pg';
import type { DomainEvent, StoredEvent } from '#shared/events';
import type { CaseState, OutreachState, SweepState } from '#shared/fold/index';
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

const POSTGRES: Dialect = {
  param: (n) => `$${n}`,
  inList: (column, n, values) => ({ sql: `${column} = ANY($${n}::text[])`, value: [...values] }),
};

export function postgresOfficeStore(pool: pg.Pool): OfficeStore {
  const page = async <T>(q: BuiltQuery): Promise<Page<T>> => {
    const count = await pool.query<{ n: string }>(q.countSql, q.countParams);
    const rows = await pool.query<{ state: string; key_date: string; key_id: string }>(q.sql, q.params);
    const last = rows.rows.at(-1);
    return {
      total: Number(count.rows[0]?.n ?? 0),
      items: rows.rows.map((r) => JSON.parse(r.state) as T),
      last: last && { date: last.key_date, subjectId: last.key_id },
    };
  };
  return {
    async listCases(query) {
      return page<CaseState>(buildCaseQuery(query, POSTGRES));
    },
    async listOutreach(query) {
      return page<OutreachState>(buildOutreachQuery(query, POSTGRES));
    },
    async listSweeps(query) {
      return page<SweepState>(buildSweepQuery(query, POSTGRES));
    },
    async listLedgerEvents({ types, units, from, to }) {
      const params: unknown[] = [[...types]];
      let filter = '';
      if (units !== 'all') {
        params.push([...units]);
        filter = 'AND org_unit_id = ANY($2::text[])';
      }
      const { rows } = await pool.query<{ seq: string; body: string; author_id: string; received_at: string }>(
        `SELECT seq, body, author_id, received_at FROM events WHERE type = ANY($1::text[]) ${filter} ORDER BY seq`,
        params,
      );
      const lo = Date.parse(from);
      const hi = Date.parse(to);
      return rows
        .map((r): StoredEvent => ({ ...(JSON.parse(r.body) as DomainEvent), seq: Number(r.seq), authorId: r.author_id, receivedAt: r.received_at }))
        .filter((e) => {
          const t = Date.parse(e.occurredAt);
          return t >= lo && t < hi;
        });
    },
    async caseState(subjectId) {
      const { rows } = await pool.query<{ state: string }>('SELECT state FROM case_projection WHERE subject_id = $1', [subjectId]);
      return rows[0] ? (JSON.parse(rows[0].state) as CaseState) : undefined;
    },
    async hasAnyEvent() {
      const { rows } = await pool.query('SELECT 1 FROM events LIMIT 1');
      return rows.length > 0;
    },
    async insertPeriodClose(p) {
      const r = await pool.query(
        `INSERT INTO period_closes (id, org_unit_id, year, month, closed_at, closed_by, closed_by_name, seq_at_close, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [p.id, p.orgUnitId, p.year, p.month, p.closedAt, p.closedBy, p.closedByName, p.seqAtClose, p.summary],
      );
      return r.rowCount === 1 ? 'ok' : 'duplicate';
    },
    async listPeriodCloses(orgUnitId) {
      const { rows } = await pool.query<Omit<PeriodClose, 'seqAtClose'> & { seqAtClose: string }>(
        `SELECT id, org_unit_id AS "orgUnitId", year, month, closed_at AS "closedAt", closed_by AS "closedBy", closed_by_name AS "closedByName",
           seq_at_close AS "seqAtClose", summary FROM period_closes WHERE org_unit_id = $1 ORDER BY year DESC, month DESC`,
        [orgUnitId],
      );
      return rows.map((r) => ({ ...r, seqAtClose: Number(r.seqAtClose) }));
    },
  };
}
