-- Closed periods (结账): a month (1–12) or a whole year (month 0) of a unit's figures, closed
-- by a named user. `seq_at_close` is the event log's high-water mark at closing: events with a
-- greater seq dated inside the period are the period's late arrivals (迟报); `summary` is the
-- figures as closed, so their effect can be shown instead of changing them silently.
CREATE TABLE period_closes (
  id TEXT PRIMARY KEY,
  org_unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  closed_at TEXT NOT NULL,
  closed_by TEXT NOT NULL,
  closed_by_name TEXT NOT NULL,
  seq_at_close INTEGER NOT NULL,
  summary TEXT NOT NULL,
  UNIQUE (org_unit_id, year, month)
);
