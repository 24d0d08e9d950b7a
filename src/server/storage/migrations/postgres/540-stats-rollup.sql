-- The year summary of a county summed every projection row of the year (a city's decade:
-- over 100,000 cases a year, seconds per summary). The rollup keeps each summary row summed per
-- unit and per ancestor of it (storage/event-sql.ts leafFactsSql), so a unit's figures are a few
-- hundred rows of its own. Kept in the push transaction (services/push.ts), carried by org moves
-- (storage accounts applyOrgChanges, updateOrgUnit); the statement below is ROLLUP_BACKFILL_SQL.
CREATE TABLE stats_rollup (
  year INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  fact TEXT NOT NULL,
  month INTEGER NOT NULL,
  k1 TEXT NOT NULL,
  k2 TEXT NOT NULL,
  k3 TEXT NOT NULL,
  k4 TEXT NOT NULL,
  k5 INTEGER NOT NULL,
  k6 INTEGER NOT NULL,
  n BIGINT NOT NULL,
  v1 BIGINT NOT NULL,
  v2 BIGINT NOT NULL,
  v3 BIGINT NOT NULL,
  PRIMARY KEY (year, unit_id, fact, month, k1, k2, k3, k4, k5, k6)
);
INSERT INTO stats_rollup (year, unit_id, fact, month, k1, k2, k3, k4, k5, k6, n, v1, v2, v3)
WITH RECURSIVE 
anc(leaf, id, depth) AS (
  SELECT id, id, 0 FROM org_units WHERE id IN (SELECT DISTINCT org_unit_id FROM case_projection UNION SELECT DISTINCT org_unit_id FROM outreach_projection UNION SELECT DISTINCT org_unit_id FROM sweep_projection)
  UNION ALL
  SELECT a.leaf, o.parent_id, a.depth + 1 FROM anc a JOIN org_units o ON o.id = a.id WHERE o.parent_id IS NOT NULL AND a.depth < 20
),
f AS (
SELECT opened_year AS year, org_unit_id AS unit_id, 'accepted' AS fact, opened_month AS month, '' AS k1, '' AS k2, '' AS k3, '' AS k4, 0 AS k5, 0 AS k6,
  1 AS n, 0 AS v1, 0 AS v2, 0 AS v3, subject_id
  FROM case_projection WHERE voided = 0 AND opened_year IS NOT NULL AND opened_month IS NOT NULL AND 1 = 1
UNION ALL SELECT closed_year, org_unit_id, 'closed', closed_month, coalesce(result, ''), dispute_type, source_key, channel, with_agreement, performed_full,
  1, people_involved, amount_cents, 0, subject_id
  FROM case_projection WHERE voided = 0 AND closed_year IS NOT NULL AND closed_month IS NOT NULL AND 1 = 1
UNION ALL SELECT closed_year, org_unit_id, 'resolved', closed_month, '', '', '', '', 0, 0, 1, 0, 0, 0, subject_id
  FROM case_projection WHERE voided = 0 AND closed_year IS NOT NULL AND closed_month IS NOT NULL AND result = 'success' AND 1 = 1
UNION ALL SELECT year, org_unit_id, 'outreach', month, coalesce(form, ''), coalesce(campaign, ''), '', '', 0, 0, 1, audience, 0, 0, subject_id
  FROM outreach_projection WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND 1 = 1
UNION ALL SELECT year, org_unit_id, 'sessions', month, '', '', '', '', 0, 0, 1, 0, 0, 0, subject_id
  FROM outreach_projection WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND 1 = 1
UNION ALL SELECT year, org_unit_id, 'theme', month, theme, '', '', '', 0, 0, 1, 0, 0, 0, subject_id
  FROM outreach_themes WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND 1 = 1
UNION ALL SELECT year, org_unit_id, 'sweep', month, '', '', '', '', 0, 0, 1, zero_report, households, disputes_found, subject_id
  FROM sweep_projection WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL AND 1 = 1)
SELECT f.year, anc.id AS unit_id, f.fact, f.month, f.k1, f.k2, f.k3, f.k4, f.k5, f.k6, sum(f.n), sum(f.v1), sum(f.v2), sum(f.v3)
FROM f JOIN anc ON anc.leaf = f.unit_id
GROUP BY f.year, anc.id, f.fact, f.month, f.k1, f.k2, f.k3, f.k4, f.k5, f.k6;
