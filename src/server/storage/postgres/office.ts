// PostgreSQL implementation of the office reads (see office-store.ts). Reads never take the
// push lock: they see committed projection rows only.
import type pg from 'pg';
import type { DomainEvent, StoredEvent } from '#shared/events';
import type { CaseState, OutreachState, SweepState } from '#shared/fold/index';
import { buildCaseQuery, buildOutreachQuery, buildSweepQuery, type BuiltQuery, type Dialect, type OfficeStore, type Page } from '../office-store.ts';

const POSTGRES: Dialect = {
  param: (n) => `$${n}`,
  inList: (column, n, values) => ({ sql: `${column} = ANY($${n}::text[])`, value: [...values] }),
};

export function postgresOfficeStore(pool: pg.Pool): OfficeStore {
  const page = async <T>(q: BuiltQuery): Promise<Page<T>> => {
    const count = await pool.query<{ n: string }>(q.countSql, q.countParams);
    const rows = await pool.query<{ state: string }>(q.sql, q.params);
    return { total: Number(count.rows[0]?.n ?? 0), items: rows.rows.map((r) => JSON.parse(r.state) as T) };
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
    async hasAnyEvent() {
      const { rows } = await pool.query('SELECT 1 FROM events LIMIT 1');
      return rows.length > 0;
    },
  };
}
