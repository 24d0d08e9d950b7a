// PostgreSQL implementation of the shared state (see shared-state-store.ts), and the pool
// accessor for metrics (read only: the pool's options and error handling live in index.ts).
import type pg from 'pg';
import { latestMigration } from '../migrations.ts';
import type { SharedStateStore } from '../shared-state-store.ts';

export function postgresSharedState(pool: pg.Pool): SharedStateStore {
  return {
    async orgVersion() {
      const { rows } = await pool.query<{ version: string }>('SELECT version FROM org_version WHERE id = 1');
      return Number(rows[0]?.version ?? 0);
    },
    async rateHits(key, since) {
      const { rows } = await pool.query<{ bucket: string; hits: number }>(
        'SELECT bucket, hits FROM rate_hits WHERE key = $1 AND bucket >= $2 ORDER BY bucket DESC',
        [key, since],
      );
      return rows.map((r) => ({ bucket: Number(r.bucket), hits: r.hits }));
    },
    async addRateHit(key, bucket, expiresAt) {
      await pool.query(
        'INSERT INTO rate_hits (key, bucket, hits, expires_at) VALUES ($1, $2, 1, $3) ON CONFLICT (key, bucket) DO UPDATE SET hits = rate_hits.hits + 1, expires_at = greatest(rate_hits.expires_at, excluded.expires_at)',
        [key, bucket, expiresAt],
      );
    },
    async clearRateHits(key) {
      await pool.query('DELETE FROM rate_hits WHERE key = $1', [key]);
    },
    async pruneRateHits(now) {
      await pool.query('DELETE FROM rate_hits WHERE expires_at <= $1', [now]);
    },
    async knownDevice(userId, deviceId) {
      const { rowCount } = await pool.query('SELECT 1 FROM auth_tokens WHERE user_id = $1 AND device_id = $2 LIMIT 1', [userId, deviceId]);
      return (rowCount ?? 0) > 0;
    },
    async readiness() {
      try {
        const { rows } = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
        const applied = rows[0]?.v ?? 0;
        const wanted = latestMigration('postgres');
        return applied >= wanted ? { ok: true } : { ok: false, reason: `migrations not applied: database at ${applied}, this build needs ${wanted}` };
      } catch (err) {
        return { ok: false, reason: `database query failed: ${(err as Error).message}` };
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 }),
  };
}
