-- Sweeps are the most numerous records (a grid reports every week), and a year summary
-- scanned all of them: keep their totals per (unit, year, month), updated with each
-- projection write (services/projection.ts sweepTotalsDelta), and sum those instead.
CREATE TABLE sweep_totals (
  year INTEGER NOT NULL,
  org_unit_id TEXT NOT NULL,
  month INTEGER NOT NULL,
  count INTEGER NOT NULL,
  zero_reports INTEGER NOT NULL,
  households INTEGER NOT NULL,
  disputes_found INTEGER NOT NULL,
  PRIMARY KEY (year, org_unit_id, month)
);
INSERT INTO sweep_totals (year, org_unit_id, month, count, zero_reports, households, disputes_found)
  SELECT year, org_unit_id, month, count(*), sum(zero_report), sum(households), sum(disputes_found)
  FROM sweep_projection WHERE voided = 0 AND year IS NOT NULL AND month IS NOT NULL
  GROUP BY year, org_unit_id, month;
