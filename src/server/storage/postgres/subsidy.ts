// PostgreSQL implementation of the 重大 acknowledgements and 以案定补 tables (see subsidy-store.ts).
import type pg from 'pg';
import type { MajorAck, StoredSubsidyRules, SubsidyApproval, SubsidyStore } from '../subsidy-store.ts';

export function postgresSubsidyStore(pool: pg.Pool): SubsidyStore {
  return {
    async insertMajorAck(a) {
      const r = await pool.query(
        `INSERT INTO major_acks (subject_id, raised_event_id, acked_by, acked_by_name, acked_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [a.subjectId, a.raisedEventId, a.ackedBy, a.ackedByName, a.ackedAt],
      );
      return r.rowCount === 1 ? 'ok' : 'duplicate';
    },
    async listMajorAcks(subjectIds) {
      const r = await pool.query<MajorAck>(
        `SELECT subject_id AS "subjectId", raised_event_id AS "raisedEventId", acked_by AS "ackedBy", acked_by_name AS "ackedByName", acked_at AS "ackedAt"
         FROM major_acks WHERE subject_id = ANY($1::text[])`,
        [[...subjectIds]],
      );
      return r.rows;
    },
    async subsidyRules(orgUnitIds) {
      const r = await pool.query<StoredSubsidyRules>(
        `SELECT org_unit_id AS "orgUnitId", rules, updated_by AS "updatedBy", updated_by_name AS "updatedByName", updated_at AS "updatedAt"
         FROM subsidy_rules WHERE org_unit_id = ANY($1::text[])`,
        [[...orgUnitIds]],
      );
      return r.rows;
    },
    async putSubsidyRules(s) {
      await pool.query(
        `INSERT INTO subsidy_rules (org_unit_id, rules, updated_by, updated_by_name, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org_unit_id) DO UPDATE SET rules = excluded.rules, updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at`,
        [s.orgUnitId, s.rules, s.updatedBy, s.updatedByName, s.updatedAt],
      );
    },
    async insertSubsidyApproval(a) {
      const r = await pool.query(
        `INSERT INTO subsidy_approvals (org_unit_id, year, month, approved_by, approved_by_name, approved_at, ledger, paid)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [a.orgUnitId, a.year, a.month, a.approvedBy, a.approvedByName, a.approvedAt, a.ledger, a.paid],
      );
      return r.rowCount === 1 ? 'ok' : 'duplicate';
    },
    async listSubsidyApprovals(orgUnitIds) {
      const r = await pool.query<SubsidyApproval>(
        `SELECT org_unit_id AS "orgUnitId", year, month, approved_by AS "approvedBy", approved_by_name AS "approvedByName", approved_at AS "approvedAt", ledger, paid
         FROM subsidy_approvals WHERE org_unit_id = ANY($1::text[]) ORDER BY year, month`,
        [[...orgUnitIds]],
      );
      return r.rows;
    },
  };
}
