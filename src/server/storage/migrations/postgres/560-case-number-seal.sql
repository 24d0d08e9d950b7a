-- The key that seals the case numbers this server hands out (services/case-number.ts): a
-- case.numbered carries an HMAC of its fields under it, so that after a restore from backup a
-- phone can give back the number a case already had (on paper too), and the server can tell it
-- made that number. It is part of the database, so a restored backup (or a promoted replica)
-- keeps it. The index finds whether a number is already some other case's.
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO server_secrets (name, value)
VALUES ('case_number_seal', encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')), 'hex'));
CREATE INDEX case_projection_number ON case_projection(case_number) WHERE case_number IS NOT NULL;
