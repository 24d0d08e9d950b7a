// @vitest-environment happy-dom
// 退出登录 wipes the phone and the next login needs the network, so it is never one tap: with
// nothing unsent it asks first (a slip in a village without signal would leave the worker
// without the app), with records unsent it names them and offers their export.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AccountPanel } from '../../../../src/app/session/AccountPanel.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { recordEvents } from '../../../../src/app/storage/index.ts';
import { useScreenHost, waitUntil } from '../screens/support/screen.ts';

let host: HTMLElement;
useScreenHost((h) => (host = h));

beforeEach(() => {
  session.value = {
    token: 't',
    user: { id: 'u', username: 'wg', displayName: '王网格', roles: [{ role: 'grid_worker', orgUnitId: 'grid-1' }] },
    orgUnits: [{ id: 'grid-1', parentId: null, kind: 'grid', name: '第一网格' }],
    expiresAt: Date.now() + 1e9,
  };
});
afterEach(() => {
  session.value = null;
});

const button = (name: string) => [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
const until = (check: () => boolean, what: string) => waitUntil(check, what, () => host.textContent ?? '');

test('with nothing unsent, the first tap asks; 取消 keeps the session', async () => {
  render(<AccountPanel />, host);
  await act(() => button('退出登录')!.click());
  await until(() => button('确定退出') !== undefined, 'the question');
  expect(host.querySelector('[role=alert]')?.textContent).toContain('再次登录需要联网');
  expect(session.value).not.toBeNull();
  await act(() => button('取消')!.click());
  expect(button('退出登录')).toBeDefined();
  expect(session.value).not.toBeNull();
});

test('with a record unsent, the first tap names it and offers its export instead', async () => {
  await recordEvents([
    {
      type: 'sweep.recorded',
      subjectId: '0193a000-0000-7000-8000-000000000001',
      orgUnitId: 'grid-1',
      occurredAt: '2024-05-01T10:00:00+08:00',
      data: { households: 3, disputesFound: 0 },
    },
  ]);
  render(<AccountPanel />, host);
  await act(() => button('退出登录')!.click());
  await until(() => button('仍然退出并清除本机数据') !== undefined, 'the warning');
  expect(host.querySelector('[role=alert]')?.textContent).toContain('本机还有 1 条记录没有上传');
  expect(button('导出未上传数据')).toBeDefined();
  expect(button('确定退出')).toBeUndefined();
  expect(session.value).not.toBeNull();
});

test('关于本机 (the version phone support asks for) is found where the account is', () => {
  render(<AccountPanel />, host);
  expect([...host.querySelectorAll('a')].find((a) => a.textContent === '关于本机（版本、存储）')?.getAttribute('href')).toBe('/about');
});
