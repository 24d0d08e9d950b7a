// @vitest-environment happy-dom
import { beforeEach, expect, test } from 'vitest';
import { recordSyncState } from '../../../../src/app/components/RecordState.tsx';
import { runSummary } from '../../../../src/app/screens/SyncLog/SyncLog.tsx';
import { clearSyncLog, entryOf, lastSuccessAt, noteRun, syncLog, uploadedAt } from '../../../../src/app/sync/log.ts';
import type { RunReport } from '../../../../src/app/sync/sender.ts';

const report = (patch: Partial<RunReport> = {}): RunReport => ({
  partial: false,
  uploadedBlobs: 0,
  refusedBlobs: [],
  acked: 0,
  ackedSubjects: [],
  rejected: 0,
  pulled: 0,
  startedOver: false,
  reoffered: 0,
  clockSkewed: false,
  ...patch,
});

beforeEach(() => clearSyncLog());

test('a run is logged in plain Chinese, newest first, and survives a reload of the page', () => {
  noteRun(report({ acked: 3, ackedSubjects: ['case-1', 'sweep-1'], pulled: 12, uploadedBlobs: 1 }), 'button', 1_000);
  noteRun(report({ failure: { kind: 'server_error', status: 502 } }), 'timer', 2_000);
  expect(syncLog.value.map((e) => [e.trigger, e.ok])).toEqual([
    ['timer', false],
    ['button', true],
  ]);
  expect(syncLog.value[0]!.failure).toBe('服务器出错（502），稍后自动重试');
  expect(runSummary(syncLog.value[1]!)).toBe('上传 3 条，收到 12 条，照片 1 张');
  expect(JSON.parse(localStorage.getItem('taizhang.syncLog')!)).toHaveLength(2);
  // Each record remembers when the server took it.
  expect(uploadedAt('case-1')).toBe(1_000);
  expect(uploadedAt('other')).toBeUndefined();
  clearSyncLog();
  expect(syncLog.value).toEqual([]);
  expect(uploadedAt('case-1')).toBeUndefined();
});

test('a partial answer is not a success', () => {
  expect(entryOf(report({ partial: true, acked: 1 }), 'recorded', 5)).toMatchObject({ ok: false, failure: expect.stringContaining('下次再传') });
});

test('a run after a restore on the server says so, with how many of its records the phone offered again', () => {
  noteRun(report({ startedOver: true, reoffered: 40, acked: 40, pulled: 75 }), 'button', 3_000);
  expect(runSummary(syncLog.value[0]!)).toBe('服务器数据已恢复，本机记录重新提交 40 条，上传 40 条，收到 75 条');
  noteRun(report({ acked: 1 }), 'timer', 4_000);
  expect(syncLog.value[0]!.reoffered).toBeUndefined();
});

test("each record's own state: 草稿 / 待上传 / 未通过 / 已上传", () => {
  expect(recordSyncState(undefined, true)).toBe('draft');
  expect(recordSyncState({ pending: true })).toBe('pending');
  expect(recordSyncState({ pending: true, rejected: true })).toBe('rejected');
  expect(recordSyncState({ pending: false })).toBe('uploaded');
});

test('the last success is the newest run that went through, across reloads; none on a wiped phone', () => {
  expect(lastSuccessAt()).toBeUndefined();
  noteRun(report({ acked: 1 }), 'button', 1_000);
  noteRun(report({ failure: { kind: 'offline' } }), 'timer', 2_000);
  expect(lastSuccessAt()).toBe(1_000);
  clearSyncLog();
  expect(lastSuccessAt()).toBeUndefined();
});
