-- The org tree: 县 → 镇 → 村/社区 → 网格, with 调委会 and 派驻调解室 under a town or village.
CREATE TABLE org_units (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES org_units(id),
  kind TEXT NOT NULL CHECK (kind IN ('county','town','village','community','grid','committee','station')),
  name TEXT NOT NULL,
  code TEXT,
  short_name TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id);
