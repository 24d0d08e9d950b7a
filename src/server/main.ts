// Listens. Everything else is built by buildApp.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { buildApp } from './app.ts';
import { drainOnStop } from './http/drain.ts';
import { ensureFirstAdmin } from './bootstrap.ts';
import { DEFAULT_SHUTDOWN_GRACE_MS, readConfig } from './config.ts';
import { serverOptionsOf } from './http/server-options.ts';
import { openStore } from './storage/open.ts';

const config = readConfig();
const store = await openStore(config);
await ensureFirstAdmin(store, { adminPassword: config.adminPassword });
const app = buildApp({ store, config });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: serverOptionsOf(config.limits) }, (info) => {
  console.log(`法治台账 listening on http://localhost:${info.port} (store: ${store.kind})`);
}) as Server;

// Requests in flight finish before the store closes: closing it first failed them with 500s.
const drain = drainOnStop(server);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the requests in flight, then stopping`);
    // Both outcomes end the process; nothing awaits a signal handler.
    void drain(config.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS)
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`stopping: ${err instanceof Error ? err.message : 'unknown error'}`);
          process.exit(1);
        },
      );
  });
}
