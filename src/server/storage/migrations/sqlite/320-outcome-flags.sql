-- 结果标记 (case.outcomes) as a projection column: the case's flags with the local date each was
-- set (JSON of CaseFacts.outcomes), NULL when the case has none. The monthly return reads the
-- flagged cases of a town whatever year they were accepted in (a court may overturn an
-- agreement years later); the partial index keeps that read off the unflagged majority.
-- Existing rows hold no flags: the event type is new with this column.
ALTER TABLE case_projection ADD COLUMN outcome_flags TEXT;
CREATE INDEX case_projection_outcomes ON case_projection(org_unit_id) WHERE outcome_flags IS NOT NULL;
