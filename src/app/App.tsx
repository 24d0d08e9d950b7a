import { updateWaiting, applyUpdate, offlineReady } from './pwa/service-worker.ts';

export function App() {
  return (
    <main>
      <h1>法治台账</h1>
      {offlineReady.value && <p role="status">可离线使用</p>}
      {updateWaiting.value && (
        <button type="button" onClick={() => void applyUpdate()}>
          有新版本，点击更新
        </button>
      )}
    </main>
  );
}
