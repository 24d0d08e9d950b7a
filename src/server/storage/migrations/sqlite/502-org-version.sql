-- The org tree's version: bumped by trigger in the same transaction as every change to
-- org_units, so that each API process can tell with one cheap read that its cached tree is stale.
CREATE TABLE org_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO org_version (id, version) VALUES (1, 1);
CREATE TRIGGER org_units_version_insert AFTER INSERT ON org_units BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER org_units_version_update AFTER UPDATE ON org_units BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER org_units_version_delete AFTER DELETE ON org_units BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
