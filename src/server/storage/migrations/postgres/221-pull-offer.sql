-- Per token: a backfill page answered but not yet confirmed by the phone (JSON: the offer's id and
-- the state to take on when the phone's next pull names it, services/pull-backfill.ts). A page
-- lost on the way is sent again instead of being skipped.
ALTER TABLE pull_scopes ADD COLUMN offer TEXT;
