-- The org tree's version: bumped by trigger in the same transaction as every change to
-- org_units, so that each API process can tell with one cheap read that its cached tree is stale.
CREATE TABLE org_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO org_version (id, version) VALUES (1, 1);
CREATE FUNCTION org_version_bump() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE org_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER org_units_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_units FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
