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
  await page.reload();
  await expect(page.getByRole('heading', { name: '法治台账' }).isVisible()).resolves.toBe(true);
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
  await context.setOffline(false);
});
