import { render } from 'preact';
import { App } from './App.tsx';
import { registerServiceWorker } from './pwa/service-worker.ts';
import { listenToOtherTabs, rebuildRecordsIfStale, requestPersistence } from './storage/index.ts';
import './styles/global.css';
import './styles/app.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
// Records written by an older fold are rebuilt before lists are trusted; failures only leave
// the old records in place, so they must not stop the app.
void rebuildRecordsIfStale().catch(() => undefined);
void requestPersistence().catch(() => undefined);
listenToOtherTabs();
