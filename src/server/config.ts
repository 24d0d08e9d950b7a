// Server configuration, read once from the environment (documented in README). A value that
// would only fail later, on the first request (a time zone, a limit), is refused here, at start.
import path from 'node:path';

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
  version: string;
  limits: Limits;
}

/** Whether Intl knows the IANA zone name (an unknown one throws on the first push's date arithmetic). */
export function isTimeZone(name: string): boolean {
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
    version: env.npm_package_version ?? '0.1.0',
    limits: readLimits(env),
  };
}
