// Builds the HTTP application; main.ts only listens. Tests call buildApp in-process.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Config } from './config.ts';
import { loadStaticFiles, serveStatic } from './http/static.ts';
import type { Store } from './storage/store.ts';

export interface AppDeps {
  store: Store;
  config: Config;
  clock?: () => Date;
}

export function buildApp({ store, config }: AppDeps): Hono {
  const app = new Hono();
  const files = loadStaticFiles(config.distDir);

  app.get('/api/health', (c) => c.json({ ok: true, version: config.version, store: store.kind }));
  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: '接口不存在' } }, 404));
  app.on(['GET', 'HEAD'], '*', (c) => serveStatic(files, c) ?? c.json({ error: { code: 'not_found', message: '页面不存在' } }, 404));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: '接口不存在' } }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: { code: 'bad_request', message: err.message } }, err.status);
    console.error(err);
    return c.json({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } }, 500);
  });
  return app;
}
