// PostgreSQL implementation of the log identity (see log-identity-store.ts). Each generation
// records the server's WAL timeline (migration 505): a promoted replica or a point-in-time
// recovery is on a new one, and mintOnNewTimeline, run by every process as it opens the store,
// then mints the new generation the failover procedure asks for, should the operator not have.
import type pg from 'pg';
import { newGeneration, sealKeyOf, type LogIdentityStore } from '../log-identity-store.ts';

/** The timeline the server writes WAL on: the first 8 hex digits of the current WAL file's name. */
const WAL_TIMELINE = "('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int";

/**
 * Mints a generation when the current one was minted on another WAL timeline than the server's
 * now; returns the timelines it saw then, else undefined. Under a table lock that pulls do not
 * wait for: processes started together after a failover mint once.
 */
export async function mintOnNewTimeline(pool: pg.Pool): Promise<{ from: number; to: number; generation: string } | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE log_generations IN EXCLUSIVE MODE');
    const { rows } = await client.query<{ n: string; wal_timeline: number | null; now: number }>(
      `SELECT n, wal_timeline, ${WAL_TIMELINE} AS now FROM log_generations ORDER BY n DESC LIMIT 1`,
    );
    const row = rows[0];
    if (!row) throw new Error('log_generations is empty: migration 503 did not run');
    let minted: { from: number; to: number; generation: string } | undefined;
    if (row.wal_timeline === null) {
      // Minted by a build before migration 505 (a restore script): it names the log as it is now.
      await client.query('UPDATE log_generations SET wal_timeline = $1 WHERE n = $2', [row.now, row.n]);
    } else if (row.wal_timeline !== row.now) {
      minted = { from: row.wal_timeline, to: row.now, generation: newGeneration() };
      await client.query('INSERT INTO log_generations (generation, reason, wal_timeline) VALUES ($1, $2, $3)', [
        minted.generation,
        `failover: WAL timeline ${minted.from} → ${minted.to}`,
        minted.to,
      ]);
    }
    await client.query('COMMIT');
    return minted;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export function postgresLogIdentity(pool: pg.Pool): LogIdentityStore {
  let key: Promise<Buffer> | undefined;
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
      await pool.query(`INSERT INTO log_generations (generation, reason, wal_timeline) VALUES ($1, $2, ${WAL_TIMELINE})`, [generation, reason]);
      return generation;
    },
    async logGenerations() {
      const { rows } = await pool.query<{ generation: string; minted_at: Date; reason: string }>(
        'SELECT generation, minted_at, reason FROM log_generations ORDER BY n',
      );
      return rows.map((r) => ({ generation: r.generation, mintedAt: r.minted_at.toISOString(), reason: r.reason }));
    },
    caseNumberSealKey() {
      key ??= pool
        .query<{ value: string }>("SELECT value FROM server_secrets WHERE name = 'case_number_seal'")
        .then(({ rows }) => sealKeyOf(rows[0]?.value))
        .catch((err: unknown) => {
          key = undefined;
          throw err;
        });
      return key;
    },
  };
}
