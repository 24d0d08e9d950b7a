// Client weight: gzip bytes of the JS and CSS the browser loads before the first capture form
// (the case form at /cases/new, logged in) shows, taken from the page's own resource timing in
// Chromium (requests started before the form's first label), so lazy route chunks that the form needs count and lazy chunks it does not need do
// not; the same for 首页; and the whole precache. Peers are bundled the same way (vite,
// production, minified) from a one-line entry that imports the form engine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { openPhone, waitForServiceWorker } from '../e2e/support/browser.ts';
import { startServer } from '../e2e/support/server.ts';
import { loginInUi, seedTown } from '../e2e/support/session.ts';
import { kb } from './format.ts';
import type { BenchStep } from './types.ts';

const BUDGET_KB = 45;
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Opens `url` afresh and returns the /assets/ JS and CSS files the page had requested when `label`'s text first showed. */
async function assetsUntil(page: Page, url: string, label: string): Promise<string[]> {
  await page.goto(url, { waitUntil: 'commit' });
  const shown = await page.waitForFunction(
    (text) => ([...document.querySelectorAll('label, a')].some((e) => e.textContent?.includes(text)) ? performance.now() : 0),
    label,
    { polling: 'raf', timeout: 30_000 },
  );
  const at = (await shown.jsonValue()) as number;
  const names = await page.evaluate(
    (until) =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime <= until)
        .map((e) => new URL(e.name).pathname),
    at,
  );
  return [...new Set(names.filter((n) => /^\/assets\/.+\.(?:js|css)$/.test(n)))];
}

/** The files and their gzip bytes loaded before the case form and before 首页, in Chromium, logged in as a grid worker. */
async function loadedWeight(distDir = 'dist'): Promise<{ capture: { bytes: number; files: string[] }; home: { bytes: number; files: string[] } }> {
  const server = await startServer();
  const phone = await openPhone();
  try {
    const town = await seedTown(server.url);
    const { page } = phone;
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await loginInUi(page, town.gridWorker.username, town.gridWorker.password);
    const weigh = (files: string[]) => ({ files, bytes: files.reduce((n, f) => n + gz(path.join(distDir, f)), 0) });
    const capture = await assetsUntil(page, `${server.url}/cases/new`, '纠纷简要情况');
    const home = await assetsUntil(page, `${server.url}/`, '登记案件');
    return { capture: weigh(capture), home: weigh(home) };
  } finally {
    await phone.close();
    await server.stop();
  }
}

function precacheWeight(distDir = 'dist'): { bytes: number; count: number } {
  const sw = readFileSync(path.join(distDir, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"?url"?:"([^"]+)"/g)].map((m) => m[1]!);
  const bytes = urls.reduce((n, u) => n + gz(path.join(distDir, u.replace(/^\//, ''))), 0);
  return { bytes, count: urls.length };
}

/** Bundles an entry importing a peer form engine with vite; gzip bytes of all JS+CSS emitted. */
function bundlePeer(name: string, entry: string, peersDir: string): number | string {
  // Inside the peers folder, so that bare imports resolve from its node_modules.
  const dir = mkdtempSync(path.join(peersDir, `.build-${name.replace(/\W+/g, '-')}-`));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>');
  writeFileSync(path.join(dir, 'src/main.js'), entry);
  const config = path.join(dir, 'vite.config.mjs');
  writeFileSync(
    config,
    `export default { root: ${JSON.stringify(dir)}, logLevel: 'error', build: { outDir: ${JSON.stringify(path.join(dir, 'dist'))}, target: 'es2020' } };`,
  );
  try {
    execFileSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--config', config], {
      cwd: peersDir,
      stdio: 'pipe',
    });
  } catch (err) {
    return `bundle failed: ${
      String((err as { stderr?: Buffer }).stderr ?? err)
        .split('\n')
        .find((l) => l.trim()) ?? 'error'
    }`.slice(0, 80);
  }
  try {
    return walk(path.join(dir, 'dist'))
      .filter((f) => /\.(js|css)$/.test(f))
      .reduce((n, f) => n + gz(f), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PEER_ENTRIES: Record<string, string> = {
  'enketo-core 8.1.0': "import { Form } from 'enketo-core'; window.EnketoForm = Form;",
  '@getodk/web-forms 0.22.0':
    "import { createApp } from 'vue'; import { webFormsPlugin, OdkWebForm } from '@getodk/web-forms'; createApp(OdkWebForm).use(webFormsPlugin).mount('#app');",
};

export const step: BenchStep = {
  id: 'weight',
  async run(ctx) {
    const { capture, home } = await loadedWeight();
    console.log(`  before the case form: ${capture.files.map((f) => `${path.basename(f)} ${kb(gz(path.join('dist', f)))}`).join(', ')}`);
    if (!existsSync(path.join('dist', capture.files[0] ?? 'none'))) throw new Error('no asset loaded before the case form');
    // Bundling a peer takes a vite build each; the smoke run only checks that the path works when they are there.
    const peers =
      ctx.mode !== 'smoke'
        ? Object.entries(PEER_ENTRIES).map(([name, entry]) => {
            const bytes = bundlePeer(name, entry, ctx.peersDir);
            return `${name}: ${typeof bytes === 'number' ? kb(bytes) : bytes}`;
          })
        : ['not bundled in a smoke run'];
    const pre = precacheWeight();
    const judged = ctx.mode !== 'smoke';
    return [
      {
        id: 'weight',
        measure: `JS+CSS before the first capture form (/cases/new, ${capture.files.length} files, gzip)`,
        ours: kb(capture.bytes),
        peer: peers.join('; '),
        budget: `≤ ${BUDGET_KB} KB`,
        ok: judged ? capture.bytes <= BUDGET_KB * 1024 : undefined,
      },
      { id: 'weight', measure: `JS+CSS before 首页 (${home.files.length} files, gzip)`, ours: kb(home.bytes), peer: '', budget: '', ok: undefined },
      { id: 'weight', measure: `whole precache, ${pre.count} files (gzip)`, ours: kb(pre.bytes), peer: '', budget: '', ok: undefined },
    ];
  },
};
