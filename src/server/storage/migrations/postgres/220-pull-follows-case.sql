-- Pull follows a case to the unit a 更正 moved it to (services/pull-backfill.ts). Each event is
-- pulled under its scope unit: the case's unit when the event was pushed, else the envelope's
-- unit; an event pushed with the move also goes to the unit the case left (moved_from_unit_id),
-- so that unit's phones learn where it went and then get nothing more of it.
ALTER TABLE events ADD COLUMN scope_unit_id TEXT;
ALTER TABLE events ADD COLUMN moved_from_unit_id TEXT;
-- Events already held: a moved case's whole history is pulled where it is now; its moves also
-- where it was registered.
UPDATE events SET scope_unit_id = COALESCE((SELECT p.org_unit_id FROM case_projection p WHERE p.subject_id = events.subject_id), org_unit_id);
UPDATE events SET moved_from_unit_id = org_unit_id
  WHERE type = 'case.updated' AND scope_unit_id <> org_unit_id AND (body::jsonb -> 'data' -> 'changes' ->> 'orgUnitId') IS NOT NULL;
CREATE INDEX events_scope_unit_seq ON events(scope_unit_id, seq);
CREATE INDEX events_moved_from_seq ON events(moved_from_unit_id, seq) WHERE moved_from_unit_id IS NOT NULL;
CREATE INDEX events_moves_into ON events(scope_unit_id, seq) WHERE moved_from_unit_id IS NOT NULL;
-- Per token: the last move looked at and the moved cases whose earlier events are on their way (JSON).
ALTER TABLE pull_scopes ADD COLUMN moves TEXT;
