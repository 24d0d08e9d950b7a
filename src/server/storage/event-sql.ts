// SQL and row mapping that the SQLite and PostgreSQL event stores share word for word.
import type { PullScopeState, UnitFilter } from './event-store.ts';

export function pullScopeOf(served: string, units: string | null, after: number | null, upTo: number | null): PullScopeState {
  return {
    served: JSON.parse(served) as UnitFilter,
    backfill: units !== null && after !== null && upTo !== null ? { units: JSON.parse(units) as UnitFilter, afterSeq: Number(after), upToSeq: Number(upTo) } : undefined,
  };
}

/**
 * Aggregates for one year and month range, each a GROUP BY over a covering index. A year
 * (month) is only set once a subject has its dated record (occurredAt of the opening, the
 * outreach record, the sweep), so rows without one never match. Parameters: $1 year, $2 first
 * month, $3 last month; the same text runs on SQLite and PostgreSQL.
 */
export const STATS_SQL = {
  accepted: `SELECT org_unit_id AS "orgUnitId", count(*) AS accepted FROM case_projection
    WHERE opened_year = $1 AND voided = 0 AND opened_month BETWEEN $2 AND $3 GROUP BY org_unit_id`,
  closed: `SELECT org_unit_id AS "orgUnitId", closed_month AS month, result, dispute_type AS "disputeType", source, referrer,
      agreement_form AS "agreementForm", sum(CASE WHEN performed = 'full' THEN 1 ELSE 0 END) AS "performedFull",
      sum(CASE WHEN agreement_form IN ('written', 'oral') THEN 1 ELSE 0 END) AS "withAgreement", count(*) AS cases,
      sum(people_involved) AS "peopleInvolved", sum(amount_involved) AS "amountInvolved"
    FROM case_projection WHERE closed_year = $1 AND voided = 0 AND closed_month BETWEEN $2 AND $3
    GROUP BY org_unit_id, closed_month, result, dispute_type, source, referrer, agreement_form`,
  outreach: `SELECT org_unit_id AS "orgUnitId", month, form, campaign, count(*) AS sessions, sum(audience) AS audience FROM outreach_projection
    WHERE year = $1 AND voided = 0 AND month BETWEEN $2 AND $3 GROUP BY org_unit_id, month, form, campaign`,
  outreachThemes: `SELECT org_unit_id AS "orgUnitId", theme, count(*) AS sessions FROM outreach_themes
    WHERE year = $1 AND voided = 0 AND month BETWEEN $2 AND $3 GROUP BY org_unit_id, theme`,
  sweeps: `SELECT org_unit_id AS "orgUnitId", sum(count) AS count, sum(zero_reports) AS "zeroReports", sum(households) AS households, sum(disputes_found) AS "disputesFound"
    FROM sweep_totals WHERE year = $1 AND month BETWEEN $2 AND $3 GROUP BY org_unit_id`,
} as const;
