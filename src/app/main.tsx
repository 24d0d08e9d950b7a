import { render } from 'preact';
import { App } from './App.tsx';
import { registerServiceWorker } from './pwa/service-worker.ts';
import './styles/global.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
