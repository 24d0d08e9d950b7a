// The service worker: precaches the app shell so that the app opens with no network, and
// answers navigations with the shell. It never answers /api/: a stale shell page where the
// client expects JSON would look like success. A new version waits until the user taps
// "有新版本，点击更新"; only that message makes it take over.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { clientsClaim } from 'workbox-core';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

// The first install takes the open page at once; later versions wait for the user (below).
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// Nor the probes and metrics: a balancer or an admin opening /readyz must see the server's answer, not the shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api(\/|$)/, /^\/(healthz|readyz|metrics)$/] }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Background Sync: wake any open page to run its sender; the sender itself lives in the page.
self.addEventListener('sync', (event) => {
  const e = event as ExtendableEvent & { tag?: string };
  if (e.tag !== 'taizhang-outbox') return;
  e.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((clients) => {
      for (const c of clients) c.postMessage({ type: 'SYNC_NOW' });
    }),
  );
});
