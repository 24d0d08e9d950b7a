// SQLite implementation of the returns' reads and writes (see returns-store.ts).
import type Database from 'better-sqlite3';
import type { MediatorEmployment } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import type { ReturnSnapshot, ReturnsStore, UpwardTypeEntry } from '../returns-store.ts';

export function sqliteReturnsStore(db: Database.Database): ReturnsStore {
  return {
    async listFlaggedCases(units) {
      const sql = `SELECT state FROM case_projection WHERE outcome_flags IS NOT NULL AND voided = 0
        ${units === 'all' ? '' : 'AND org_unit_id IN (SELECT value FROM json_each(?))'} ORDER BY subject_id`;
      const rows = db.prepare<unknown[], { state: string }>(sql).all(...(units === 'all' ? [] : [JSON.stringify(units)]));
      return rows.map((r) => JSON.parse(r.state) as CaseState);
    },
    async insertReturnSnapshot(s) {
      const r = db
        .prepare(
          `INSERT INTO return_snapshots (close_id, org_unit_id, year, month, body) VALUES (@closeId, @orgUnitId, @year, @month, @body) ON CONFLICT DO NOTHING`,
        )
        .run(s);
      return r.changes === 1 ? 'ok' : 'duplicate';
    },
    async returnSnapshot(orgUnitId, year, month) {
      return db
        .prepare<[string, number, number], ReturnSnapshot>(
          `SELECT close_id AS closeId, org_unit_id AS orgUnitId, year, month, body FROM return_snapshots WHERE org_unit_id = ? AND year = ? AND month = ?`,
        )
        .get(orgUnitId, year, month);
    },
    async listUpwardTypes() {
      return db
        .prepare<[], UpwardTypeEntry>(
          'SELECT local_code AS localCode, upward_code AS upwardCode, upward_label AS upwardLabel FROM upward_type_map ORDER BY local_code',
        )
        .all();
    },
    async replaceUpwardTypes(entries, by, at) {
      const insert = db.prepare('INSERT INTO upward_type_map (local_code, upward_code, upward_label, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)');
      db.transaction(() => {
        db.prepare('DELETE FROM upward_type_map').run();
        for (const e of entries) insert.run(e.localCode, e.upwardCode, e.upwardLabel, at.toISOString(), by);
      })();
    },
    async listMediatorEmployment() {
      return db.prepare<[], { userId: string; employment: MediatorEmployment }>('SELECT user_id AS userId, employment FROM mediator_employment').all();
    },
    async setMediatorEmployment(userId, employment, at) {
      db.prepare(
        `INSERT INTO mediator_employment (user_id, employment, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET employment = excluded.employment, updated_at = excluded.updated_at`,
      ).run(userId, employment, at.toISOString());
    },
  };
}
