// Listens. Everything else is built by buildApp.
import { serve } from '@hono/node-server';
import { buildApp } from './app.ts';
import { ensureFirstAdmin } from './bootstrap.ts';
import { readConfig } from './config.ts';
import { serverOptionsOf } from './http/server-options.ts';
import { openStore } from './storage/open.ts';

const config = readConfig();
const store = await openStore(config);
await ensureFirstAdmin(store, { adminPassword: config.adminPassword });
const app = buildApp({ store, config });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: serverOptionsOf(config.limits) }, (info) => {
  console.log(`法治台账 listening on http://localhost:${info.port} (store: ${store.kind})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void store.close().then(() => process.exit(0));
  });
}
