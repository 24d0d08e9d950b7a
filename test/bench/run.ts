// `npm run bench`: measures the design's performance budgets and prints them as a table,
// each beside the same measure of a peer run here where one exists. Peers are installed on
// demand into test/bench/peers (pinned there), so `npm ci` stays lean.
// Options: --quick (smaller counts, for a smoke run), --only=<row id,…>.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { BenchRow as Row } from './types.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const peersDir = path.resolve('test/bench/peers');
const rows: Row[] = [];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function ensureBuilt(): void {
  if (!existsSync('dist/index.html')) execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
function ensurePeers(): void {
  if (!existsSync(path.join(peersDir, 'node_modules'))) {
    console.log('Installing benchmark peers (test/bench/peers)…');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', peersDir], { stdio: 'inherit' });
  }
}

async function step(id: string, run: () => Promise<void>): Promise<void> {
  if (only && !only.includes(id)) return;
  process.stdout.write(`… ${id}\n`);
  try {
    await run();
  } catch (err) {
    rows.push({ id, measure: id, ours: `failed: ${String(err).slice(0, 120)}`, peer: '', budget: '', ok: false });
  }
}

ensureBuilt();
ensurePeers();

await step('weight', async () => {
  const { captureWeight, precacheWeight, bundlePeer, PEER_ENTRIES } = await import('./client-weight.ts');
  const capture = captureWeight();
  const peers = Object.entries(PEER_ENTRIES).map(([name, entry]) => {
    const bytes = bundlePeer(name, entry, peersDir);
    return `${name}: ${typeof bytes === 'number' ? kb(bytes) : bytes}`;
  });
  rows.push({
    id: 'weight',
    measure: 'JS+CSS before the first capture form (gzip)',
    ours: kb(capture.bytes),
    peer: peers.join('; '),
    budget: '≤ 60 KB',
    ok: capture.bytes <= 60 * 1024,
  });
  const pre = precacheWeight();
  rows.push({ id: 'weight', measure: `whole precache, ${pre.count} files (gzip)`, ours: kb(pre.bytes), peer: '', budget: '', ok: undefined });
});

await step('browser', async () => {
  const { measureBrowser } = await import('./browser-latency.ts');
  const r = await measureBrowser({ saves: quick ? 15 : 50 });
  rows.push({
    id: 'browser',
    measure: 'save to durable IndexedDB, CPU 4× slower (median)',
    ours: `${r.saveMedianMs.toFixed(1)} ms (p90 ${r.saveP90Ms.toFixed(1)})`,
    peer: '',
    budget: '≤ 50 ms',
    ok: r.saveMedianMs <= 50,
  });
  rows.push({
    id: 'browser',
    measure: 'warm start offline to a usable form, CPU 4× slower',
    ours: `${r.warmStartMs.toFixed(0)} ms`,
    peer: '',
    budget: '≤ 1000 ms',
    ok: r.warmStartMs <= 1000,
  });
});

await step('push', async () => {
  const { measurePush, measurePouch } = await import('./sync-throughput.ts');
  for (const n of quick ? [10_000] : [10_000, 100_000]) {
    const ours = await measurePush(n);
    const peer = await measurePouch(n, peersDir);
    rows.push({
      id: 'push',
      measure: `events/s through /api/sync/push, ${n.toLocaleString('en')} events, batches of 500 (SQLite)`,
      ours: `${Math.round(ours).toLocaleString('en')}/s`,
      peer: `PouchDB → express-pouchdb: ${Math.round(peer).toLocaleString('en')}/s`,
      budget: '≥ 10,000/s',
      ok: ours >= 10_000,
    });
  }
});

await step('summary', async () => {
  const { measureSummary } = await import('./summary.ts');
  const r = await measureSummary(quick ? 100_000 : 1_000_000);
  rows.push({
    id: 'summary',
    measure: `year summary over ${r.events.toLocaleString('en')} events (SQLite, median of ${r.runs})`,
    ours: `${r.medianMs.toFixed(1)} ms`,
    peer: r.peer,
    budget: '≤ 100 ms',
    ok: r.medianMs <= 100,
  });
});

// Steps in the shared shape (types.ts), registered in steps.ts.
const { STEPS } = await import('./steps.ts');
for (const s of STEPS) {
  await step(s.id, async () => {
    rows.push(...(await s.run({ mode: quick ? 'quick' : 'full', peersDir, databaseUrl: process.env.DATABASE_URL || undefined })));
  });
}

const header = ['measure', 'Taizhang', 'peer (same run)', 'budget', ''];
const table = rows.map((r) => [r.measure, r.ours, r.peer, r.budget, r.ok === undefined ? '' : r.ok ? 'ok' : 'OVER']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const t of table) console.log(line(t));
