-- The closed-cases index holds closed cases only. An open case (most of what a push writes: every
-- new case) has no closed_year, and no read of this index looks for one (each filters on
-- closed_year = a year), yet every upsert of it wrote a twelve-column entry: a sixth of a
-- projection write on PostgreSQL. Every query that used the index names a closed_year, which
-- both planners take as implying the index's condition.
DROP INDEX case_projection_closed;
CREATE INDEX case_projection_closed ON case_projection(closed_year, voided, org_unit_id, closed_month, result, dispute_type, source_key, channel,
  with_agreement, performed_full, people_involved, amount_cents) WHERE closed_year IS NOT NULL;
