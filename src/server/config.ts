// Server configuration, read once from the environment (documented in README).
import path from 'node:path';

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
  };
}
