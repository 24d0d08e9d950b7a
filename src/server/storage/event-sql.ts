// SQL and row mapping that the SQLite and PostgreSQL event stores share word for word.
import type { LeafKind, PullMovesState, PullOffer, PullScopeState, UnitFilter } from './event-store.ts';

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

/**
 * The statistics rollup (migration 540): every fact row of the year summary, summed per
 * (year, unit, fact, month, keys) for each unit and each of its ancestors, so that a unit's
 * figures are its own rows whatever the size of its subtree. `fact` names the summary's rows:
 * accepted (受理), closed (k1 result, '' for none; k2 type, k3 source key, k4 channel, k5 with
 * agreement, k6 fully performed; v1 people, v2 amount in fen), resolved and sessions (the
 * per-unit counts byOrgUnit reads from a unit's children), outreach (k1 form, k2 campaign, ''
 * for none; v1 audience), theme (k1), sweep (n records; v1 zero reports, v2 households, v3
 * disputes found). n counts the subjects of a row; a row whose n went back to 0 counts nowhere.
 */
export const ROLLUP_KEYS = ['year', 'unit_id', 'fact', 'month', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6'] as const;
export const ROLLUP_SUMS = ['n', 'v1', 'v2', 'v3'] as const;

/**
 * One row per (subject, fact) at the subject's own unit, the only place the projection columns
 * become rollup rows: the migration's backfill, the bench's bulk build and each push read them
 * through here. `subjects` gives the predicate on subject_id that limits each projection's rows
 * ('1 = 1' for all): a push names each subject only where its rows are.
 */
export const leafFactsSql = (subjects: (kind: LeafKind) => string): string => `
SELECT opened_year AS year, org_unit_id AS unit_id, 'accepted' AS fact, opened_month AS month, '' AS k1, '' AS k2, '' AS k3, '' AS k4, 0 AS k5, 0 AS k6,
  1 AS n, 0 AS v1, 0 AS v2, 0 AS v3, subject_id
  FROM case_projection WHERE voided = 0 AND opened_year IS NOT NULL AND opened_month IS NOT NULL AND ${subjects('case')}
UNION ALL SELECT closed_year, org_unit_id, 'closed', closed_month, coalesce(result, ''), dispute_type, source_key, channel, with_agreement, performed_full,
  1, people_involved, amount_cents, 0, subject_id
  FROM case_projection WHERE voided = 0 AND closed_year IS NOT NULL AND closed_month IS NOT NULL AND ${subjects('case')}
UNION ALL SELECT closed_year, org_unit_id, 'resolved', closed_month, '', '', '', '', 0, 0, 1, 0, 0, 0, subject_id
  FROM case_projection WHERE voided = 0 AND closed_year IS NOT NULL AND closed_month IS NOT NULL AND result = 'success' AND ${subjects('case')}
UNION ALL SELECT year, org_unit_id, 'outreach', month, coalesce(form, ''), coalesce(campaign, ''), '', '', 0, 0, 1, audience, 0, 0, subject_id
  FROM outreach_projection WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND ${subjects('outreach')}
UNION ALL SELECT year, org_unit_id, 'sessions', month, '', '', '', '', 0, 0, 1, 0, 0, 0, subject_id
  FROM outreach_projection WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND ${subjects('outreach')}
UNION ALL SELECT year, org_unit_id, 'theme', month, theme, '', '', '', 0, 0, 1, 0, 0, 0, subject_id
  FROM outreach_themes WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND ${subjects('outreach')}
UNION ALL SELECT year, org_unit_id, 'sweep', month, '', '', '', '', 0, 0, 1, zero_report, households, disputes_found, subject_id
  FROM sweep_projection WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND ${subjects('sweep')}`;

/**
 * Each unit named by `units` (a SELECT of one column, id) with itself and its ancestors (anc),
 * as the tree stands when the statement runs; a unit not in org_units has none.
 */
const ancestorsSql = (units: string): string => `
anc(leaf, id, depth) AS (
  SELECT id, id, 0 FROM org_units WHERE id IN (${units})
  UNION ALL
  SELECT a.leaf, o.parent_id, a.depth + 1 FROM anc a JOIN org_units o ON o.id = a.id WHERE o.parent_id IS NOT NULL AND a.depth < 20
)`;

const ROLLUP_ADD = `ON CONFLICT (${ROLLUP_KEYS.join(', ')}) DO UPDATE SET ${ROLLUP_SUMS.map((c) => `${c} = stats_rollup.${c} + excluded.${c}`).join(', ')}`;
const KEYS_OF = (t: string, unit: string) => ROLLUP_KEYS.map((k) => (k === 'unit_id' ? `${unit} AS unit_id` : `${t}.${k}`)).join(', ');

/**
 * The whole rollup from the projections (the table empty before): migration 540's backfill, and
 * the bench's after it loads its data in bulk. The migrations hold this text verbatim (a test checks).
 */
export const ROLLUP_BACKFILL_SQL = `INSERT INTO stats_rollup (${ROLLUP_KEYS.join(', ')}, ${ROLLUP_SUMS.join(', ')})
WITH RECURSIVE ${ancestorsSql('SELECT DISTINCT org_unit_id FROM case_projection UNION SELECT DISTINCT org_unit_id FROM outreach_projection UNION SELECT DISTINCT org_unit_id FROM sweep_projection')},
f AS (${leafFactsSql(() => '1 = 1')})
SELECT ${KEYS_OF('f', 'anc.id')}, ${ROLLUP_SUMS.map((c) => `sum(f.${c})`).join(', ')}
FROM f JOIN anc ON anc.leaf = f.unit_id
GROUP BY ${KEYS_OF('f', 'anc.id').replace(' AS unit_id', '')};`;

/**
 * Adds leaf deltas (rows of `deltas`, a relation with the rollup's columns at the subjects'
 * own units) to those units and their ancestors, in key order. Run under the push ordering lock
 * on PostgreSQL, so the tree it reads is the one the last org change committed.
 */
export const rollupAddSql = (deltas: string): string => `INSERT INTO stats_rollup (${ROLLUP_KEYS.join(', ')}, ${ROLLUP_SUMS.join(', ')})
WITH RECURSIVE d AS (${deltas}), ${ancestorsSql('SELECT unit_id FROM d')}
SELECT ${KEYS_OF('d', 'anc.id')}, ${ROLLUP_SUMS.map((c) => `sum(d.${c})`).join(', ')}
FROM d JOIN anc ON anc.leaf = d.unit_id WHERE true
GROUP BY ${KEYS_OF('d', 'anc.id').replace(' AS unit_id', '')}
ORDER BY ${ROLLUP_KEYS.map((_, i) => i + 1).join(', ')}
${ROLLUP_ADD}`;

/**
 * Moves a unit's rollup rows (its subtree's totals) out of (sign -1, before its parent changes)
 * or into (+1, after) its ancestors: an org move carries its figures. $1 the unit, $2 the sign.
 */
export const ROLLUP_CARRY_SQL = `INSERT INTO stats_rollup (${ROLLUP_KEYS.join(', ')}, ${ROLLUP_SUMS.join(', ')})
WITH RECURSIVE ${ancestorsSql('$1')}
SELECT ${KEYS_OF('r', 'anc.id')}, ${ROLLUP_SUMS.map((c) => `$2 * r.${c}`).join(', ')}
FROM stats_rollup r JOIN anc ON anc.depth > 0 WHERE r.unit_id = $1
ORDER BY ${ROLLUP_KEYS.map((_, i) => i + 1).join(', ')}
${ROLLUP_ADD}`;

/**
 * A unit's rollup rows of a period (all facts, months kept), then its children's resolved and
 * sessions counts. $1 year, $2 first month, $3 last month, $4 the unit.
 */
export const ROLLUP_READ_SQL = `SELECT fact, month, k1, k2, k3, k4, k5, k6, ${ROLLUP_SUMS.map((c) => `sum(${c}) AS ${c}`).join(', ')}
  FROM stats_rollup WHERE year = $1 AND unit_id = $4 AND month BETWEEN $2 AND $3
  GROUP BY fact, month, k1, k2, k3, k4, k5, k6 HAVING sum(n) <> 0`;
