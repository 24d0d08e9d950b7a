// What API processes sharing one database must agree on beyond the records: rate-limit
// counters (hits per key in time buckets, migration 501), the org tree's version (bumped by
// trigger with every org_units change, migration 502), readiness and, on PostgreSQL, pool use.
// Nothing here lives in one process's memory, so N processes behind a balancer act as one.

/** Hits of one key in one time bucket (bucket: its start, ms since the epoch). */
export interface RateBucket {
  bucket: number;
  hits: number;
}

type Readiness = { ok: true } | { ok: false; reason: string };

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface SharedStateStore {
  /** The org tree's version: any change to org_units, through any process, makes it differ. */
  orgVersion(): Promise<number>;
  /** The key's buckets with bucket >= since, newest first. */
  rateHits(key: string, since: number): Promise<RateBucket[]>;
  /** One more hit in the key's bucket; the row may be dropped after expiresAt. */
  addRateHit(key: string, bucket: number, expiresAt: number): Promise<void>;
  clearRateHits(key: string): Promise<void>;
  /** Drops the rows dead at `now`, so that a flood of distinct keys cannot grow the table forever. */
  pruneRateHits(now: number): Promise<void>;
  /** Whether the user ever had a token issued to this device (a device the owner logged in from). */
  knownDevice(userId: string, deviceId: string): Promise<boolean>;
  /** A trivial query and every migration applied, or why not. */
  readiness(): Promise<Readiness>;
  /** PostgreSQL only: the connection pool's use right now. */
  poolStats?(): PoolStats;
}
