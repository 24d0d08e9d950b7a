-- The year summary sums sweep_totals by unit for a year: over a city's decade (tens of
-- thousands of rows a year) the primary key alone made it fetch every row from the table.
-- A covering index in the same order answers it from the index (npm run bench, summary row).
CREATE INDEX sweep_totals_year ON sweep_totals(year, org_unit_id, month, count, zero_reports, households, disputes_found);
