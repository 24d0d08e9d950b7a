import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let phone: Phone;

beforeAll(async () => {
  server = await startServer();
  phone = await openPhone();
});
afterAll(async () => {
  await phone?.close();
  await server?.stop();
});

test('the app opens with the network cut once the service worker has cached it', async () => {
  const { page, context } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  try {
    await page.reload();
    // The heading comes with the first screen's chunk, from the cache: wait for it, do not sample it.
    await page.getByRole('heading', { name: '法治台账' }).waitFor({ timeout: 15_000 });
    const api = await page.evaluate(async () => {
      try {
        const r = await fetch('/api/health');
        return `status ${r.status}`;
      } catch {
        return 'network error';
      }
    });
    // /api/ must never be answered from the shell cache.
    expect(api).toBe('network error');
  } finally {
    await context.setOffline(false);
  }
});

test('the probes and metrics are never answered by the service worker: the server answers, or nothing does', async () => {
  const { page, context } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  for (const probe of ['/healthz', '/readyz']) {
    const res = await page.goto(`${server.url}${probe}`);
    expect(res?.fromServiceWorker()).toBe(false);
    expect(res?.status()).toBe(200);
    expect(JSON.parse((await page.textContent('body')) ?? '')).toEqual({ ok: true });
  }
  // The browser runs on the server's host: /metrics answers it from loopback, not the shell.
  const metrics = await page.goto(`${server.url}/metrics`);
  expect(metrics?.fromServiceWorker()).toBe(false);
  expect(await page.textContent('body')).toContain('# TYPE taizhang_http_requests_total counter');
  await page.goto(server.url);
  await context.setOffline(true);
  try {
    // Offline, a shell page would look like a live server to whoever opened the probe.
    await expect(page.goto(`${server.url}/readyz`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED|net::/);
  } finally {
    await context.setOffline(false);
  }
});
