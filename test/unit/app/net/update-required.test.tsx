// @vitest-environment happy-dom
// The prompt the header shows once the server said this app is too old to sync.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, test } from 'vitest';
import { CLIENT_OUTDATED_MESSAGE } from '#shared/api/version';
import { OkAnswer } from '#shared/api/errors';
import { UpdateRequired } from '../../../../src/app/components/UpdateRequired.tsx';
import { requestJson } from '../../../../src/app/net/http.ts';
import { updateRequired } from '../../../../src/app/net/update.ts';
import { updateWaiting } from '../../../../src/app/pwa/service-worker.ts';
import { json } from '../sync/fakes.ts';

const host = () => document.body.querySelector('#host') ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'host' }));
afterEach(() => {
  render(null, host());
  updateRequired.value = false;
  updateWaiting.value = false;
});

test('nothing shows while the server serves this build; a client_outdated answer brings up the update prompt', async () => {
  void act(() => render(<UpdateRequired />, host()));
  expect(host().querySelector('[role=alert]')).toBeNull();
  await act(async () => {
    await requestJson('/api/sync/push', { method: 'POST' }, OkAnswer, {
      fetch: async () => json({ error: { code: 'client_outdated', message: CLIENT_OUTDATED_MESSAGE } }, 426),
    });
  });
  const alert = host().querySelector('[role=alert]');
  expect(alert?.textContent).toContain('应用版本过旧，请更新后再同步');
  expect(alert?.querySelector('button')?.textContent).toBe('重新加载');
  void act(() => {
    updateWaiting.value = true;
  });
  expect(host().querySelector('[role=alert] button')?.textContent).toBe('立即更新');
});
