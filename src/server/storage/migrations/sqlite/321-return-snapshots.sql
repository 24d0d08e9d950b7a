-- The monthly return (月报) as it stood when its month was closed (结账): one per period close,
-- so the return of a closed month is the frozen one and later arrivals are listed as 迟报
-- instead of changing it. `body` is the JSON of the return the office saw.
CREATE TABLE return_snapshots (
  close_id TEXT PRIMARY KEY REFERENCES period_closes(id),
  org_unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (org_unit_id, year, month)
);
