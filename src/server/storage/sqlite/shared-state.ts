// SQLite implementation of the shared state (see shared-state-store.ts). Two processes (or two
// stores) on one file see each other's counters and org version through the file itself.
import type Database from 'better-sqlite3';
import { latestMigration } from '../migrations.ts';
import type { RateBucket, SharedStateStore } from '../shared-state-store.ts';

export function sqliteSharedState(db: Database.Database): SharedStateStore {
  const version = db.prepare<[], { version: number }>('SELECT version FROM org_version WHERE id = 1');
  const hits = db.prepare<[string, number], RateBucket>('SELECT bucket, hits FROM rate_hits WHERE key = ? AND bucket >= ? ORDER BY bucket DESC');
  const add = db.prepare(
    'INSERT INTO rate_hits (key, bucket, hits, expires_at) VALUES (?, ?, 1, ?) ON CONFLICT (key, bucket) DO UPDATE SET hits = hits + 1, expires_at = max(expires_at, excluded.expires_at)',
  );
  const clear = db.prepare('DELETE FROM rate_hits WHERE key = ?');
  const prune = db.prepare('DELETE FROM rate_hits WHERE expires_at <= ?');
  const device = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM auth_tokens WHERE user_id = ? AND device_id = ? LIMIT 1');
  const migrated = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations');

  // A counter is not worth an fsync: commit it without one (WAL, synchronous=NORMAL), and the
  // next FULL commit makes it durable with the rest. better-sqlite3 is synchronous, so no other
  // statement of this connection runs between the two pragmas.
  const unsynced = (write: () => void) => {
    db.pragma('synchronous = NORMAL');
    try {
      write();
    } finally {
      db.pragma('synchronous = FULL');
    }
  };

  return {
    async orgVersion() {
      return version.get()?.version ?? 0;
    },
    async rateHits(key, since) {
      return hits.all(key, since);
    },
    async addRateHit(key, bucket, expiresAt) {
      unsynced(() => add.run(key, bucket, expiresAt));
    },
    async clearRateHits(key) {
      unsynced(() => clear.run(key));
    },
    async pruneRateHits(now) {
      unsynced(() => prune.run(now));
    },
    async knownDevice(userId, deviceId) {
      return device.get(userId, deviceId) !== undefined;
    },
    async readiness() {
      try {
        const applied = migrated.get()?.v ?? 0;
        const wanted = latestMigration('sqlite');
        return applied >= wanted ? { ok: true } : { ok: false, reason: `migrations not applied: database at ${applied}, this build needs ${wanted}` };
      } catch (err) {
        return { ok: false, reason: `database query failed: ${(err as Error).message}` };
      }
    },
  };
}
