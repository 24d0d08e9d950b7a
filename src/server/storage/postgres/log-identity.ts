// PostgreSQL implementation of the log identity (see log-identity-store.ts).
import type pg from 'pg';
import { newGeneration, type LogIdentityStore } from '../log-identity-store.ts';

export function postgresLogIdentity(pool: pg.Pool): LogIdentityStore {
  return {
    async logIdentity() {
      // One statement, one snapshot: the generation and the log's end are read together.
      const { rows } = await pool.query<{ generation: string; last_seq: string }>(
        'SELECT generation, (SELECT coalesce(max(seq), 0) FROM events) AS last_seq FROM log_generations ORDER BY n DESC LIMIT 1',
      );
      const row = rows[0];
      if (!row) throw new Error('log_generations is empty: migration 503 did not run');
      return { generation: row.generation, lastSeq: Number(row.last_seq) };
    },
    async pullIdentity(tokenId) {
      const { rows } = await pool.query<{ generation: string; last_seq: string; served: string | null }>(
        `SELECT generation, (SELECT coalesce(max(seq), 0) FROM events) AS last_seq, (SELECT generation FROM pull_generations WHERE token_id = $1) AS served
         FROM log_generations ORDER BY n DESC LIMIT 1`,
        [tokenId],
      );
      const row = rows[0];
      if (!row) throw new Error('log_generations is empty: migration 503 did not run');
      return { generation: row.generation, lastSeq: Number(row.last_seq), servedGeneration: row.served ?? undefined };
    },
    async notePullGeneration(tokenId, generation) {
      await pool.query(
        'INSERT INTO pull_generations (token_id, generation) VALUES ($1, $2) ON CONFLICT (token_id) DO UPDATE SET generation = excluded.generation',
        [tokenId, generation],
      );
    },
    async mintGeneration(reason) {
      const generation = newGeneration();
      await pool.query('INSERT INTO log_generations (generation, reason) VALUES ($1, $2)', [generation, reason]);
      return generation;
    },
    async logGenerations() {
      const { rows } = await pool.query<{ generation: string; minted_at: Date; reason: string }>(
        'SELECT generation, minted_at, reason FROM log_generations ORDER BY n',
      );
      return rows.map((r) => ({ generation: r.generation, mintedAt: r.minted_at.toISOString(), reason: r.reason }));
    },
  };
}
