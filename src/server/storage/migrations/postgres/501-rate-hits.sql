-- Rate-limit counters shared by every API process on this database (login failures, the
-- per-address API limit): hits per key in time buckets; a row is dead after expires_at (ms).
-- UNLOGGED: a counter lost in a crash costs nothing, and it spares the WAL a write per request.
CREATE UNLOGGED TABLE rate_hits (
  key TEXT NOT NULL,
  bucket BIGINT NOT NULL,
  hits INTEGER NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (key, bucket)
);
CREATE INDEX rate_hits_expiry ON rate_hits(expires_at);
