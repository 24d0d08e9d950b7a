-- The log generation each token was last answered a pull in (storage/log-identity-store.ts). A
-- cursor is a position in one generation's log: a token that pulls with a cursor from another
-- generation (its phone synced before a restore or failover) is told to start again from 0,
-- even by an app too old to know generations.
CREATE TABLE pull_generations (
  token_id TEXT PRIMARY KEY,
  generation TEXT NOT NULL
);
