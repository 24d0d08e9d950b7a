-- The WAL timeline the server was on when each generation was minted. Promoting a replica or a
-- point-in-time recovery starts a new timeline; a process opening the database that finds the
-- current generation minted on another timeline mints a new one itself (storage/postgres/
-- log-identity.ts), so a failover whose operator forgot `npm run restore -- --new-generation`
-- still makes every phone offer again what the promotion lost. The current generation is taken
-- to belong to the timeline the server is on now; a row minted by an older build (NULL) too.
ALTER TABLE log_generations ADD COLUMN wal_timeline INTEGER;
UPDATE log_generations SET wal_timeline = ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
WHERE n = (SELECT max(n) FROM log_generations);
