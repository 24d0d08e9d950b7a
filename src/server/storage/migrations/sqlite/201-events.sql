-- The event log and what hangs off it. `seq` is the rowid: SQLite commits one writer at a
-- time, so rowid order is commit order and a pull cursor over it never skips a row.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  org_unit_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  author_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_subject ON events(subject_id);
CREATE INDEX events_unit_seq ON events(org_unit_id, seq);

-- Rejected pushes, kept and shown to their author; the fingerprint makes a retried batch
-- land once.
CREATE TABLE quarantine (
  qid INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  event_id TEXT,
  subject_id TEXT,
  org_unit_id TEXT,
  type TEXT,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  author_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  raw TEXT NOT NULL,
  raw_truncated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quarantine_author ON quarantine(author_id, qid);
CREATE INDEX quarantine_unit ON quarantine(org_unit_id, qid);

CREATE TABLE case_projection (
  subject_id TEXT PRIMARY KEY,
  org_unit_id TEXT NOT NULL,
  has_opened INTEGER NOT NULL,
  opened_date TEXT,
  opened_year INTEGER,
  opened_month INTEGER,
  closed_date TEXT,
  closed_year INTEGER,
  closed_month INTEGER,
  result TEXT,
  agreement_form TEXT,
  dispute_type TEXT,
  source TEXT,
  referrer TEXT,
  committee_id TEXT,
  people_involved INTEGER NOT NULL DEFAULT 0,
  amount_involved REAL NOT NULL DEFAULT 0,
  performed TEXT,
  voided INTEGER NOT NULL,
  case_number TEXT,
  state TEXT NOT NULL
);
CREATE INDEX case_projection_opened ON case_projection(opened_year, voided, org_unit_id, opened_month);
CREATE INDEX case_projection_closed ON case_projection(closed_year, voided, org_unit_id, closed_month, result, dispute_type, source, referrer, agreement_form, performed, people_involved, amount_involved);

CREATE TABLE outreach_projection (
  subject_id TEXT PRIMARY KEY,
  org_unit_id TEXT NOT NULL,
  has_record INTEGER NOT NULL,
  occurred_date TEXT,
  year INTEGER,
  month INTEGER,
  form TEXT,
  campaign TEXT,
  audience INTEGER NOT NULL DEFAULT 0,
  voided INTEGER NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX outreach_projection_year ON outreach_projection(year, voided, org_unit_id, month, form, campaign, audience);

-- One row per (outreach, theme): themes are multi-valued and stats group by them.
CREATE TABLE outreach_themes (
  subject_id TEXT NOT NULL,
  theme TEXT NOT NULL,
  PRIMARY KEY (subject_id, theme)
);

CREATE TABLE sweep_projection (
  subject_id TEXT PRIMARY KEY,
  org_unit_id TEXT NOT NULL,
  occurred_date TEXT,
  year INTEGER,
  month INTEGER,
  households INTEGER NOT NULL DEFAULT 0,
  disputes_found INTEGER NOT NULL DEFAULT 0,
  zero_report INTEGER NOT NULL DEFAULT 0,
  voided INTEGER NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX sweep_projection_year ON sweep_projection(year, voided, org_unit_id, month);

CREATE TABLE case_number_counters (
  committee_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_sequence INTEGER NOT NULL,
  PRIMARY KEY (committee_id, year)
);

CREATE TABLE attachment_refs (
  sha256 TEXT NOT NULL,
  event_id TEXT NOT NULL,
  org_unit_id TEXT NOT NULL,
  PRIMARY KEY (sha256, event_id)
);

CREATE TABLE device_sync (
  device_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  org_unit_id TEXT,
  last_push_at TEXT,
  last_pull_at TEXT,
  pending INTEGER,
  clock_skew_ms INTEGER,
  last_recorded_at TEXT,
  PRIMARY KEY (device_id, user_id)
);

-- Per token: the readable units last served by pull, and a backfill in progress when the
-- set grew (see routes/sync.ts).
CREATE TABLE pull_scopes (
  token_id TEXT PRIMARY KEY,
  served TEXT NOT NULL,
  backfill_units TEXT,
  backfill_after INTEGER,
  backfill_up_to INTEGER,
  updated_at TEXT NOT NULL
);
