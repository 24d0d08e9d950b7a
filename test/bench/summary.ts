// Year summary over a large event log: the demo township's year copied with fresh ids until
// the log holds N events, all pushed through the in-process API (so projections are the
// real ones), then GET /api/stats/summary for the town is timed. The peer is the query the
// projections exist to avoid: the same figure read out of the events' JSON at query time.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '#shared/events';
import { buildApp } from '../../src/server/app.ts';
import { readConfig } from '../../src/server/config.ts';
import { loadDemo } from '../../src/server/demo/load.ts';
import { buildTownship, TOWN_ID } from '../../src/server/demo/township.ts';
import { buildYear } from '../../src/server/demo/year.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';

const PASSWORD = 'bench-pass-123';

function copyWithFreshIds(events: DomainEvent[]): DomainEvent[] {
  const ids = new Map<string, string>();
  const fresh = (id: string) => ids.get(id) ?? (ids.set(id, uuidv7()), ids.get(id)!);
  return events.map((e) => ({ ...e, id: fresh(e.id), subjectId: fresh(e.subjectId), ...(e.basedOn ? { basedOn: e.basedOn.map(fresh) } : {}) }) as DomainEvent);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureSummary(target: number): Promise<{ events: number; medianMs: number; runs: number; peer: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-summary-'));
  const config = { ...readConfig({}), dataDir, distDir: path.join(dataDir, 'no-dist'), log: 'off' as const };
  const store = openSqliteStore(dataDir);
  try {
    const demo = await loadDemo(store, config, { password: PASSWORD });
    if (!demo.ok) throw new Error(demo.message);
    const app = buildApp({ store, config });
    const admin = demo.users.find((u) => u.roles.some((r) => r.role === 'admin'))!;
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.username, password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    const year = [...buildYear(buildTownship()).byAuthor.values()].flat();
    let total = demo.counts.events;
    process.stdout.write(`  loading ${target.toLocaleString('en')} events`);
    while (total < target) {
      const copy = copyWithFreshIds(year).slice(0, target - total);
      for (let i = 0; i < copy.length; i += 500) {
        const res = await app.request('/api/sync/push', {
          method: 'POST',
          headers,
          body: JSON.stringify({ deviceId: 'bench-loader', events: copy.slice(i, i + 500) }),
        });
        if (res.status !== 200) throw new Error(`push → ${res.status} ${await res.text()}`);
      }
      total += copy.length;
      process.stdout.write('.');
    }
    process.stdout.write('\n');

    const url = `/api/stats/summary?year=2024&orgUnitId=${TOWN_ID}`;
    const times: number[] = [];
    let resolved = 0;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const res = await app.request(url, { headers });
      const body = (await res.json()) as { mediation: { resolved: number } };
      times.push(performance.now() - t0);
      resolved = body.mediation.resolved;
    }

    // Peer: the resolved count by month read straight out of the events' JSON.
    const raw = new Database(path.join(dataDir, 'taizhang.sqlite'), { readonly: true });
    const peerTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      raw
        .prepare(
          `SELECT substr(occurred_at, 1, 7) AS month, count(*) FROM events WHERE type = 'case.closed' AND json_extract(body, '$.data.result') = 'success' AND occurred_at LIKE '2024-%' GROUP BY month`,
        )
        .all();
      peerTimes.push(performance.now() - t0);
    }
    raw.close();
    return {
      events: total,
      medianMs: median(times),
      runs: times.length,
      peer: `JSON rescan of events, one breakdown only: ${median(peerTimes).toFixed(0)} ms (resolved 2024: ${resolved.toLocaleString('en')})`,
    };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
