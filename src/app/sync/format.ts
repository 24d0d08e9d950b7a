// Words for the sync header: how long ago, what went wrong (what an event was: #shared/codes).
import type { SyncState } from './engine.ts';
import { describeFailure } from '../net/http.ts';

export function formatSince(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return '刚刚';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} 分钟前`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} 小时前`;
  return `${Math.floor(hours / 24)} 天前`;
}

export interface HeaderInput {
  state: SyncState;
  pending: number;
  online: boolean;
  now: number;
}

/** The one line the header shows: 正在同步… / 离线 / N 条待上传 / 已同步 · 刚刚. */
export function headerText({ state, pending, online, now }: HeaderInput): string {
  if (state.running) return '正在同步…';
  const unreachable = !online || state.lastFailure?.kind === 'offline' || state.lastFailure?.kind === 'timeout';
  if (unreachable) return pending > 0 ? `离线 · ${pending} 条待上传` : '离线';
  if (pending > 0) return `${pending} 条待上传`;
  if (state.lastSyncedAt !== undefined) return `已同步 · ${formatSince(state.lastSyncedAt, now)}`;
  return '尚未同步';
}

/** What the details panel says about the last failure, if any. */
export function failureText(state: SyncState): string | undefined {
  return state.lastFailure ? describeFailure(state.lastFailure) : undefined;
}

/** "手机时间比服务器慢约 2 天" for a clock more than a day off. */
export function clockWarning(state: SyncState): string | undefined {
  if (!state.clockSkewed) return undefined;
  const days = state.clockSkewMs === undefined ? undefined : Math.round(Math.abs(state.clockSkewMs) / 86_400_000);
  const direction = state.clockSkewMs === undefined ? '不准' : state.clockSkewMs > 0 ? '比服务器慢' : '比服务器快';
  const amount = days ? `约 ${days} 天` : '';
  return `手机时间${direction}${amount}。请在手机“设置 → 日期和时间”里校准，否则记录的时间会不准。`;
}
