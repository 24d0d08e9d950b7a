// The metrics one API process exposes at /metrics: requests by route and status with their
// latency, push and pull counts and events, the time pushes spend in the store (the push lock's
// wait included: it is taken inside the store) and, on PostgreSQL, the connection pool's use.
import type { PushResult } from '#shared/protocol';
import type { PoolStats } from '../storage/shared-state-store.ts';
import { Counter, Gauge, Histogram, Registry } from './metrics.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What sync routes report (routes/sync.ts). */
export interface SyncObserver {
  pushed(results: readonly PushResult[], storeSeconds: number): void;
  pulled(events: number): void;
}

interface AppMetrics extends SyncObserver {
  request(method: string, route: string, status: number, seconds: number): void;
  render(): string;
}

export function appMetrics(poolStats?: () => PoolStats): AppMetrics {
  const registry = new Registry();
  const requests = registry.register(new Counter('taizhang_http_requests_total', 'HTTP requests answered, by method, matched route and status.'));
  const latency = registry.register(
    new Histogram('taizhang_http_request_duration_seconds', 'Time to answer an HTTP request, by method and matched route.', LATENCY_BUCKETS),
  );
  const pushes = registry.register(new Counter('taizhang_sync_push_requests_total', 'Pushes answered with per-event results.'));
  const pushEvents = registry.register(new Counter('taizhang_sync_push_events_total', 'Events in answered pushes, by result (applied, duplicate, rejected).'));
  const pushStore = registry.register(
    new Histogram('taizhang_sync_push_store_duration_seconds', 'Time a push spends in the store, waiting for the push lock included.', LATENCY_BUCKETS),
  );
  const pulls = registry.register(new Counter('taizhang_sync_pull_requests_total', 'Pulls answered.'));
  const pullEvents = registry.register(new Counter('taizhang_sync_pull_events_total', 'Events sent in answered pulls.'));
  if (poolStats) {
    registry.register(
      new Gauge('taizhang_db_pool_connections', 'PostgreSQL pool connections, by state (total open, idle) and the configured max.', () => {
        const s = poolStats();
        return [
          { labels: { state: 'total' }, value: s.total },
          { labels: { state: 'idle' }, value: s.idle },
          { labels: { state: 'max' }, value: s.max },
        ];
      }),
    );
    registry.register(new Gauge('taizhang_db_pool_waiting', 'Queries waiting for a free PostgreSQL pool connection.', () => [{ value: poolStats().waiting }]));
  }
  return {
    request(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe(seconds, { method, route });
    },
    pushed(results, storeSeconds) {
      pushes.inc();
      pushStore.observe(storeSeconds);
      for (const r of results) pushEvents.inc({ result: r.status });
    },
    pulled(events) {
      pulls.inc();
      pullEvents.inc({}, events);
    },
    render: () => registry.render(),
  };
}
