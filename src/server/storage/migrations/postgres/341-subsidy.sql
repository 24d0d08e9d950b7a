-- 以案定补: a unit's rules (JSON of #shared/subsidy/rules SubsidyRules, set by an admin), and the
-- approved months. An approval keeps the month's ledger as approved (JSON) and the cases it
-- paid; it is never updated, so an approved month never changes.
CREATE TABLE subsidy_rules (
  org_unit_id TEXT PRIMARY KEY,
  rules TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_by_name TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE subsidy_approvals (
  org_unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  approved_by TEXT NOT NULL,
  approved_by_name TEXT NOT NULL,
  approved_at TEXT NOT NULL,
  ledger TEXT NOT NULL,
  paid TEXT NOT NULL,
  PRIMARY KEY (org_unit_id, year, month)
);
