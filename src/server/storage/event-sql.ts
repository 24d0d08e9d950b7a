// SQL and row mapping that the SQLite and PostgreSQL event stores share word for word.
import type { PullMovesState, PullOffer, PullScopeState, UnitFilter } from './event-store.ts';

export function pullScopeOf(
  served: string,
  units: string | null,
  after: number | null,
  upTo: number | null,
  moves: string | null = null,
  offer: string | null = null,
): PullScopeState {
  const state: PullScopeState = {
    served: JSON.parse(served) as UnitFilter,
    backfill:
      units !== null && after !== null && upTo !== null
        ? { units: JSON.parse(units) as UnitFilter, afterSeq: Number(after), upToSeq: Number(upTo) }
        : undefined,
  };
  if (moves !== null) state.moves = JSON.parse(moves) as PullMovesState;
  if (offer !== null) state.offer = JSON.parse(offer) as PullOffer;
  return state;
}

/**
 * Aggregates for one year and month range, each a GROUP BY over a covering index, named
 * like the shared fact rows they are (#shared/stats/summary FactRows). A year
 * (month) is only set once a subject has its dated record (occurredAt of the opening, the
 * outreach record, the sweep), so rows without one never match. Parameters: $1 year, $2 first
 * month, $3 last month; the same text runs on SQLite and PostgreSQL.
 */
export const STATS_SQL = {
  accepted: `SELECT org_unit_id AS "orgUnitId", count(*) AS cases FROM case_projection
    WHERE opened_year = $1 AND voided = 0 AND opened_month BETWEEN $2 AND $3 GROUP BY org_unit_id`,
  closed: `SELECT org_unit_id AS "orgUnitId", closed_month AS month, result, dispute_type AS "disputeType", source_key AS "sourceKey", channel,
      with_agreement AS "withAgreement", performed_full AS "performedFull", count(*) AS cases,
      sum(people_involved) AS "peopleInvolved", sum(amount_cents) AS "amountCents"
    FROM case_projection WHERE closed_year = $1 AND voided = 0 AND closed_month BETWEEN $2 AND $3
    GROUP BY org_unit_id, closed_month, result, dispute_type, source_key, channel, with_agreement, performed_full`,
  outreach: `SELECT org_unit_id AS "orgUnitId", month, form, campaign, count(*) AS sessions, sum(audience) AS audience FROM outreach_projection
    WHERE year = $1 AND voided = 0 AND month BETWEEN $2 AND $3 GROUP BY org_unit_id, month, form, campaign`,
  outreachThemes: `SELECT org_unit_id AS "orgUnitId", theme, count(*) AS sessions FROM outreach_themes
    WHERE year = $1 AND voided = 0 AND month BETWEEN $2 AND $3 GROUP BY org_unit_id, theme`,
  sweeps: `SELECT org_unit_id AS "orgUnitId", sum(count) AS count, sum(zero_reports) AS "zeroReports", sum(households) AS households, sum(disputes_found) AS "disputesFound"
    FROM sweep_totals WHERE year = $1 AND month BETWEEN $2 AND $3 GROUP BY org_unit_id`,
} as const;

/** SQL for the case's unit and its ancestors, nearest first (same text on SQLite and PostgreSQL). */
export const orgChainSql = (param: string): string => `
WITH RECURSIVE chain(id, depth) AS (
  SELECT id, 0 FROM org_units WHERE id = ${param}
  UNION ALL
  SELECT o.parent_id, c.depth + 1 FROM org_units o JOIN chain c ON o.id = c.id WHERE o.parent_id IS NOT NULL AND c.depth < 20
)
SELECT u.id AS id, u.parent_id AS "parentId", u.kind AS kind, u.name AS name, u.short_name AS "shortName", c.depth AS depth
FROM chain c JOIN org_units u ON u.id = c.id ORDER BY c.depth`;
