// Server configuration, read once from the environment (documented in README).
import path from 'node:path';

/** How the PostgreSQL store bounds its connections, so that one stalled push cannot stall the rest. */
export interface PostgresLimits {
  /** Connections per process (TAIZHANG_PG_POOL_MAX, default 10). */
  poolMax: number;
  /** Of those, how many pushes may hold at once; reads always keep the rest (TAIZHANG_PG_PUSH_CONNECTIONS, default 4). */
  pushConnections: number;
  /** A statement running longer is cancelled (TAIZHANG_PG_STATEMENT_TIMEOUT_MS, default 30000). */
  statementTimeoutMs: number;
  /** Waiting longer for a lock (the push lock included) fails the push with a retryable 503 (TAIZHANG_PG_LOCK_TIMEOUT_MS, default 5000). */
  lockTimeoutMs: number;
  /** A transaction left idle longer (a frozen process) is ended and its locks freed (TAIZHANG_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, default 10000). */
  idleInTransactionTimeoutMs: number;
  /** Waiting longer for a connection, new or from the pool, answers 503 (TAIZHANG_PG_CONNECT_TIMEOUT_MS, default 5000). */
  connectTimeoutMs: number;
}

export const DEFAULT_POSTGRES_LIMITS: PostgresLimits = {
  poolMax: 10,
  pushConnections: 4,
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 10_000,
  connectTimeoutMs: 5_000,
};

/** On SIGTERM/SIGINT requests in flight get this long to finish before the store closes (TAIZHANG_SHUTDOWN_GRACE_MS). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface Config {
  port: number;
  /** The address main.ts listens on (HOST; 0.0.0.0: every interface). */
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The built app (vite build's output) served to browsers, with the API on the same origin (DIST_DIR). */
  distDir: string;
  timeZone: string;
  adminPassword: string | undefined;
  /** Behind one reverse proxy: take the client address for rate limits from X-Forwarded-For. */
  trustProxy?: boolean;
  /** GET /metrics needs `Authorization: Bearer <this>`; unset: only from loopback (TAIZHANG_METRICS_TOKEN). */
  metricsToken?: string | undefined;
  /** 'json': a JSON line per request on stdout (the default); 'off': nothing (tests) (TAIZHANG_LOG). */
  log?: 'json' | 'off';
  version: string;
  postgres?: PostgresLimits;
  shutdownGraceMs?: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got ${raw}`);
  return n;
}

function readPostgresLimits(env: NodeJS.ProcessEnv): PostgresLimits {
  const d = DEFAULT_POSTGRES_LIMITS;
  const limits: PostgresLimits = {
    poolMax: positiveInt(env, 'TAIZHANG_PG_POOL_MAX', d.poolMax),
    pushConnections: positiveInt(env, 'TAIZHANG_PG_PUSH_CONNECTIONS', d.pushConnections),
    statementTimeoutMs: positiveInt(env, 'TAIZHANG_PG_STATEMENT_TIMEOUT_MS', d.statementTimeoutMs),
    lockTimeoutMs: positiveInt(env, 'TAIZHANG_PG_LOCK_TIMEOUT_MS', d.lockTimeoutMs),
    idleInTransactionTimeoutMs: positiveInt(env, 'TAIZHANG_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS', d.idleInTransactionTimeoutMs),
    connectTimeoutMs: positiveInt(env, 'TAIZHANG_PG_CONNECT_TIMEOUT_MS', d.connectTimeoutMs),
  };
  if (limits.pushConnections >= limits.poolMax) {
    throw new Error(`TAIZHANG_PG_PUSH_CONNECTIONS (${limits.pushConnections}) must be below TAIZHANG_PG_POOL_MAX (${limits.poolMax}): reads need connections of their own`);
  }
  return limits;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    distDir: path.resolve(env.DIST_DIR ?? 'dist'),
    timeZone: env.TAIZHANG_TIME_ZONE ?? 'Asia/Shanghai',
    adminPassword: env.TAIZHANG_ADMIN_PASSWORD || undefined,
    trustProxy: env.TAIZHANG_TRUST_PROXY === '1',
    metricsToken: env.TAIZHANG_METRICS_TOKEN || undefined,
    log: env.TAIZHANG_LOG === 'off' ? 'off' : 'json',
    version: env.npm_package_version ?? '0.1.0',
    postgres: readPostgresLimits(env),
    shutdownGraceMs: positiveInt(env, 'TAIZHANG_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS),
  };
}
