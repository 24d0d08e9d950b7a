-- Accounts: users with role grants on org units, bearer tokens (one per logged-in device,
-- only the SHA-256 stored) and the audit log of who did or looked at what.
CREATE UNIQUE INDEX org_units_code ON org_units(code) WHERE code IS NOT NULL;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

-- An admin grant covers the whole tree: org_unit_id is NULL.
CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin','office','mediator','grid_worker')),
  org_unit_id TEXT REFERENCES org_units(id),
  CHECK ((role = 'admin') = (org_unit_id IS NULL))
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles(user_id, role, COALESCE(org_unit_id, ''));
CREATE INDEX user_roles_unit ON user_roles(org_unit_id);

CREATE TABLE auth_tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  device_id TEXT,
  device_name TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  last_used_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TIMESTAMPTZ NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  action TEXT NOT NULL,
  subject_id TEXT,
  org_unit_id TEXT,
  reason TEXT,
  detail JSONB
);
CREATE INDEX audit_log_at ON audit_log(at);
