// `npm run bench -- --smoke` runs every bench step on the tiniest data (no budget judged, no
// figure asserted: timings stay out of the tests), so that a step broken by a change fails
// here and not on the next full bench. In the e2e project: the steps drive Chromium.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { STEPS } from '../bench/steps.ts';

// A fresh checkout installs the peers first (about 2 minutes); on a loaded machine the steps took 8.
test('every bench step runs and prints its rows', { timeout: 1_200_000 }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/run.ts', '--smoke'], { encoding: 'utf8', env: process.env, timeout: 1_190_000 });
  const table = run.stdout.slice(run.stdout.indexOf('| measure'));
  expect(table, run.stderr).not.toMatch(/failed:/);
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| measure'));
  // Each step printed at least one row of its own; none judged a budget in a smoke run.
  expect(rows.length).toBeGreaterThanOrEqual(STEPS.length);
  for (const r of rows) expect(r).not.toMatch(/\| (ok|OVER) +\|$/);
});
