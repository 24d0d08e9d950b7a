// `npm test`: type-checks every runtime (tsc -b), lints (ESLint), checks the format (Prettier)
// and dead code (knip), builds the app, runs all suites (unit, server on SQLite and
// PostgreSQL, e2e in Chromium) in one vitest run, and prints the combined "N passed, N failed"
// line that CI reads; each failed check counts as one failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  return r.status ?? 1;
}

const npx = (bin: string) => [`node_modules/.bin/${bin}`];
let failed = 0;

const checks: [name: string, bin: string, args: string[]][] = [
  ['typecheck', 'tsc', ['-b']],
  ['lint', 'eslint', ['.']],
  ['format', 'prettier', ['--check', '--log-level', 'warn', '.']],
  ['dead code', 'knip', []],
];
for (const [name, bin, args] of checks) {
  console.log(`== ${name}`);
  if (run(npx(bin)[0]!, args) !== 0) {
    console.log(`${name}: failed`);
    failed++;
  }
}
console.log('== build');
if (run(npx('vite')[0]!, ['build', '--logLevel', 'warn']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync('.tmp', { recursive: true });
const report = '.tmp/vitest-report.json';
const extra = process.argv.slice(2);
const status = run(npx('vitest')[0]!, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);

let passed = 0;
let fail = failed;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { status: string; assertionResults: unknown[] }[];
  };
  passed = json.numPassedTests;
  fail += json.numFailedTests;
  skipped = json.numPendingTests + json.numTodoTests;
  // A file that fails to load has no assertions but counts as a failure.
  fail += json.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
} catch {
  fail += 1;
}
console.log(`${passed} passed, ${fail} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || fail > 0 ? 1 : 0);
