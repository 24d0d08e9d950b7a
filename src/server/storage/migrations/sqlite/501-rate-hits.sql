-- Rate-limit counters shared by every API process on this database (login failures, the
-- per-address API limit): hits per key in time buckets; a row is dead after expires_at (ms).
CREATE TABLE rate_hits (
  key TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key, bucket)
) WITHOUT ROWID;
CREATE INDEX rate_hits_expiry ON rate_hits(expires_at);
