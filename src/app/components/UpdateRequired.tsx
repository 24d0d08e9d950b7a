// The prompt shown when the server no longer serves this build (net/update.ts): sync has
// stopped until the new version is loaded; the button takes the waiting service worker, or
// reloads when none was found (no service worker, or it has not fetched the new one yet).
import { useEffect } from 'preact/hooks';
import { updateRequired } from '../net/update.ts';
import { applyUpdate, checkForUpdate, reloadForUpdate, updateWaiting } from '../pwa/service-worker.ts';

export function UpdateRequired() {
  const required = updateRequired.value;
  useEffect(() => {
    if (required) void checkForUpdate();
  }, [required]);
  if (!required) return null;
  const ready = updateWaiting.value;
  return (
    <div role="alert" class="update-required">
      <p>应用版本过旧，请更新后再同步（未上传的记录保留在本机）</p>
      <button type="button" class="update-banner" onClick={() => void (ready ? applyUpdate() : reloadForUpdate())}>
        {ready ? '立即更新' : '重新加载'}
      </button>
    </div>
  );
}
