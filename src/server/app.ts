// Builds the HTTP application; main.ts only listens. Tests call buildApp in-process.
import { Hono } from 'hono';
import type { Config } from './config.ts';
import { handleError } from './http/errors.ts';
import { apiBodyLimit } from './http/body.ts';
import { apiRateLimit } from './http/rate-limit.ts';
import { rejectNulInUrl, securityHeaders } from './http/headers.ts';
import { protocolVersion } from './http/protocol.ts';
import { loadStaticFiles, serveStatic } from './http/static.ts';
import { adminRoutes } from './routes/admin.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { syncRoutes } from './routes/sync.ts';
import { deviceRoutes } from './routes/devices.ts';
import { statsRoutes } from './routes/stats.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { reportRoutes } from './routes/reports.ts';
import { exportRoutes } from './routes/exports.ts';
import { officeRoutes } from './routes/office.ts';
import type { Store } from './storage/store.ts';

export interface AppDeps {
  store: Store;
  config: Config;
  clock?: () => Date;
}

export function buildApp({ store, config, clock = () => new Date() }: AppDeps): Hono {
  const app = new Hono();
  const files = loadStaticFiles(config.distDir);

  app.use('*', securityHeaders());
  app.use('/api/*', apiRateLimit({ trustProxy: config.trustProxy ?? false, clock }), rejectNulInUrl(), protocolVersion(), apiBodyLimit());
  app.get('/api/health', (c) => c.json({ ok: true, version: config.version, store: store.kind }));
  app.route('/', authRoutes({ store, clock, trustProxy: config.trustProxy ?? false }));
  app.route('/', adminRoutes({ store, clock }));
  app.route('/', auditRoutes({ store, clock, timeZone: config.timeZone }));
  app.route('/api/sync', syncRoutes({ store, config, clock }));
  app.route('/api/devices', deviceRoutes({ store, clock }));
  app.route('/api/stats', statsRoutes({ store, config, clock }));
  app.route('/api/attachments', attachmentRoutes({ store, config, clock }));
  app.route('/api/reports', reportRoutes({ store, config, clock }));
  app.route('/api/office', officeRoutes({ store, config, clock }));
  app.route('/api/exports', exportRoutes({ store, config, clock }));
  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: '接口不存在' } }, 404));
  app.on(['GET', 'HEAD'], '*', (c) => serveStatic(files, c) ?? c.json({ error: { code: 'not_found', message: '页面不存在' } }, 404));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: '接口不存在' } }, 404));
  app.onError(handleError);
  return app;
}
