// The wire (issue 13): what a mediator's phone waits for on a mountain village's signal, and
// what the server holds while it streams. Chromium with the network throttled to 1.6 Mbps and
// 150 ms RTT (CDP Network.emulateNetworkConditions) and the CPU slowed 4×, talking to a real
// server process through a counting proxy (bytes as they cross the wire, headers included):
//   - first full pull of a 5,000-case / 20,000-event scope into a fresh phone: bytes, seconds;
//   - a day's field work (30 events, 3 photos) sent: bytes up, seconds; then the same with the
//     connection cut after the first photo arrived: photos sent again (only the one cut mid-way);
//   - a write pushed by phone A until phone B (online, open) holds it: p95 over 20 writes;
//   - server RSS while a 100,000-row .xlsx export streams (sampled from /proc), and idle with
//     1,000,000 events in the log.
// Smoke mode runs each path on tiny sizes; no budget is judged then.
import { randomUUID } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { hashPassword } from '../../src/server/access/passwords.ts';
import { buildApp } from '../../src/server/app.ts';
import { readConfig } from '../../src/server/config.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import { openPhone, waitForServiceWorker, type Phone } from '../e2e/support/browser.ts';
import { makePhoto, recordOutreach } from '../e2e/support/pages.ts';
import { startServer, type RunningServer } from '../e2e/support/server.ts';
import { loginApi, loginInUi, seedTown, type SeededTown } from '../e2e/support/session.ts';
import { outboxSize, recordSweepInUi } from '../e2e/support/sync.ts';
import { startServerProcess } from '../server/support/server-process.ts';
import type { BenchContext, BenchMode, BenchRow, BenchStep } from './types.ts';

const ID = 'wire';
const MBPS = 1.6;
const RTT_MS = 150;
const CPU_SLOWDOWN = 4;
const PASSWORD = 'bench-pass-123';

const SIZES: Record<BenchMode, { cases: number; writes: number; exportRows: number; idleEvents: number }> = {
  full: { cases: 5_000, writes: 20, exportRows: 100_000, idleEvents: 1_000_000 },
  quick: { cases: 1_000, writes: 10, exportRows: 20_000, idleEvents: 100_000 },
  smoke: { cases: 20, writes: 2, exportRows: 300, idleEvents: 1_000 },
};

const kb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// A counting HTTP proxy: bytes each way (bodies as sent, so compressed, plus the head), per path.

interface Crossing {
  method: string;
  path: string;
  up: number;
  down: number;
  startedAt: number;
  endedAt?: number;
}

interface CountingProxy {
  url: string;
  log: Crossing[];
  /** Bytes up and down since `from` (an index into log). */
  totals(from?: number, match?: (c: Crossing) => boolean): { up: number; down: number };
  close(): Promise<void>;
}

async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  const log: Crossing[] = [];
  const headBytes = (raw: string[]) => raw.reduce((n, s) => n + Buffer.byteLength(s) + 2, 0) + 2;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const crossing: Crossing = { method: req.method ?? 'GET', path: req.url ?? '/', up: headBytes(req.rawHeaders) + 40, down: 0, startedAt: performance.now() };
    log.push(crossing);
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      crossing.down += headBytes(answer.rawHeaders) + 20;
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.on('data', (chunk: Buffer) => {
        crossing.down += chunk.length;
        res.write(chunk);
      });
      answer.on('end', () => res.end());
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => {
      crossing.endedAt = performance.now();
      upstream.destroy();
    });
    req.on('data', (chunk: Buffer) => {
      crossing.up += chunk.length;
      upstream.write(chunk);
    });
    req.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    totals(from = 0, match = () => true) {
      return log.slice(from).reduce((t, c) => (match(c) ? { up: t.up + c.up, down: t.down + c.down } : t), { up: 0, down: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The page's network and CPU, through one DevTools session (Playwright's setOffline would reset the throttling). */
interface Network {
  throttled(): Promise<void>;
  offline(): Promise<void>;
}

async function throttle(page: Page): Promise<Network> {
  const cdp = await page.context().newCDPSession(page);
  const bytesPerSecond = (MBPS * 1_000_000) / 8;
  const conditions = { latency: RTT_MS, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond };
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return {
    throttled: () => cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions }).then(() => undefined),
    offline: () => cdp.send('Network.emulateNetworkConditions', { offline: true, ...conditions }).then(() => undefined),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few fields of loosely shaped answers
async function api(url: string, method: string, token: string | undefined, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// ---------------------------------------------------------------------------------------------
// Events as a mediator's village makes them: a registration, a session and a closure per case.

let deviceSeq = 0;
function envelope(orgUnitId: string, subjectId: string, occurredAt: string, deviceId: string) {
  return { id: uuidv7(), subjectId, orgUnitId, occurredAt, recordedAt: new Date().toISOString(), deviceId, deviceSeq: ++deviceSeq };
}

function caseEvents(orgUnitId: string, i: number, deviceId: string): object[] {
  const subjectId = uuidv7();
  const month = String((i % 12) + 1).padStart(2, '0');
  const day = String((i % 27) + 1).padStart(2, '0');
  return [
    {
      ...envelope(orgUnitId, subjectId, `2024-${month}-${day}T09:00:00+08:00`, deviceId),
      type: 'case.opened',
      data: {
        disputeType: ['01', '02', '03', '04', '07'][i % 5],
        source: 'application',
        summary: `双方因宅基地边界及排水沟走向发生争执（第${i}号），经村调委会上门了解情况，双方同意接受调解。`,
        parties: [
          { role: 'applicant', name: `张${i % 97}某`, phone: `138${String(10_000_000 + i).slice(-8)}` },
          { role: 'respondent', name: `李${i % 89}某` },
        ],
        peopleInvolved: 2,
        amountInvolved: (i % 20) * 500,
      },
    },
    {
      ...envelope(orgUnitId, subjectId, `2024-${month}-${day}T14:00:00+08:00`, deviceId),
      type: 'case.session',
      data: { place: '村委会调解室', content: '调解员分别听取双方陈述，释法说理，双方就排水沟改道达成一致意见。' },
    },
    {
      ...envelope(orgUnitId, subjectId, `2024-${month}-${day}T16:00:00+08:00`, deviceId),
      type: 'case.closed',
      data: { result: 'success', agreementForm: i % 3 === 0 ? 'oral' : 'written' },
    },
  ];
}

async function pushAll(url: string, token: string, events: object[], deviceId: string): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const res = await api(`${url}/api/sync/push`, 'POST', token, { deviceId, events: events.slice(i, i + 500) });
    const bad = (res.results as { status: string }[]).find((r) => r.status !== 'applied');
    if (bad) throw new Error(`push not applied: ${JSON.stringify(bad)}`);
  }
}

const phoneEventCount = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('events').objectStore('events').count();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );

const phoneHasNote = (page: Page, note: string) =>
  page.evaluate(
    (wanted) =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('events').objectStore('events').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as { data?: { note?: string } }[]).some((e) => e.data?.note === wanted));
          };
          all.onerror = () => reject(all.error);
        };
      }),
    note,
  );

async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

async function firstPull(server: RunningServer, town: SeededTown, cases: number, mode: BenchMode): Promise<BenchRow[]> {
  const token = await loginApi(server.url, town.mediator.username, town.mediator.password);
  const events = Array.from({ length: cases }, (_, i) => caseEvents(town.villageId, i, 'bench-loader')).flat();
  await pushAll(server.url, token, events, 'bench-loader');
  const expected = cases * 4; // each registration brings its server-made case.numbered
  const proxy = await startCountingProxy(server.url);
  const phone = await openPhone();
  try {
    await phone.page.goto(proxy.url);
    await waitForServiceWorker(phone.page);
    await throttle(phone.page);
    const from = proxy.log.length;
    const t0 = performance.now();
    await loginInUi(phone.page, town.mediator.username, town.mediator.password);
    const done = await until(async () => (await phoneEventCount(phone.page)) >= expected, 180_000, 500);
    const ms = performance.now() - t0;
    const pulls = proxy.log.slice(from).filter((c) => c.path.startsWith('/api/sync/pull'));
    const pulled = proxy.totals(from, (c) => c.path.startsWith('/api/sync/pull'));
    // How much of the time the phone waited on the wire (pull requests in flight), the rest being its own work.
    const onWire = pulls.reduce((n, c) => n + ((c.endedAt ?? c.startedAt) - c.startedAt), 0);
    const all = proxy.totals(from, (c) => c.path.startsWith('/api/'));
    const judged = mode !== 'smoke';
    return [
      {
        id: ID,
        measure: `first full pull, ${cases.toLocaleString('en')} cases / ${expected.toLocaleString('en')} events, ${MBPS} Mbps ${RTT_MS} ms RTT, CPU ${CPU_SLOWDOWN}×: bytes down (pull; all API)`,
        ours: `${kb(pulled.down)}; ${kb(all.down + all.up)}`,
        peer: '',
        budget: '≤ 2 MB',
        ok: judged ? done && pulled.down <= 2 * 1024 * 1024 : undefined,
      },
      {
        id: ID,
        measure: `first full pull: login to every event stored on the phone (${pulls.length} pull pages, ${seconds(onWire)} of them in flight)`,
        ours: done ? seconds(ms) : `not done in ${seconds(ms)}`,
        peer: '',
        budget: '≤ 30 s',
        ok: judged ? done && ms <= 30_000 : undefined,
      },
    ];
  } finally {
    await phone.close();
    await proxy.close();
  }
}

/** Photos on the phone not uploaded yet. */
async function blobsPending(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('blobs').objectStore('blobs').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as { uploaded: boolean }[]).filter((b) => !b.uploaded).length);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Offline: `sweeps` sweeps and `outreach` outreach events with one photo each, through the forms. */
async function recordDay(phone: Phone, town: SeededTown, sweeps: number, outreach: number, tag: string, round: number): Promise<void> {
  for (let i = 0; i < sweeps; i++) await recordSweepInUi(phone.page, { gridId: town.gridId, households: 10 + i, note: `${tag}排查${i}` });
  for (let i = 0; i < outreach; i++) {
    // A photo of its own (another size, kept by the app's resizing): the same bytes would be a photo already sent.
    const photo = await makePhoto(phone.page, 1600, 1100 + i * 10 + round * 5);
    await recordOutreach(phone.page, {
      title: `${tag}普法宣讲${i}`,
      form: 'lecture',
      audience: 40 + i,
      orgUnitId: town.gridId,
      themes: [],
      photos: [{ name: `site-${tag}-${i}.png`, mimeType: 'image/png', buffer: photo }],
    });
  }
}

async function dayOfWork(server: RunningServer, town: SeededTown, mode: BenchMode): Promise<BenchRow[]> {
  const [sweeps, outreach] = mode === 'smoke' ? [2, 1] : [27, 3];
  const proxy = await startCountingProxy(server.url);
  const phone = await openPhone();
  try {
    const { page } = phone;
    await page.goto(proxy.url);
    await waitForServiceWorker(page);
    await loginInUi(page, town.gridWorker.username, town.gridWorker.password);
    await until(async () => (await outboxSize(page)) === 0, 20_000);
    const net = await throttle(page);
    await net.offline();
    await recordDay(phone, town, sweeps, outreach, '日', 0);
    let from = proxy.log.length;
    let t0 = performance.now();
    await net.throttled();
    const sent = await until(async () => (await outboxSize(page)) === 0 && (await blobsPending(page)) === 0, 120_000, 300);
    const ms = performance.now() - t0;
    const isUpload = (c: Crossing) => c.path.startsWith('/api/sync/push') || c.path.startsWith('/api/attachments/');
    const day = proxy.totals(from, isUpload);

    // The same again, the connection cut once the first photo is stored.
    await net.offline();
    await recordDay(phone, town, 0, outreach, '断', 1);
    from = proxy.log.length;
    t0 = performance.now();
    await net.throttled();
    await until(async () => (await blobsPending(page)) < outreach, 60_000, 100);
    await net.offline();
    await new Promise((r) => setTimeout(r, 1_000));
    await net.throttled();
    await page.getByRole('button', { name: '立即同步' }).click();
    const resent = await until(async () => (await outboxSize(page)) === 0 && (await blobsPending(page)) === 0, 120_000, 300);
    const puts = proxy.log.slice(from).filter((c) => c.method === 'PUT' && c.path.startsWith('/api/attachments/'));
    const again = puts.length - new Set(puts.map((c) => c.path)).size;
    const photos = new Set(puts.map((c) => c.path)).size;
    return [
      {
        id: ID,
        measure: `a day's field work (${sweeps + outreach} events, ${outreach} photos) sent, same network: bytes up; time`,
        ours: sent ? `${kb(day.up)}; ${seconds(ms)}` : `not sent in ${seconds(ms)}`,
        peer: '',
        budget: 'printed',
        ok: undefined,
      },
      {
        id: ID,
        measure: `upload cut after the first photo: photo uploads sent twice (${outreach} photos)`,
        ours: resent ? `${again} (${puts.length} uploads for ${photos} photos)` : 'not sent',
        peer: '',
        budget: '≤ 1 (only the one cut)',
        ok: mode === 'smoke' ? undefined : resent && again <= 1,
      },
    ];
  } finally {
    await phone.close();
    await proxy.close();
  }
}

async function liveLatency(server: RunningServer, town: SeededTown, writes: number, held: number, mode: BenchMode): Promise<BenchRow[]> {
  const phoneA = await loginApi(server.url, town.gridWorker.username, town.gridWorker.password);
  const proxy = await startCountingProxy(server.url);
  const phone = await openPhone();
  try {
    await phone.page.goto(proxy.url);
    await waitForServiceWorker(phone.page);
    await loginInUi(phone.page, town.mediator.username, town.mediator.password);
    // Its first pull done, B is an open phone waiting for news.
    await until(async () => (await phoneEventCount(phone.page)) >= held, 180_000, 500);
    await throttle(phone.page);
    const times: number[] = [];
    for (let i = 0; i < writes; i++) {
      const note = `实时${i}-${randomUUID().slice(0, 8)}`;
      const event = {
        ...envelope(town.gridId, uuidv7(), new Date().toISOString(), 'bench-phone-a'),
        type: 'sweep.recorded',
        data: { households: 5, disputesFound: 0, note },
      };
      const t0 = performance.now();
      await api(`${server.url}/api/sync/push`, 'POST', phoneA, { deviceId: 'bench-phone-a', events: [event] });
      const seen = await until(() => phoneHasNote(phone.page, note), 60_000, 100);
      times.push(seen ? performance.now() - t0 : Number.POSITIVE_INFINITY);
      await new Promise((r) => setTimeout(r, 300));
    }
    const sorted = [...times].sort((a, b) => a - b);
    const p95 = sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)]!;
    return [
      {
        id: ID,
        measure: `write on phone A → held by open phone B (throttled), p95 of ${writes} (median)`,
        ours: `${seconds(p95)} (${seconds(sorted[Math.floor(sorted.length / 2)]!)})`,
        peer: '',
        budget: '≤ 5 s',
        ok: mode === 'smoke' ? undefined : p95 <= 5_000,
      },
    ];
  } finally {
    await phone.close();
    await proxy.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Server memory: a data directory filled in this process, then a server process on it.

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

async function fillDataDir(
  dataDir: string,
  count: number,
  make: (orgUnitId: string, i: number) => object[],
): Promise<{ townId: string; adminPassword: string }> {
  const base = readConfig({});
  // The loader is one user on one day: the per-day push budget is not what is measured here.
  const config = {
    ...base,
    dataDir,
    distDir: path.join(dataDir, 'no-dist'),
    log: 'off' as const,
    limits: { ...base.limits, pushEventsPerDay: Number.MAX_SAFE_INTEGER },
  };
  const store = openSqliteStore(dataDir);
  try {
    const now = new Date();
    await store.insertOrgUnits(
      [
        { id: 'T', parentId: null, kind: 'town', name: '江口镇', code: null, shortName: '江口' },
        { id: 'V', parentId: 'T', kind: 'village', name: '石坝村', code: null, shortName: '石坝' },
        { id: 'VC', parentId: 'V', kind: 'committee', name: '石坝村人民调解委员会', code: null, shortName: '石坝' },
      ],
      now,
    );
    await store.insertUser({
      id: randomUUID(),
      username: 'bench',
      displayName: '压测',
      passwordHash: await hashPassword(PASSWORD),
      roles: [{ role: 'admin', orgUnitId: null }],
      createdAt: now,
    });
    const app = buildApp({ store, config });
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    let batch: object[] = [];
    const flush = async () => {
      const res = await app.request('/api/sync/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ deviceId: 'bench-loader', events: batch }),
      });
      if (res.status !== 200) throw new Error(`push → ${res.status} ${await res.text()}`);
      batch = [];
    };
    for (let i = 0; i < count; i++) {
      batch.push(...make('V', i));
      if (batch.length >= 500) await flush();
    }
    if (batch.length > 0) await flush();
    return { townId: 'T', adminPassword: PASSWORD };
  } finally {
    await store.close();
  }
}

async function exportMemory(rows: number, mode: BenchMode): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-wire-export-'));
  try {
    // One registration per case (its case.numbered comes with it): `rows` cases accepted in 2024.
    await fillDataDir(dataDir, rows, (unit, i) => [caseEvents(unit, i, 'bench-loader')[0]!]);
    const server = await startServerProcess({ DATA_DIR: dataDir, TAIZHANG_LOG: 'off', DIST_DIR: path.join(dataDir, 'no-dist') });
    try {
      const pid = server.child.pid!;
      const token = (await api(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'bench', password: PASSWORD })).token as string;
      const idle = rssOf(pid);
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
      const t0 = performance.now();
      let bytes = 0;
      try {
        const res = await fetch(`${server.url}/api/exports/cases.xlsx?year=2024&orgUnitId=T`, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`export → ${res.status} ${await res.text()}`);
        const reader = res.body!.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
      } finally {
        clearInterval(sampler);
      }
      const ms = performance.now() - t0;
      return [
        {
          id: ID,
          measure: `server RSS during a ${rows.toLocaleString('en')}-row .xlsx export (streamed; ${kb(bytes)} in ${seconds(ms)}; idle before ${kb(idle)})`,
          ours: `peak ${kb(peak)}`,
          peer: '',
          budget: '≤ 300 MB',
          ok: mode === 'smoke' ? undefined : peak <= 300 * 1024 * 1024,
        },
      ];
    } finally {
      await server.dispose();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function idleMemory(events: number): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-wire-idle-'));
  try {
    const sweep = (unit: string, i: number) => [
      {
        ...envelope(unit, uuidv7(), `2024-${String((i % 12) + 1).padStart(2, '0')}-10T09:00:00+08:00`, 'bench-loader'),
        type: 'sweep.recorded',
        data: { households: 20 + (i % 30), disputesFound: i % 7 === 0 ? 1 : 0 },
      },
    ];
    await fillDataDir(dataDir, events, sweep);
    const server = await startServerProcess({ DATA_DIR: dataDir, TAIZHANG_LOG: 'off', DIST_DIR: path.join(dataDir, 'no-dist') });
    try {
      await api(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'bench', password: PASSWORD });
      await new Promise((r) => setTimeout(r, 3_000));
      return [
        {
          id: ID,
          measure: `server RSS idle with ${events.toLocaleString('en')} events (SQLite, after a login)`,
          ours: kb(rssOf(server.child.pid!)),
          peer: '',
          budget: 'printed',
          ok: undefined,
        },
      ];
    } finally {
      await server.dispose();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const step: BenchStep = {
  id: ID,
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const size = SIZES[ctx.mode];
    const rows: BenchRow[] = [];
    const part = async (what: string, run: () => Promise<BenchRow[]>) => {
      process.stdout.write(`  wire: ${what}\n`);
      rows.push(...(await run()));
    };
    const server = await startServer({ TAIZHANG_LOG: 'off' });
    try {
      const town = await seedTown(server.url);
      await part('first full pull', () => firstPull(server, town, size.cases, ctx.mode));
      await part("a day's field work", () => dayOfWork(server, town, ctx.mode));
      await part('phone A to phone B', () => liveLatency(server, town, size.writes, size.cases * 4, ctx.mode));
    } finally {
      await server.stop();
    }
    await part('export memory', () => exportMemory(size.exportRows, ctx.mode));
    await part('idle memory', () => idleMemory(size.idleEvents));
    return rows;
  },
};
