// SQLite implementation of the 重大 acknowledgements and 以案定补 tables (see subsidy-store.ts).
import type Database from 'better-sqlite3';
import type { MajorAck, StoredSubsidyRules, SubsidyApproval, SubsidyStore } from '../subsidy-store.ts';

export function sqliteSubsidyStore(db: Database.Database): SubsidyStore {
  return {
    async insertMajorAck(a) {
      const r = db
        .prepare(
          `INSERT INTO major_acks (subject_id, raised_event_id, acked_by, acked_by_name, acked_at)
           VALUES (@subjectId, @raisedEventId, @ackedBy, @ackedByName, @ackedAt) ON CONFLICT DO NOTHING`,
        )
        .run(a);
      return r.changes === 1 ? 'ok' : 'duplicate';
    },
    async listMajorAcks(subjectIds) {
      return db
        .prepare<[string], MajorAck>(
          `SELECT subject_id AS subjectId, raised_event_id AS raisedEventId, acked_by AS ackedBy, acked_by_name AS ackedByName, acked_at AS ackedAt
           FROM major_acks WHERE subject_id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(subjectIds));
    },
    async subsidyRules(orgUnitIds) {
      return db
        .prepare<[string], StoredSubsidyRules>(
          `SELECT org_unit_id AS orgUnitId, rules, updated_by AS updatedBy, updated_by_name AS updatedByName, updated_at AS updatedAt
           FROM subsidy_rules WHERE org_unit_id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(orgUnitIds));
    },
    async putSubsidyRules(r) {
      db.prepare(
        `INSERT INTO subsidy_rules (org_unit_id, rules, updated_by, updated_by_name, updated_at) VALUES (@orgUnitId, @rules, @updatedBy, @updatedByName, @updatedAt)
         ON CONFLICT (org_unit_id) DO UPDATE SET rules = excluded.rules, updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at`,
      ).run(r);
    },
    async insertSubsidyApproval(a) {
      const r = db
        .prepare(
          `INSERT INTO subsidy_approvals (org_unit_id, year, month, approved_by, approved_by_name, approved_at, ledger, paid)
           VALUES (@orgUnitId, @year, @month, @approvedBy, @approvedByName, @approvedAt, @ledger, @paid) ON CONFLICT DO NOTHING`,
        )
        .run(a);
      return r.changes === 1 ? 'ok' : 'duplicate';
    },
    async listSubsidyApprovals(orgUnitIds) {
      return db
        .prepare<[string], SubsidyApproval>(
          `SELECT org_unit_id AS orgUnitId, year, month, approved_by AS approvedBy, approved_by_name AS approvedByName, approved_at AS approvedAt, ledger, paid
           FROM subsidy_approvals WHERE org_unit_id IN (SELECT value FROM json_each(?)) ORDER BY year, month`,
        )
        .all(JSON.stringify(orgUnitIds));
    },
  };
}
