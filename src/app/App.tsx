import { updateWaiting, applyUpdate, offlineReady } from './pwa/service-worker.ts';
import { SessionGate } from './session/index.ts';
import { SyncStatus } from './sync/SyncStatus.tsx';

export function App() {
  return (
    <SessionGate>
      <main>
        <h1>法治台账</h1>
        <SyncStatus />
        {offlineReady.value && <p role="status">可离线使用</p>}
        {updateWaiting.value && (
          <button type="button" onClick={() => void applyUpdate()}>
            有新版本，点击更新
          </button>
        )}
      </main>
    </SessionGate>
  );
}
