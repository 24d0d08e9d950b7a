-- Covering indexes for every statistics query (a table lookup per row made outreach and
-- sweeps 3× slower than cases over a year of a county), and themes carrying the columns they
-- are grouped and filtered by, so that byTheme never joins back to outreach_projection.
DROP INDEX outreach_projection_year;
CREATE INDEX outreach_projection_year ON outreach_projection(year, voided, org_unit_id, month, form, campaign, audience);
DROP INDEX sweep_projection_year;
CREATE INDEX sweep_projection_year ON sweep_projection(year, voided, org_unit_id, month, households, disputes_found, zero_report);
ALTER TABLE outreach_themes ADD COLUMN org_unit_id TEXT;
ALTER TABLE outreach_themes ADD COLUMN year INTEGER;
ALTER TABLE outreach_themes ADD COLUMN month INTEGER;
ALTER TABLE outreach_themes ADD COLUMN voided INTEGER NOT NULL DEFAULT 0;
UPDATE outreach_themes t SET org_unit_id = p.org_unit_id, year = p.year, month = p.month, voided = p.voided
  FROM outreach_projection p WHERE p.subject_id = t.subject_id;
CREATE INDEX outreach_themes_year ON outreach_themes(year, voided, org_unit_id, month, theme);
