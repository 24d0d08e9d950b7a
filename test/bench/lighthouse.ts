// Lighthouse (12.2.3, pinned in test/bench/peers: 13 needs Node 22) on the two screens users
// wait on: the capture form on a phone (mobile config: a mid-range phone, CPU 4×, slow 4G,
// simulated) and the office dashboard over the demo year on a desk PC (desktop config). Each
// audit runs in its own Debian Chromium, logged in through the UI first; Lighthouse keeps
// that storage (disableStorageReset), so it audits the screen and not the login page.
// BENCH_LH_DUMP=<prefix> writes each full report to <prefix>-mobile.json / -desktop.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { readConfig } from '../../src/server/config.ts';
import { loadDemo } from '../../src/server/demo/load.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import { startServer } from '../e2e/support/server.ts';
import { loginInUi } from '../e2e/support/session.ts';
import type { BenchRow, BenchStep } from './types.ts';

const PASSWORD = 'bench-pass-123';
const BUDGET = 95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

interface Lhr {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { score: number | null; scoreDisplayMode: string; title: string }>;
}
type RunLighthouse = (url: string, flags: object, config?: object) => Promise<{ lhr: Lhr } | undefined>;
interface Launched {
  port: number;
  kill(): Promise<void> | void;
}

async function peerModules(peersDir: string): Promise<{ lighthouse: RunLighthouse; desktop: object; launch: (o: object) => Promise<Launched> }> {
  const from = (p: string) => import(pathToFileURL(path.join(peersDir, 'node_modules', p)).href);
  const [lh, desktop, launcher] = await Promise.all([
    from('lighthouse/core/index.js'),
    from('lighthouse/core/config/desktop-config.js'),
    from('chrome-launcher/dist/index.js'),
  ]);
  return { lighthouse: lh.default as RunLighthouse, desktop: desktop.default as object, launch: launcher.launch as (o: object) => Promise<Launched> };
}

/** Logs `username` in at `origin`, then audits `url` in the same browser; the scores and the audits that lost points. */
async function audit(
  peers: Awaited<ReturnType<typeof peerModules>>,
  { origin, url, username, desktop, categories }: { origin: string; url: string; username: string; desktop: boolean; categories: readonly string[] },
): Promise<{ scores: Record<string, number>; losing: string[] }> {
  const chrome = await peers.launch({
    chromePath: '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
    const context = browser.contexts()[0]!;
    const page = await context.newPage();
    if (!desktop) await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(origin);
    await loginInUi(page, username, PASSWORD);
    // The first sync (for the office, the demo year's replica, pulled page by page) has finished
    // before the audit, as it has by a user's second visit.
    await page.getByText(/^已同步/).waitFor({ timeout: 120_000 });
    await page.close();
    await browser.close().catch(() => undefined);
    const result = await peers.lighthouse(
      url,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...categories], disableStorageReset: true },
      desktop ? peers.desktop : undefined,
    );
    if (!result) throw new Error(`lighthouse gave no result for ${url}`);
    if (process.env.BENCH_LH_DUMP)
      (await import('node:fs')).writeFileSync(`${process.env.BENCH_LH_DUMP}-${desktop ? 'desktop' : 'mobile'}.json`, JSON.stringify(result.lhr));
    const scores = Object.fromEntries(categories.map((c) => [c, Math.round((result.lhr.categories[c]?.score ?? 0) * 100)]));
    const losing = Object.entries(result.lhr.audits)
      .filter(([, a]) => a.score !== null && a.score < 0.9 && (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric'))
      .map(([id]) => id);
    return { scores, losing };
  } finally {
    await chrome.kill();
  }
}

export const step: BenchStep = {
  id: 'lighthouse',
  async run(ctx) {
    const peers = await peerModules(ctx.peersDir);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-lighthouse-'));
    const config = { ...readConfig({}), dataDir, distDir: path.join(dataDir, 'no-dist'), log: 'off' as const };
    const store = openSqliteStore(dataDir);
    const demo = await loadDemo(store, config, { password: PASSWORD });
    await store.close();
    if (!demo.ok) throw new Error(demo.message);
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      const gridWorker = demo.users.find((u) => u.roles.some((r) => r.role === 'grid_worker'))!;
      const office = demo.users.find((u) => u.username === 'zongzhiban')!;
      // The smoke run audits one screen for one category: the path works, the scores mean nothing.
      const screens = [
        { measure: 'Lighthouse mobile, capture form (/cases/new)', url: `${server.url}/cases/new`, username: gridWorker.username, desktop: false },
        ...(ctx.mode === 'smoke'
          ? []
          : [
              {
                measure: 'Lighthouse desktop, office dashboard, demo year (/office?year=2024)',
                url: `${server.url}/office?year=2024`,
                username: office.username,
                desktop: true,
              },
            ]),
      ];
      const rows: BenchRow[] = [];
      for (const s of screens) {
        const categories = ctx.mode === 'smoke' ? ['accessibility'] : CATEGORIES;
        const r = await audit(peers, { origin: server.url, ...s, categories });
        if (r.losing.length) console.log(`  ${s.measure}: audits below 0.9: ${r.losing.join(', ')}`);
        const low = Math.min(...Object.values(r.scores));
        rows.push({
          id: 'lighthouse',
          measure: s.measure,
          ours: categories.map((c) => `${c} ${r.scores[c]}`).join(', '),
          peer: '',
          budget: `≥ ${BUDGET} each`,
          ok: ctx.mode === 'smoke' ? undefined : low >= BUDGET,
        });
      }
      return rows;
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
