import { render } from 'preact';
import { App } from './App.tsx';
import { registerServiceWorker } from './pwa/service-worker.ts';
import { listenToOtherTabs, rebuildRecordsIfStale, requestPersistence } from './storage/index.ts';
import './styles/global.css';
import './styles/app.css';

render(<App />, document.getElementById('app')!);
// Once the first screen has settled (idle after load), not competing with it: a page that
// cannot register still works online, and the next start tries again.
const register = () => void registerServiceWorker().catch(() => undefined);
const whenIdle = () => ('requestIdleCallback' in window ? requestIdleCallback(register, { timeout: 3000 }) : setTimeout(register, 0));
if (document.readyState === 'complete') whenIdle();
else window.addEventListener('load', whenIdle, { once: true });
// Records written by an older fold are rebuilt before lists are trusted; failures only leave
// the old records in place, so they must not stop the app.
void rebuildRecordsIfStale().catch(() => undefined);
void requestPersistence().catch(() => undefined);
listenToOtherTabs();
