// `npm run bench`: measures the performance budgets (docs/design.md, issue 13) and prints them
// as one Markdown table, each beside the same measure of a peer run here where one exists.
// Peers are installed on demand into test/bench/peers (pinned there), so `npm ci` stays lean.
// Options: --quick (smaller data, under 3 minutes), --smoke (the tiniest run of every step:
// no budget judged, no peer bundled; npm test runs it so that a broken bench fails),
// --only=<step id,…>. Rows needing PostgreSQL are skipped without DATABASE_URL. Exits 1 when
// a step failed (a budget not held is printed OVER, not a failure).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { STEPS } from './steps.ts';
import type { BenchMode, BenchRow } from './types.ts';

/** The budgets of issue 13 measured by steps other helpers write: a row says so until the step is registered. */
const EXPECTED: { id: string; measure: string; budget: string }[] = [
  { id: 'phone', measure: 'phone with 5,000 cases, CPU 4×: cold start offline to the case list / search to result', budget: '≤ 500 ms / ≤ 100 ms' },
  {
    id: 'wire',
    measure: 'first full pull 5,000 cases at 1.6 Mbps, 150 ms RTT; live write → other client; export RSS',
    budget: '≤ 2 MB, ≤ 30 s; p95 ≤ 5 s; ≤ 300 MB',
  },
  { id: 'push-pg', measure: 'push events/s on PostgreSQL, one and three processes', budget: '≥ 70 % of SQLite; three ≥ one' },
];

const args = process.argv.slice(2);
const mode: BenchMode = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const unknown = only?.filter((id) => !STEPS.some((s) => s.id === id) && !EXPECTED.some((e) => e.id === id));
if (unknown?.length) {
  console.error(`unknown step: ${unknown.join(', ')} (steps: ${STEPS.map((s) => s.id).join(', ')})`);
  process.exit(2);
}
const peersDir = path.resolve('test/bench/peers');
const ctx = { mode, peersDir, databaseUrl: process.env.DATABASE_URL || undefined };
const wanted = (id: string) => !only || only.includes(id);

if (!existsSync('dist/index.html')) execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (!existsSync(path.join(peersDir, 'node_modules'))) {
  console.log('Installing benchmark peers (test/bench/peers)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', peersDir], { stdio: 'inherit' });
}

const rows: BenchRow[] = [];
let failed = 0;
const started = performance.now();
for (const step of STEPS) {
  if (!wanted(step.id)) continue;
  const t0 = performance.now();
  process.stdout.write(`… ${step.id}\n`);
  try {
    rows.push(...(await step.run(ctx)));
  } catch (err) {
    failed++;
    const message = (err instanceof Error ? (err.stack ?? err.message) : String(err)).split('\n').slice(0, 3).join(' ');
    rows.push({ id: step.id, measure: step.id, ours: `failed: ${message.slice(0, 160)}`, peer: '', budget: '', ok: false });
  }
  process.stdout.write(`  ${step.id}: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
for (const e of EXPECTED) {
  if (wanted(e.id) && !STEPS.some((s) => s.id === e.id)) rows.push({ ...e, ours: 'not measured: no step yet', peer: '', ok: undefined });
}

const cell = (s: string) => s.replaceAll('|', '\\|');
const header = ['measure', 'Taizhang', 'peer (same run)', 'budget', 'holds'];
const table = rows.map((r) => [r.measure, r.ours, r.peer, r.budget, r.ok === undefined ? '' : r.ok ? 'ok' : 'OVER'].map(cell));
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(
  `\n${mode} run, ${((performance.now() - started) / 60_000).toFixed(1)} min\n\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
);
for (const t of table) console.log(line(t));
process.exit(failed > 0 ? 1 : 0);
