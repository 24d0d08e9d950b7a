// Builds the HTTP application; main.ts only listens. Tests call buildApp in-process.
import { Hono } from 'hono';
import type { Config } from './config.ts';
import { handleError } from './http/errors.ts';
import { apiBodyLimit } from './http/body.ts';
import { compressAnswers } from './http/compress.ts';
import { apiRateLimit } from './http/rate-limit.ts';
import { rejectNulInUrl, securityHeaders } from './http/headers.ts';
import { protocolVersion } from './http/protocol.ts';
import { loadStaticFiles, serveStatic } from './http/static.ts';
import { requireTokenBeforeBody } from './access/middleware.ts';
import { adminRoutes } from './routes/admin.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { syncRoutes } from './routes/sync.ts';
import { liveRoutes } from './routes/live.ts';
import { createLiveHub } from './services/live.ts';
import { deviceRoutes } from './routes/devices.ts';
import { statsRoutes } from './routes/stats.ts';
import { attachmentRoutes, uploadSweeper } from './routes/attachments.ts';
import { reportRoutes } from './routes/reports.ts';
import { exportRoutes } from './routes/exports.ts';
import { officeRoutes } from './routes/office.ts';
import { returnRoutes } from './routes/returns.ts';
import { healthRoutes } from './routes/health.ts';
import { majorRoutes } from './routes/major.ts';
import { subsidyRoutes } from './routes/subsidy.ts';
import { appMetrics } from './observe/app-metrics.ts';
import { jsonLogger, requestLog, silentLogger, type Logger } from './observe/log.ts';
import type { Store } from './storage/store.ts';

export interface AppDeps {
  store: Store;
  config: Config;
  clock?: () => Date;
  /** Where request lines go; by default JSON on stdout, or nothing with config.log 'off'. */
  logger?: Logger;
  /** The live channel's timings (tests shorten them): log polling, heartbeat, a stream's lifetime. */
  live?: { pollMs?: number; heartbeatMs?: number; maxStreamMs?: number };
}

export function buildApp({
  store,
  config,
  clock = () => new Date(),
  logger = config.log === 'off' ? silentLogger : jsonLogger(),
  live: liveTimings = {},
}: AppDeps): Hono {
  const app = new Hono();
  const files = loadStaticFiles(config.distDir);
  const metrics = appMetrics(store.poolStats?.bind(store));
  // Uploads no event names are collected hourly: by the next upload, and by this timer on a quiet server.
  const sweep = uploadSweeper(store, config.limits.unreferencedUploadHours, clock);
  const sweeping = setInterval(() => void sweep().catch((err: unknown) => console.error('attachment sweep failed', err)), 60 * 60 * 1000);
  sweeping.unref();
  // Clients listening on /api/sync/events hear of new events: within a second from any process, at once from this one.
  const live = createLiveHub({
    store,
    clock,
    pollMs: liveTimings.pollMs,
    onError: (err: unknown) => console.error('live channel: reading the log head or the tokens failed', err),
  });
  const observeSync = {
    pushed: (...args: Parameters<typeof metrics.pushed>) => {
      metrics.pushed(...args);
      if (args[0].some((r) => r.status === 'applied')) live.wake();
    },
    pulled: (events: number) => metrics.pulled(events),
  };

  app.use('*', requestLog(logger, metrics));
  app.use('*', securityHeaders());
  // Probes and metrics before the API's limits: a balancer polling /readyz is not a client.
  app.route('/', healthRoutes({ store, metrics, metricsToken: config.metricsToken }));
  app.use('/api/*', compressAnswers());
  app.use(
    '/api/*',
    apiRateLimit({ trustProxy: config.trustProxy ?? false, clock, store }),
    rejectNulInUrl(),
    protocolVersion(),
    requireTokenBeforeBody(store, { clock }),
    apiBodyLimit(),
  );
  app.get('/api/health', (c) => c.json({ ok: true, version: config.version, store: store.kind }));
  app.route('/', authRoutes({ store, clock, trustProxy: config.trustProxy ?? false }));
  app.route('/', adminRoutes({ store, clock, timeZone: config.timeZone }));
  app.route('/', auditRoutes({ store, clock, timeZone: config.timeZone }));
  app.route('/api/sync', liveRoutes({ store, clock, live, heartbeatMs: liveTimings.heartbeatMs, maxStreamMs: liveTimings.maxStreamMs }));
  app.route('/api/sync', syncRoutes({ store, config, clock, observe: observeSync }));
  app.route('/api/devices', deviceRoutes({ store, clock }));
  app.route('/api/stats', statsRoutes({ store, config, clock }));
  app.route('/api/attachments', attachmentRoutes({ store, config, clock, sweep }));
  app.route('/api/reports', reportRoutes({ store, config, clock }));
  app.route('/api/office', officeRoutes({ store, config, clock }));
  app.route('/api/exports', exportRoutes({ store, config, clock }));
  app.route('/api/returns', returnRoutes({ store, config, clock }));
  app.route('/api/major', majorRoutes({ store, config, clock }));
  app.route('/api/subsidy', subsidyRoutes({ store, config, clock }));
  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: '接口不存在' } }, 404));
  app.on(['GET', 'HEAD'], '*', (c) => serveStatic(files, c) ?? c.json({ error: { code: 'not_found', message: '页面不存在' } }, 404));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: '接口不存在' } }, 404));
  app.onError(handleError);
  return app;
}
