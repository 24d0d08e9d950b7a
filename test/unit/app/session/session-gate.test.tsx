// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { act } from 'preact/test-utils';
import { afterEach, expect, test, vi } from 'vitest';
import { SessionGate } from '../../../../src/app/session/SessionGate.tsx';
import { gate } from '../../../../src/app/session/state.ts';

const host = () => document.body.querySelector('#host') ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'host' }));
afterEach(() => {
  render(null, host());
  // The gate is module state: the next test waits for its own controller's answer, not this one's.
  gate.value = { status: 'loading' };
});

function Draft() {
  const [text, setText] = useState('');
  return <input aria-label="草稿" value={text} onInput={(e) => setText(e.currentTarget.value)} />;
}

test('without a session the login screen shows, not the screens', async () => {
  void act(() =>
    render(
      <SessionGate>
        <Draft />
      </SessionGate>,
      host(),
    ),
  );
  await act(async () => {
    await vi.waitFor(() => expect(gate.value.status).toBe('signed_out'));
  });
  // The login screen is a lazy chunk: it shows once loaded.
  await vi.waitFor(() => expect(host().textContent).toContain('登录'));
  expect(host().querySelector('input[aria-label=草稿]')).toBeNull();
});

test('locking hides the screens without unmounting them: what was typed is there after unlocking', async () => {
  void act(() =>
    render(
      <SessionGate>
        <Draft />
      </SessionGate>,
      host(),
    ),
  );
  await act(async () => {
    await vi.waitFor(() => expect(gate.value.status).toBe('signed_out'));
  });
  void act(() => {
    gate.value = { status: 'open' };
  });
  const input = host().querySelector('input[aria-label=草稿]') as HTMLInputElement;
  void act(() => {
    input.value = '调解经过写到一半';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  void act(() => {
    gate.value = { status: 'locked' };
  });
  await vi.waitFor(() => expect(host().textContent).toContain('输入 PIN 解锁'));
  expect((host().querySelector('.session-content') as HTMLElement).style.display).toBe('none');
  void act(() => {
    gate.value = { status: 'open' };
  });
  const after = host().querySelector('input[aria-label=草稿]') as HTMLInputElement;
  expect(after).toBe(input);
  expect(after.value).toBe('调解经过写到一半');
});
