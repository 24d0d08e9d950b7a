// Upgrading in place: a database at the schema before migration 204 (case projection with
// floating yuan and raw source/referrer/performed columns), holding rows as the old projection
// wrote them, is migrated by opening it like a deployment does; its rows must become exactly
// the shared facts (amounts in whole fen) and its figures must equal the reference summary.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { rollUpDisputeType } from '#shared/codes';
import type { DomainEvent } from '#shared/events';
import { foldAll, type CaseState } from '#shared/fold/index';
import { caseFactsOf, summarize } from '#shared/stats/summary';
import { localParts } from '#shared/time';
import { monthRangeOf, summaryFromAggregates } from '../../src/server/services/stats.ts';
import { migratePostgres, migrateSqlite } from '../../src/server/storage/migrations.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { caseClosed, caseOpened, caseVoided, G1, G2, G3 } from './support/sync-fixtures.ts';

const TZ = 'Asia/Shanghai';
const BEFORE_FACT_COLUMNS = 203;

function caseEvents(): DomainEvent[] {
  const a = caseOpened(G1, '2024-03-01T09:00:00+08:00', { amountInvolved: 1234.565, peopleInvolved: 3, source: 'referral', referrer: 'court' });
  const b = caseOpened(G2, '2024-03-02T09:00:00+08:00', { amountInvolved: 0.29, source: 'referral', referrer: 'procuratorate', disputeType: '03-homestead' });
  const c = caseOpened(G3, '2024-04-02T09:00:00+08:00', { amountInvolved: 2000.5, source: 'self_initiated' });
  const d = caseOpened(G3, '2024-04-03T09:00:00+08:00', { amountInvolved: 50 });
  const performed = { ...caseClosed(a, '2024-03-09T09:00:00+08:00'), id: crypto.randomUUID(), type: 'case.performed', data: { status: 'full' } } as DomainEvent;
  return [
    a,
    caseClosed(a, '2024-03-05T09:00:00+08:00', 'success', 'written'),
    performed,
    b,
    caseClosed(b, '2024-03-31T23:30:00+08:00', 'success', 'oral'),
    c,
    caseClosed(c, '2024-04-05T09:00:00+08:00', 'success', 'none'),
    d,
    caseClosed(d, '2024-04-06T09:00:00+08:00', 'failure', 'none'),
    caseVoided(d, '2024-04-07T09:00:00+08:00'),
    // A closure whose registration never arrived.
    caseClosed({ ...a, subjectId: crypto.randomUUID() }, '2024-04-08T09:00:00+08:00'),
  ];
}

/** The row the projection wrote before migration 204 (services/projection.ts at that schema). */
function oldCaseRow(s: CaseState): Record<string, string | number | null> {
  const date = (iso: string | undefined) => (iso === undefined ? { date: null, year: null, month: null } : localParts(iso, TZ));
  const opened = date(s.openedAt);
  const closed = date(s.closure?.occurredAt);
  const o = s.opened;
  return {
    subject_id: s.subjectId,
    org_unit_id: s.orgUnitId,
    has_opened: s.hasOpened ? 1 : 0,
    opened_date: opened.date,
    opened_year: opened.year,
    opened_month: opened.month,
    closed_date: closed.date,
    closed_year: closed.year,
    closed_month: closed.month,
    result: s.closure?.result ?? null,
    agreement_form: s.closure?.agreementForm ?? null,
    dispute_type: o ? (rollUpDisputeType(o.disputeType) ?? null) : null,
    source: o?.source ?? null,
    referrer: o?.referrer ?? null,
    committee_id: o?.committeeId ?? null,
    people_involved: o?.peopleInvolved ?? 0,
    amount_involved: o?.amountInvolved ?? 0,
    performed: s.performances.at(-1)?.status ?? null,
    voided: s.voided ? 1 : 0,
    case_number: `（2024）江口人调字第${s.subjectId.slice(0, 3)}号`,
    state: JSON.stringify(s),
  };
}

const OLD_COLUMNS = Object.keys(oldCaseRow(foldAll(caseEvents())[0] as CaseState));

async function expectUpgraded(store: Store, states: CaseState[], rowsBefore: Record<string, string | number | null>[]): Promise<void> {
  const dump = await store.dumpProjections();
  expect(dump.cases).toHaveLength(states.length);
  for (const s of states) {
    const row = dump.cases.find((r) => r.subject_id === s.subjectId)!;
    const before = rowsBefore.find((r) => r.subject_id === s.subjectId)!;
    const f = caseFactsOf(s, TZ);
    // Kept as they were: nothing but the fact columns changes.
    expect({ state: row.state, case_number: row.case_number, agreement_form: row.agreement_form, opened_date: row.opened_date }).toEqual({
      state: before.state,
      case_number: before.case_number,
      agreement_form: before.agreement_form,
      opened_date: before.opened_date,
    });
    expect({
      dispute_type: row.dispute_type,
      source_key: row.source_key,
      channel: row.channel,
      with_agreement: Number(row.with_agreement) === 1,
      performed_full: Number(row.performed_full) === 1,
      amount_cents: Number(row.amount_cents),
    }).toEqual({
      dispute_type: f.disputeType,
      source_key: f.sourceKey,
      channel: f.channel,
      with_agreement: f.withAgreement,
      performed_full: f.performedFull,
      amount_cents: f.amountCents,
    });
    expect(row).not.toHaveProperty('amount_involved');
  }
  expect(dump.cases.map((r) => Number(r.amount_cents)).sort((a, b) => a - b)).toEqual([0, 29, 5000, 123457, 200050]);
  for (const q of [{ year: 2024 }, { year: 2024, month: 3 }, { year: 2024, quarter: 2 }]) {
    const agg = await store.statsAggregates({ year: q.year, ...monthRangeOf(q) });
    const figures = summaryFromAggregates(agg, q, { subtree: new Set([G1, G2, G3]), childOf: () => undefined });
    expect(figures).toEqual(summarize(states, { ...q, timeZone: TZ }));
  }
  const year = summaryFromAggregates(
    await store.statsAggregates({ year: 2024, fromMonth: 1, toMonth: 12 }),
    { year: 2024 },
    { subtree: new Set([G1, G2, G3]), childOf: () => undefined },
  );
  expect(year.mediation).toMatchObject({ resolved: 4, amountInvolved: 3235.36, withAgreement: 3, performed: 1 });
  expect(year.mediation.byChannel).toMatchObject({ court: 1, other_referral: 1, self_initiated: 1 });
}

describe('migration 204: case projection columns become the shared facts', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('upgrades a SQLite database in place', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-migrate-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const states = foldAll(caseEvents()) as CaseState[];
    const rows = states.map(oldCaseRow);
    const db = new Database(path.join(dataDir, 'taizhang.sqlite'));
    migrateSqlite(db, { upTo: BEFORE_FACT_COLUMNS });
    const insert = db.prepare(`INSERT INTO case_projection (${OLD_COLUMNS.join(', ')}) VALUES (${OLD_COLUMNS.map((c) => `@${c}`).join(', ')})`);
    for (const r of rows) insert.run(r);
    db.close();
    const store = openSqliteStore(dataDir);
    cleanups.unshift(() => store.close());
    await expectUpgraded(store, states, rows);
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
    const states = foldAll(caseEvents()) as CaseState[];
    const rows = states.map(oldCaseRow);
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` });
    await migratePostgres(pool, { upTo: BEFORE_FACT_COLUMNS });
    await pool.query(
      `INSERT INTO case_projection (${OLD_COLUMNS.join(', ')}) SELECT ${OLD_COLUMNS.join(', ')} FROM json_populate_recordset(NULL::case_projection, $1::json)`,
      [JSON.stringify(rows)],
    );
    await pool.end();
    const store = await openPostgresStore(url, { schema });
    cleanups.unshift(() => store.close());
    await expectUpgraded(store, states, rows);
  });
});
