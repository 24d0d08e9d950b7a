-- The log's identity: every generation the event log has had, the newest being current. A
-- generation is minted when the database is made and again whenever the log may have lost its
-- tail (a restore from backup, a promoted replica): a phone's pull cursor is a position in one
-- generation's log, and pull answers name the generation so that a phone that synced with
-- another one starts over and offers again what it holds (storage/log-identity-store.ts).
-- After a failover, on the promoted server:
--   INSERT INTO log_generations (generation, reason) VALUES (replace(gen_random_uuid()::text, '-', ''), 'failover');
CREATE TABLE log_generations (
  n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  generation TEXT NOT NULL UNIQUE,
  minted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  reason TEXT NOT NULL
);
INSERT INTO log_generations (generation, reason) VALUES (replace(gen_random_uuid()::text, '-', ''), 'created');
