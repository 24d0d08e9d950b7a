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

/** "约 30 秒后重试" within the minute, else "下次尝试 14:32" (the phone's local time); undefined when no retry waits. */
export function retryText(state: SyncState, now: number): string | undefined {
  if (state.running || state.failures === 0 || state.nextAttemptAt === undefined) return undefined;
  const seconds = Math.max(1, Math.ceil((state.nextAttemptAt - now) / 1000));
  if (seconds < 60) return `约 ${seconds} 秒后重试`;
  const at = new Date(state.nextAttemptAt);
  return `下次尝试 ${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/**
 * The one line the header shows: 正在同步… / 离线 / 连不上服务器 / N 条待上传 / 已同步 · 刚刚, and when
 * the next try is after a failure. 离线 only when the phone itself has no network: a phone with
 * full signal whose server is down (or whose answer never came) is told so, not sent to its settings.
 */
export function headerText({ state, pending, online, now }: HeaderInput): string {
  if (state.running) return '正在同步…';
  // Offline by the browser's word, nothing is tried until the network returns: no time to promise.
  if (!online) return pending > 0 ? `离线 · ${pending} 条待上传` : '离线';
  const unreachable = state.lastFailure?.kind === 'offline' ? '连不上服务器' : state.lastFailure?.kind === 'timeout' ? '网络太慢' : undefined;
  const retry = pending > 0 ? retryText(state, now) : undefined;
  const withRetry = (text: string) => (retry ? `${text} · ${retry}` : text);
  if (unreachable) return pending > 0 ? withRetry(`${unreachable} · ${pending} 条待上传`) : unreachable;
  if (pending > 0) return withRetry(`${pending} 条待上传`);
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

/** Distinct records among the outbox entries, per status. */
export function countRecords(entries: readonly { status: 'pending' | 'rejected'; event: { subjectId: string } }[]): { pending: number; rejected: number } {
  const pending = new Set<string>();
  const rejected = new Set<string>();
  for (const e of entries) (e.status === 'pending' ? pending : rejected).add(e.event.subjectId);
  return { pending: pending.size, rejected: rejected.size };
}
