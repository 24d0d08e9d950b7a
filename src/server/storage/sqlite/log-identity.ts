// SQLite implementation of the log identity (see log-identity-store.ts).
import type Database from 'better-sqlite3';
import { newGeneration, sealKeyOf, type LogGeneration, type LogIdentityStore } from '../log-identity-store.ts';

export function sqliteLogIdentity(db: Database.Database): LogIdentityStore {
  // One statement: the generation and the log's end come from the same read.
  const identity = db.prepare<[], { generation: string; lastSeq: number }>(
    'SELECT generation, (SELECT coalesce(max(seq), 0) FROM events) AS lastSeq FROM log_generations ORDER BY n DESC LIMIT 1',
  );
  const pullIdentity = db.prepare<[string], { generation: string; lastSeq: number; served: string | null }>(
    `SELECT generation, (SELECT coalesce(max(seq), 0) FROM events) AS lastSeq, (SELECT generation FROM pull_generations WHERE token_id = ?) AS served
     FROM log_generations ORDER BY n DESC LIMIT 1`,
  );
  const notePull = db.prepare(
    'INSERT INTO pull_generations (token_id, generation) VALUES (?, ?) ON CONFLICT (token_id) DO UPDATE SET generation = excluded.generation',
  );
  const mint = db.prepare('INSERT INTO log_generations (generation, minted_at, reason) VALUES (?, ?, ?)');
  const all = db.prepare<[], LogGeneration>('SELECT generation, minted_at AS mintedAt, reason FROM log_generations ORDER BY n');
  const sealKey = db.prepare<[], { value: string }>("SELECT value FROM server_secrets WHERE name = 'case_number_seal'");
  let key: Buffer | undefined;
  return {
    async logIdentity() {
      const row = identity.get();
      if (!row) throw new Error('log_generations is empty: migration 503 did not run');
      return row;
    },
    async pullIdentity(tokenId) {
      const row = pullIdentity.get(tokenId);
      if (!row) throw new Error('log_generations is empty: migration 503 did not run');
      return { generation: row.generation, lastSeq: row.lastSeq, servedGeneration: row.served ?? undefined };
    },
    async notePullGeneration(tokenId, generation) {
      notePull.run(tokenId, generation);
    },
    async mintGeneration(reason) {
      const generation = newGeneration();
      mint.run(generation, new Date().toISOString(), reason);
      return generation;
    },
    async logGenerations() {
      return all.all();
    },
    async caseNumberSealKey() {
      return (key ??= sealKeyOf(sealKey.get()?.value));
    },
  };
}
