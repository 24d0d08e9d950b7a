// The entry: small, so that it runs at once. It starts the first screen's reads from
// IndexedDB (first-screen.ts), then loads the app's start chunk (App.tsx: the session gate,
// the shell, the case form) and the chunk of the screen opened, in parallel with those reads.
// Every chunk is precached by the service worker, so each loads offline too.
import { render } from 'preact';
import { afterFirstScreen, startFirstScreen } from './first-screen.ts';
import { listenToOtherTabs } from './storage/changes.ts';
import './styles/global.css';
import './styles/app.css';

startFirstScreen(location.pathname, location.search);
// The lazy screens a phone most often starts on: fetched now, not after the app has rendered.
const startScreens: Record<string, () => Promise<unknown>> = {
  '/': () => import('./screens/Home/Home.tsx'),
  '/cases': () => import('./screens/CaseList/CaseList.tsx'),
};
startScreens[location.pathname]?.().catch(() => undefined);

const root = document.getElementById('app')!;
import('./App.tsx').then(
  ({ App }) => render(<App />, root),
  () => {
    root.textContent = '法治台账 打开失败，请关闭后重新打开';
  },
);
listenToOtherTabs();

// Once the first screen is shown, not competing with it: a page that cannot register the
// service worker still works online, and the next start tries again. Records written by an
// older fold are rebuilt then too (lists re-read after it); failures only leave the old
// records in place, so they must not stop the app.
void afterFirstScreen().then(async () => {
  const [{ registerServiceWorker }, { rebuildRecordsIfStale }, { requestPersistence }] = await Promise.all([
    import('./pwa/service-worker.ts'),
    import('./storage/records.ts'),
    import('./storage/device.ts'),
  ]);
  void registerServiceWorker().catch(() => undefined);
  void rebuildRecordsIfStale().catch(() => undefined);
  void requestPersistence().catch(() => undefined);
});
