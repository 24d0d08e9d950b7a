// Migration 220 on a database that already holds a case moved by a 更正 (SQLite, and
// PostgreSQL when DATABASE_URL is set): after the upgrade the whole case is pulled where it is
// now, its move is also pulled where it was registered and counts as a move into its new unit,
// and an unmoved case stays where it was.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '#shared/events';
import { migratePostgres, migrateSqlite } from '../../src/server/storage/migrations.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { caseOpened, G1, G2 } from './support/sync-fixtures.ts';

const BEFORE_PULL_SCOPE = 204;

function history() {
  const moved = caseOpened(G1, '2024-03-01T09:00:00+08:00');
  const move: DomainEvent = {
    id: uuidv7(),
    type: 'case.updated',
    subjectId: moved.subjectId,
    orgUnitId: G1,
    occurredAt: '2024-03-02T09:00:00+08:00',
    recordedAt: '2024-03-02T01:00:00Z',
    deviceId: 'dev-old',
    deviceSeq: 2,
    data: { changes: { orgUnitId: G2 } },
  };
  const stays = caseOpened(G1, '2024-03-03T09:00:00+08:00');
  const events = [moved, move, stays].map((e, i) => ({
    seq: i + 1,
    id: e.id,
    type: e.type,
    subject_id: e.subjectId,
    org_unit_id: e.orgUnitId,
    occurred_at: e.occurredAt,
    author_id: 'u',
    device_id: e.deviceId,
    received_at: '2024-03-04T00:00:00Z',
    body: JSON.stringify(e),
  }));
  const projections = [
    { subject_id: moved.subjectId, org_unit_id: G2, has_opened: 1, voided: 0, state: '{}' },
    { subject_id: stays.subjectId, org_unit_id: G1, has_opened: 1, voided: 0, state: '{}' },
  ];
  return { moved, move, stays, events, projections };
}

async function expectUpgraded(store: Store, h: ReturnType<typeof history>): Promise<void> {
  const ids = async (units: string[]) => (await store.pullScoped({ afterSeq: 0, limit: 100, units })).map((r) => r.event.id);
  expect(await ids([G2])).toEqual([h.moved.id, h.move.id]);
  expect(await ids([G1])).toEqual([h.move.id, h.stays.id]);
  expect(await store.movesInto([G2], 0, 10)).toEqual([{ subjectId: h.moved.subjectId, seq: 2, unitId: G2 }]);
  expect(await store.movesInto([G1], 0, 10)).toEqual([]);
}

describe('migration 220: pull follows a moved case', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('upgrades a SQLite database in place', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-migrate-220-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const h = history();
    const db = new Database(path.join(dataDir, 'taizhang.sqlite'));
    migrateSqlite(db, { upTo: BEFORE_PULL_SCOPE });
    const insertEvent = db.prepare(
      'INSERT INTO events (seq, id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body) VALUES (@seq, @id, @type, @subject_id, @org_unit_id, @occurred_at, @author_id, @device_id, @received_at, @body)',
    );
    for (const e of h.events) insertEvent.run(e);
    const insertCase = db.prepare(
      'INSERT INTO case_projection (subject_id, org_unit_id, has_opened, voided, state) VALUES (@subject_id, @org_unit_id, @has_opened, @voided, @state)',
    );
    for (const p of h.projections) insertCase.run(p);
    db.close();
    const store = openSqliteStore(dataDir);
    cleanups.unshift(() => store.close());
    await expectUpgraded(store, h);
  });

  it.runIf(process.env.DATABASE_URL)('upgrades a PostgreSQL database in place', async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    const h = history();
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` });
    await migratePostgres(pool, { upTo: BEFORE_PULL_SCOPE });
    await pool.query(
      `INSERT INTO events (seq, id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body)
       SELECT seq, id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body FROM json_populate_recordset(NULL::events, $1::json)`,
      [JSON.stringify(h.events)],
    );
    await pool.query(
      `INSERT INTO case_projection (subject_id, org_unit_id, has_opened, voided, state)
       SELECT subject_id, org_unit_id, has_opened, voided, state FROM json_populate_recordset(NULL::case_projection, $1::json)`,
      [JSON.stringify(h.projections)],
    );
    await pool.end();
    const store = await openPostgresStore(url, { schema });
    cleanups.unshift(() => store.close());
    await expectUpgraded(store, h);
  });
});
