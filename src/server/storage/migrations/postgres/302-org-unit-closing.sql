-- Units closed or merged from a date (合村并居): never deleted, so the records under them keep
-- their unit. closed_on is the local date (YYYY-MM-DD) from which the unit takes no new records;
-- successor_id the unit it was merged into, if any.
ALTER TABLE org_units ADD COLUMN closed_on TEXT;
ALTER TABLE org_units ADD COLUMN successor_id TEXT REFERENCES org_units(id);
-- Moves made by a merge, dated: a period that ends before moved_on reads the unit under
-- from_parent_id (the tree as it stood), a later one under its new parent.
CREATE TABLE org_unit_moves (
  unit_id TEXT NOT NULL REFERENCES org_units(id),
  from_parent_id TEXT REFERENCES org_units(id),
  to_parent_id TEXT REFERENCES org_units(id),
  moved_on TEXT NOT NULL,
  PRIMARY KEY (unit_id, moved_on)
);
-- A move always comes with the unit's new parent_id in the same transaction: the org version
-- (502) follows it through org_units.
