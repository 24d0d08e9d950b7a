// Server configuration, read once from the environment (documented in README). A value that
// would only fail later, on the first request (a time zone, a limit), is refused here, at start.
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

/**
 * What one client may cost the server: budgets per user and per device and per local day, and the
 * socket timeouts. The defaults are well above a real field day (see each) and below what a runaway
 * or hostile client does in minutes.
 */
export interface Limits {
  /** Rows of one export (cases, outreach); above it the export is refused (422), to be narrowed by period or unit. */
  exportRows: number;
  /**
   * Events one user (and, separately, one device) may push per local day. A busy grid worker records
   * 50–200 events a day; a phone back after a month offline sends a few thousand at once.
   */
  pushEventsPerDay: number;
  /**
   * Attachment bytes one user (and one device) may upload per local day. A long outreach day is some
   * 50 records with up to 9 photos of ~300 KB: ~135 MB; 1 GB leaves room for a week's backlog.
   */
  uploadBytesPerDay: number;
  /** An upload that no event names this long after it arrived is deleted by the sweep. */
  unreferencedUploadHours: number;
  /** Socket: the whole request head must arrive within this (Node server.headersTimeout). */
  headersTimeoutMs: number;
  /** Socket: the whole request, body included, within this (server.requestTimeout); a 2 MB photo at 64 KB/s takes 32 s. */
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  exportRows: 100_000,
  pushEventsPerDay: 20_000,
  uploadBytesPerDay: 1024 * 1024 * 1024,
  unreferencedUploadHours: 48,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
};

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
  limits: Limits;
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
    throw new Error(
      `TAIZHANG_PG_PUSH_CONNECTIONS (${limits.pushConnections}) must be below TAIZHANG_PG_POOL_MAX (${limits.poolMax}): reads need connections of their own`,
    );
  }
  return limits;
}

/** Whether Intl knows the IANA zone name (an unknown one throws on the first push's date arithmetic). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

const LIMIT_ENV: Record<keyof Limits, string> = {
  exportRows: 'TAIZHANG_EXPORT_ROW_LIMIT',
  pushEventsPerDay: 'TAIZHANG_PUSH_EVENTS_PER_DAY',
  uploadBytesPerDay: 'TAIZHANG_UPLOAD_BYTES_PER_DAY',
  unreferencedUploadHours: 'TAIZHANG_UNREFERENCED_UPLOAD_HOURS',
  headersTimeoutMs: 'TAIZHANG_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'TAIZHANG_REQUEST_TIMEOUT_MS',
};

function readLimits(env: NodeJS.ProcessEnv): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_ENV) as (keyof Limits)[]) {
    const raw = env[LIMIT_ENV[key]];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${LIMIT_ENV[key]} must be a positive integer, got ${raw}`);
    limits[key] = n;
  }
  return limits;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const timeZone = env.TAIZHANG_TIME_ZONE ?? 'Asia/Shanghai';
  if (!isTimeZone(timeZone)) throw new Error(`TAIZHANG_TIME_ZONE must be an IANA time zone name such as Asia/Shanghai, got "${timeZone}"`);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    distDir: path.resolve(env.DIST_DIR ?? 'dist'),
    timeZone,
    adminPassword: env.TAIZHANG_ADMIN_PASSWORD || undefined,
    trustProxy: env.TAIZHANG_TRUST_PROXY === '1',
    metricsToken: env.TAIZHANG_METRICS_TOKEN || undefined,
    log: env.TAIZHANG_LOG === 'off' ? 'off' : 'json',
    version: env.npm_package_version ?? '0.1.0',
    postgres: readPostgresLimits(env),
    shutdownGraceMs: positiveInt(env, 'TAIZHANG_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS),
    limits: readLimits(env),
  };
}
