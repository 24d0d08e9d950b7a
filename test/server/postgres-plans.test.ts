// A push's reads on PostgreSQL go through the indexes even where the planner has no statistics
// (autovacuum off, as on this project's test machine, or a log too young for it to have come
// round): a never-analysed events table had `subject_id = ANY(500 ids)` planned as a scan of the
// whole log, a cost that grows with every push. PUSH_BEGIN (storage/postgres/events.ts) holds
// the push's transaction to the indexes; the control shows the plan it replaces. And the year
// summary's closed cases are read from their partial index (migration 550), whose condition
// PostgreSQL must see implied by the query's own.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STATS_SQL } from '../../src/server/storage/event-sql.ts';
import { PUSH_BEGIN, SUBJECT_EVENTS, SUBJECT_HOMES } from '../../src/server/storage/postgres/events.ts';
import { execRaw } from './support/raw-sql.ts';
import { storeCases, type OpenedStore } from './support/stores.ts';

const postgres = storeCases().find((c) => c.name === 'postgres');

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, depth first. */
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe.skipIf(!postgres)('PostgreSQL plans on tables without statistics', () => {
  let opened: OpenedStore;
  let client: pg.Client;

  beforeAll(async () => {
    opened = await postgres!.open();
    // 20,000 events of 5,000 cases, and no ANALYZE: not by us, not by autovacuum.
    await execRaw(
      opened,
      `ALTER TABLE events SET (autovacuum_enabled = false);
       INSERT INTO events (seq, id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body, scope_unit_id)
       SELECT n, 'e-' || n, 'case.opened', 's-' || (n % 5000), 'grid-1', '2024-01-15T10:00:00+08:00', 'u', 'd', '2024-01-15T02:00:00Z',
              repeat('x', 600), 'grid-1'
       FROM generate_series(1, 20000) AS n`,
    );
    client = new pg.Client({ connectionString: opened.databaseUrl });
    await client.connect();
    await client.query(`SET search_path TO ${opened.schema}`);
  });
  afterAll(async () => {
    await client?.end();
    await opened?.dispose();
  });

  /** The nodes of a query's plan, inside a transaction opened by `begin`. */
  async function planOf(begin: string, sql: string, params: unknown[]): Promise<PlanNode[]> {
    await client.query(begin);
    try {
      const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      return nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
    } finally {
      await client.query('ROLLBACK');
    }
  }

  /** The relations a lookup of 500 subjects scans sequentially. */
  async function seqScans(begin: string, sql: string): Promise<string[]> {
    const ids = Array.from({ length: 500 }, () => randomUUID());
    return (await planOf(begin, sql, [ids])).filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?');
  }

  test.each([
    ['where each subject lives', SUBJECT_HOMES],
    ['the subjects’ events', SUBJECT_EVENTS],
  ])('%s: no table scan inside a push', async (_name, sql) => {
    expect(await seqScans(PUSH_BEGIN, sql)).toEqual([]);
  });

  test('control: outside a push the same lookup scans the whole log', async () => {
    expect(await seqScans('BEGIN', SUBJECT_HOMES)).toContain('events');
  });

  test('the year summary’s closed cases come from the closed-cases index, which holds closed cases only', async () => {
    const nodes = await planOf('BEGIN; SET LOCAL enable_seqscan = off', STATS_SQL.closed, [2024, 1, 12]);
    expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toContain('case_projection_closed');
  });
});
