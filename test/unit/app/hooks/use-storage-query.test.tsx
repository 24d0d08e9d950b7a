// @vitest-environment happy-dom
// useStorageQuery follows committed writes, but with at most one run in flight: writes that
// commit while a run is out (a first pull commits page after page) get one more run once it is
// back, which shows the latest data, never a run per write.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, test } from 'vitest';
import { useStorageQuery } from '../../../../src/app/hooks/use-storage-query.ts';
import { notifyStorageChanged } from '../../../../src/app/storage/changes.ts';
import { useScreenHost, waitUntil } from '../screens/support/screen.ts';

let host: HTMLElement;
useScreenHost((h) => (host = h));

test('writes committed during a run are answered by one more run, with the latest data', async () => {
  let stored = 0;
  let runs = 0;
  const pending: (() => void)[] = [];
  // A query that answers only when the test lets it, with what storage holds by then.
  const query = () => {
    runs++;
    return new Promise<number>((resolve) => pending.push(() => resolve(stored)));
  };
  function Count() {
    const { data } = useStorageQuery(query, []);
    return <p>{data === undefined ? '读取中' : `共 ${data} 条`}</p>;
  }
  await act(() => render(<Count />, host));
  expect(runs).toBe(1);

  // Five pages commit while the first run is out.
  for (let i = 0; i < 5; i++) {
    stored++;
    await act(() => notifyStorageChanged());
  }
  expect(runs).toBe(1);
  await act(() => pending.shift()!());
  await waitUntil(() => runs === 2, 'the second run');
  await act(() => pending.shift()!());
  await waitUntil(() => host.textContent === '共 5 条', 'the latest count');
  expect(runs).toBe(2);

  // Idle again: the next write starts a run at once.
  stored++;
  await act(() => notifyStorageChanged());
  expect(runs).toBe(3);
  await act(() => pending.shift()!());
  await waitUntil(() => host.textContent === '共 6 条', 'the next count');
});
