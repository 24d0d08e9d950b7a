import { render } from 'preact';
import { App } from './App.tsx';
import { registerServiceWorker } from './pwa/service-worker.ts';
import { listenToOtherTabs, rebuildRecordsIfStale, requestPersistence } from './storage/index.ts';
import './styles/global.css';
import './styles/app.css';

render(<App />, document.getElementById('app')!);
// A page that cannot register still works online; the next start tries again.
void registerServiceWorker().catch(() => undefined);
// Records written by an older fold are rebuilt before lists are trusted; failures only leave
// the old records in place, so they must not stop the app.
void rebuildRecordsIfStale().catch(() => undefined);
void requestPersistence().catch(() => undefined);
listenToOtherTabs();
