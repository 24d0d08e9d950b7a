// PostgreSQL implementation of the returns' reads and writes (see returns-store.ts).
import type pg from 'pg';
import type { MediatorEmployment } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import type { ReturnSnapshot, ReturnsStore, UpwardTypeEntry } from '../returns-store.ts';

export function postgresReturnsStore(pool: pg.Pool): ReturnsStore {
  return {
    async listFlaggedCases(units) {
      const { rows } = await pool.query<{ state: string }>(
        `SELECT state FROM case_projection WHERE outcome_flags IS NOT NULL AND voided = 0
         ${units === 'all' ? '' : 'AND org_unit_id = ANY($1::text[])'} ORDER BY subject_id`,
        units === 'all' ? [] : [[...units]],
      );
      return rows.map((r) => JSON.parse(r.state) as CaseState);
    },
    async insertReturnSnapshot(s) {
      const r = await pool.query(`INSERT INTO return_snapshots (close_id, org_unit_id, year, month, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
        s.closeId,
        s.orgUnitId,
        s.year,
        s.month,
        s.body,
      ]);
      return r.rowCount === 1 ? 'ok' : 'duplicate';
    },
    async returnSnapshot(orgUnitId, year, month) {
      const { rows } = await pool.query<ReturnSnapshot>(
        `SELECT close_id AS "closeId", org_unit_id AS "orgUnitId", year, month, body FROM return_snapshots WHERE org_unit_id = $1 AND year = $2 AND month = $3`,
        [orgUnitId, year, month],
      );
      return rows[0];
    },
    async listUpwardTypes() {
      const { rows } = await pool.query<UpwardTypeEntry>(
        'SELECT local_code AS "localCode", upward_code AS "upwardCode", upward_label AS "upwardLabel" FROM upward_type_map ORDER BY local_code',
      );
      return rows;
    },
    async replaceUpwardTypes(entries, by, at) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('DELETE FROM upward_type_map');
        if (entries.length > 0) {
          await client.query(
            `INSERT INTO upward_type_map (local_code, upward_code, upward_label, updated_at, updated_by)
             SELECT l, u, lb, $4, $5 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(l, u, lb)`,
            [entries.map((e) => e.localCode), entries.map((e) => e.upwardCode), entries.map((e) => e.upwardLabel), at.toISOString(), by],
          );
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    async listMediatorEmployment() {
      const { rows } = await pool.query<{ userId: string; employment: MediatorEmployment }>('SELECT user_id AS "userId", employment FROM mediator_employment');
      return rows;
    },
    async setMediatorEmployment(userId, employment, at) {
      await pool.query(
        `INSERT INTO mediator_employment (user_id, employment, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET employment = excluded.employment, updated_at = excluded.updated_at`,
        [userId, employment, at.toISOString()],
      );
    },
  };
}
