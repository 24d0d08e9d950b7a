-- The log's identity: every generation the event log has had, the newest being current. A
-- generation is minted when the database is made and again whenever the log may have lost its
-- tail (a restore from backup, a promoted replica): a phone's pull cursor is a position in one
-- generation's log, and pull answers name the generation so that a phone that synced with
-- another one starts over and offers again what it holds (storage/log-identity-store.ts).
CREATE TABLE log_generations (
  n INTEGER PRIMARY KEY,
  generation TEXT NOT NULL UNIQUE,
  minted_at TEXT NOT NULL,
  reason TEXT NOT NULL
);
INSERT INTO log_generations (generation, minted_at, reason) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'created');
