-- Two codes per dispute type: a local type (a national category or a sub-type, as field data
-- holds it) → the code and label reported upward, edited by the admin. A local type without a
-- row reports as its national category, so an empty table is the identity.
CREATE TABLE upward_type_map (
  local_code TEXT PRIMARY KEY,
  upward_code TEXT NOT NULL,
  upward_label TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
-- 专职 / 兼职 of a people's mediator, for the returns' registry counts; an account without a row
-- is 兼职 (most village mediators are).
CREATE TABLE mediator_employment (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  employment TEXT NOT NULL CHECK (employment IN ('full_time', 'part_time')),
  updated_at TEXT NOT NULL
);
