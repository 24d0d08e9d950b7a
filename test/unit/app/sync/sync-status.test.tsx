// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { SyncState } from '../../../../src/app/sync/engine.ts';
import { countRecords, headerText, retryText } from '../../../../src/app/sync/format.ts';
import { SyncStatusView, type SyncStatusViewProps } from '../../../../src/app/sync/SyncStatusView.tsx';

const NOW = Date.parse('2025-03-01T08:00:00Z');
const base: SyncState = { running: false, failures: 0, clockSkewed: false, refusedBlobs: 0 };

describe('the header line', () => {
  test.each([
    [{ ...base, running: true }, 3, true, '正在同步…'],
    [base, 7, true, '7 条待上传'],
    [base, 2, false, '离线 · 2 条待上传'],
    // The phone has network, the server did not answer: said so, not 离线 (a worker with full signal bars would doubt the phone).
    [{ ...base, lastFailure: { kind: 'offline' as const } }, 0, true, '连不上服务器'],
    [{ ...base, lastFailure: { kind: 'timeout' as const } }, 2, true, '网络太慢 · 2 条待上传'],
    [{ ...base, lastSyncedAt: NOW - 10_000 }, 0, true, '已同步 · 刚刚'],
    [{ ...base, lastSyncedAt: NOW - 5 * 60_000 }, 0, true, '已同步 · 5 分钟前'],
    [{ ...base, lastSyncedAt: NOW - 3 * 3_600_000 }, 0, true, '已同步 · 3 小时前'],
    [base, 0, true, '尚未同步'],
    [
      { ...base, failures: 2, lastFailure: { kind: 'server_error' as const, status: 502 }, nextAttemptAt: NOW + 29_200 },
      3,
      true,
      '3 条待上传 · 约 30 秒后重试',
    ],
    [{ ...base, failures: 3, lastFailure: { kind: 'offline' as const }, nextAttemptAt: NOW + 4_000 }, 1, true, '连不上服务器 · 1 条待上传 · 约 4 秒后重试'],
    // The browser says there is no network: nothing is tried until it returns, so no time is promised.
    [{ ...base, failures: 3, lastFailure: { kind: 'offline' as const }, nextAttemptAt: NOW + 4_000 }, 1, false, '离线 · 1 条待上传'],
  ])('%o with %i pending, online %s → %s', (state, pending, online, text) => {
    expect(headerText({ state, pending, online, now: NOW })).toBe(text);
  });
});

describe('the next try', () => {
  test('beyond a minute it is a local clock time', () => {
    const at = NOW + 8 * 60_000;
    const local = new Date(at);
    const hhmm = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    expect(retryText({ ...base, failures: 6, nextAttemptAt: at }, NOW)).toBe(`下次尝试 ${hhmm}`);
    expect(retryText({ ...base, failures: 0, nextAttemptAt: at }, NOW)).toBeUndefined();
    expect(retryText({ ...base, failures: 6, nextAttemptAt: at, running: true }, NOW)).toBeUndefined();
  });

  test('the header counts records, not their events', () => {
    const entry = (subjectId: string, status: 'pending' | 'rejected') => ({ status, event: { subjectId } });
    // One case registered with two sessions, a sweep, and a refused outreach.
    const entries = [
      entry('case-1', 'pending'),
      entry('case-1', 'pending'),
      entry('case-1', 'pending'),
      entry('sweep-1', 'pending'),
      entry('outreach-1', 'rejected'),
    ];
    expect(countRecords(entries)).toEqual({ pending: 2, rejected: 1 });
  });
});

describe('SyncStatusView', () => {
  const host = () => document.body.querySelector('#host') ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'host' }));
  afterEach(() => render(null, host()));

  function show(overrides: Partial<SyncStatusViewProps> = {}) {
    const props: SyncStatusViewProps = {
      state: base,
      pending: 0,
      rejected: 0,
      online: true,
      now: NOW,
      onSyncNow: vi.fn(),
      onExport: vi.fn(async () => undefined),
      loadRejected: vi.fn(async () => []),
      onRetry: vi.fn(async () => undefined),
      ...overrides,
    };
    void act(() => render(<SyncStatusView {...props} />, host()));
    return props;
  }
  const button = (name: string) => [...host().querySelectorAll('button')].find((b) => b.textContent?.trim() === name);

  test('立即同步 asks for a run', () => {
    const props = show({ pending: 4 });
    expect(host().querySelector('[role=status]')?.textContent).toBe('4 条待上传');
    void act(() => button('立即同步')!.click());
    expect(props.onSyncNow).toHaveBeenCalledOnce();
  });

  test('立即同步 without a network says why nothing moves (and still asks, for when it comes back)', () => {
    const props = show({ pending: 2, online: false });
    expect(host().textContent).not.toContain('现在没有网络');
    void act(() => button('立即同步')!.click());
    expect(props.onSyncNow).toHaveBeenCalledOnce();
    expect(host().querySelector('.sync-offline-note')?.textContent).toBe('现在没有网络，记录都已保存在本机，联网后会自动上传。');
    // Back online the note goes: the header says what happens next.
    show({ pending: 2, online: true });
    expect(host().querySelector('.sync-offline-note')).toBeNull();
  });

  test('rejected records list their Chinese reasons and can be sent again', async () => {
    const entry = {
      id: 'e1',
      event: { type: 'case.opened', subjectId: 's1', orgUnitId: 'g1', occurredAt: '2025-02-27T10:00:00+08:00' },
      error: { code: 'forbidden_org_unit', message: '不能在这个网格登记' },
    };
    const props = show({ rejected: 1, loadRejected: vi.fn(async () => [entry]), describeOrgUnit: () => '江口村 / 第一网格' });
    await act(async () => button('1 条未通过')!.click());
    const text = host().textContent ?? '';
    expect(text).toContain('登记案件');
    expect(text).toContain('原因：不能在这个网格登记');
    expect(text).toContain('江口村 / 第一网格');
    await act(async () => button('重新上传')!.click());
    expect(props.onRetry).toHaveBeenCalledWith('e1');
  });

  test('a clock off by more than a day is a visible warning', () => {
    show({ state: { ...base, clockSkewed: true, clockSkewMs: 2 * 86_400_000 } });
    expect(host().querySelector('[role=alert]')?.textContent).toContain('手机时间比服务器慢约 2 天');
  });

  test('the details panel offers the export of unsent data', async () => {
    const props = show({ pending: 2, state: { ...base, lastFailure: { kind: 'server_error', status: 500 } } });
    void act(() => (host().querySelector('.sync-text') as HTMLButtonElement).click());
    expect(host().textContent).toContain('服务器出错（500）');
    await act(async () => button('导出未上传数据')!.click());
    expect(props.onExport).toHaveBeenCalledOnce();
  });
});
