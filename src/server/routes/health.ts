// Probes and metrics for the load balancer and the monitoring, outside /api (no login, no
// API rate limit, not cached: the service worker leaves them alone, src/sw/sw.ts).
//   GET /healthz  the process answers (no database): for restarts on a hang
//   GET /readyz   the database answers a trivial query and has every migration: 503 {ok:false, reason} when not,
//                 so the balancer sends no traffic to a process whose database is away
//   GET /metrics  Prometheus text; with TAIZHANG_METRICS_TOKEN set only with `Authorization: Bearer <it>`,
//                 else only from a loopback address (a scraper on the same host)
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { failure, sendFailure } from '../http/errors.ts';
import { CONTENT_TYPE } from '../observe/metrics.ts';
import type { SharedStateStore } from '../storage/shared-state-store.ts';

const READY_TIMEOUT_MS = 2000;

export interface HealthRouteDeps {
  store: Pick<SharedStateStore, 'readiness'>;
  metrics: { render(): string };
  metricsToken: string | undefined;
}

function fromLoopback(c: Context): boolean {
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    // In-process requests (tests) have no socket: not loopback.
    return false;
  }
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function healthRoutes({ store, metrics, metricsToken }: HealthRouteDeps): Hono {
  const app = new Hono();
  const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

  app.get('/healthz', (c) => {
    noStore(c);
    return c.json({ ok: true });
  });

  app.get('/readyz', async (c) => {
    noStore(c);
    // A database that does not answer (no connect timeout on the pool) must not hang the probe.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ ok: false; reason: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `database did not answer within ${READY_TIMEOUT_MS} ms` }), READY_TIMEOUT_MS);
    });
    const ready = await Promise.race([store.readiness(), timeout]);
    clearTimeout(timer);
    return ready.ok ? c.json({ ok: true }) : c.json({ ok: false, reason: ready.reason }, 503);
  });

  app.get('/metrics', (c) => {
    noStore(c);
    const allowed = metricsToken ? sameSecret(/^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '', metricsToken) : fromLoopback(c);
    if (!allowed) {
      if (metricsToken) c.header('WWW-Authenticate', 'Bearer');
      return sendFailure(
        c,
        metricsToken ? failure(401, 'unauthorized', '需要指标令牌') : failure(403, 'forbidden', '未设置 TAIZHANG_METRICS_TOKEN 时只能从本机读取指标'),
      );
    }
    return c.body(metrics.render(), 200, { 'Content-Type': CONTENT_TYPE });
  });

  return app;
}
