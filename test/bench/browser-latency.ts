// In Chromium with the CPU slowed 4× (DevTools CPU throttling): the median latency of a save
// into IndexedDB through the app's storage layer, and the warm start of the installed app
// with no network until the case form can be used.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openPhone, waitForServiceWorker } from '../e2e/support/browser.ts';
import { startServer } from '../e2e/support/server.ts';
import { loginInUi, seedTown } from '../e2e/support/session.ts';
import type { BenchStep } from './types.ts';

const CPU_SLOWDOWN = 4;
const pagesOut = path.resolve('.tmp/bench-pages');

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
}

async function measureSaves(saves: number): Promise<number[]> {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', '--config', 'test/bench/pages/vite.config.ts'], {
    stdio: 'inherit',
  });
  const server = createServer((req, res) => {
    const file = path.join(pagesOut, path.normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, ''));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const phone = await openPhone();
  try {
    const port = (server.address() as { port: number }).port;
    await phone.page.goto(`http://127.0.0.1:${port}/save-bench.html`);
    await phone.page.waitForFunction(() => typeof window.runSaves === 'function');
    await throttle(phone.page);
    return await phone.page.evaluate(([n]) => window.runSaves(200, n!), [saves]);
  } finally {
    await phone.close();
    server.close();
  }
}

async function measureWarmStart(): Promise<number> {
  const server = await startServer();
  const phone = await openPhone();
  try {
    const town = await seedTown(server.url);
    const { page, context } = phone;
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await loginInUi(page, town.gridWorker.username, town.gridWorker.password);
    await page.goto(`${server.url}/cases/new`);
    await page.getByLabel('纠纷简要情况').waitFor();
    await context.setOffline(true);
    await throttle(page);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${server.url}/cases/new`, { waitUntil: 'commit' });
      // performance.now() counts from this navigation's start, in the page's own clock.
      const handle = await page.waitForFunction(
        () => {
          const label = [...document.querySelectorAll('label')].find((l) => l.textContent?.includes('纠纷简要情况'));
          return label ? performance.now() : 0;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      runs.push((await handle.jsonValue()) as number);
    }
    return runs.sort((a, b) => a - b)[1]!;
  } finally {
    await phone.close();
    await server.stop();
  }
}

async function measureBrowser({ saves }: { saves: number }): Promise<{ saveMedianMs: number; saveP90Ms: number; warmStartMs: number }> {
  const times = (await measureSaves(saves)).sort((a, b) => a - b);
  const warmStartMs = await measureWarmStart();
  return {
    saveMedianMs: times[Math.floor(times.length / 2)]!,
    saveP90Ms: times[Math.floor(times.length * 0.9)]!,
    warmStartMs,
  };
}

export const step: BenchStep = {
  id: 'browser',
  async run(ctx) {
    const r = await measureBrowser({ saves: { full: 50, quick: 15, smoke: 3 }[ctx.mode] });
    const judged = ctx.mode !== 'smoke';
    return [
      {
        id: 'browser',
        measure: 'save to durable IndexedDB, CPU 4× slower (median)',
        ours: `${r.saveMedianMs.toFixed(1)} ms (p90 ${r.saveP90Ms.toFixed(1)})`,
        peer: '',
        budget: '≤ 50 ms',
        ok: judged ? r.saveMedianMs <= 50 : undefined,
      },
      {
        id: 'browser',
        measure: 'warm start offline to a usable form, CPU 4× slower',
        ours: `${r.warmStartMs.toFixed(0)} ms`,
        peer: '',
        budget: '≤ 1000 ms',
        ok: judged ? r.warmStartMs <= 1000 : undefined,
      },
    ];
  },
};
