// @vitest-environment happy-dom
// lazyPart: the fallback until the chunk has loaded, then the part; preloaded, the part shows
// in the first render (the PIN screen the moment the phone locks).
import { render } from 'preact';
import { expect, test } from 'vitest';
import { lazyPart } from '../../../../src/app/components/lazy-part.tsx';
import { waitUntil } from '../screens/support/screen.ts';

const Part = (props: { text: string }) => <p>{props.text}</p>;

test('renders the fallback until the part has loaded, then the part', async () => {
  const host = document.body.appendChild(document.createElement('div'));
  const Lazy = lazyPart(
    () => Promise.resolve(Part),
    () => <p>正在打开</p>,
  );
  render(<Lazy text="解锁" />, host);
  expect(host.textContent).toBe('正在打开');
  await waitUntil(() => host.textContent === '解锁', 'the part');
  render(null, host);
});

test('preloaded, the part shows in its first render; a failed load is tried again', async () => {
  const host = document.body.appendChild(document.createElement('div'));
  let calls = 0;
  const Lazy = lazyPart(
    () => (++calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(Part)),
    () => <p>正在打开</p>,
  );
  await expect(Lazy.preload()).rejects.toThrow('offline');
  await Lazy.preload();
  render(<Lazy text="解锁" />, host);
  expect(host.textContent).toBe('解锁');
  expect(calls).toBe(2);
  render(null, host);
});
