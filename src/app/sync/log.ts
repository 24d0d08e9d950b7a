// The sync log: the last runs on this phone (when, what was sent and received, what went wrong,
// in plain Chinese), for the worker to show the office when records seem to be missing. Kept
// in localStorage (small, written once per run, read back through its schema).
import { signal } from '@preact/signals';
import * as v from 'valibot';
import { describeFailure } from '../net/http.ts';
import type { RunReport } from './sender.ts';
import type { SyncTrigger } from './engine.ts';

const SYNC_LOG_KEY = 'taizhang.syncLog';
const UPLOADED_KEY = 'taizhang.uploadedAt';
// Enough for a season's records on one phone; the oldest times are dropped first.
const UPLOADED_SIZE = 3_000;
const SYNC_LOG_SIZE = 50;

const SyncLogEntry = v.object({
  at: v.number(),
  trigger: v.string(),
  ok: v.boolean(),
  sent: v.number(),
  rejected: v.number(),
  received: v.number(),
  photos: v.number(),
  /** The server's log was restored or failed over: this many of the phone's own events were offered again. */
  reoffered: v.optional(v.number()),
  failure: v.optional(v.string()),
});
export type SyncLogEntry = v.InferOutput<typeof SyncLogEntry>;

const TRIGGERS: Record<SyncTrigger, string> = {
  start: '打开应用',
  online: '网络恢复',
  visible: '回到应用',
  timer: '自动',
  'background-sync': '后台唤醒',
  button: '点了立即同步',
  recorded: '新记录',
  'other-tab': '其他窗口',
  live: '服务器有新记录',
};

export function triggerLabel(trigger: string): string {
  return (TRIGGERS as Record<string, string>)[trigger] ?? trigger;
}

function read(): SyncLogEntry[] {
  try {
    const parsed = v.safeParse(v.array(SyncLogEntry), JSON.parse(localStorage.getItem(SYNC_LOG_KEY) ?? '[]'));
    return parsed.success ? parsed.output : [];
  } catch {
    return [];
  }
}

/** Newest first. */
export const syncLog = signal<SyncLogEntry[]>(typeof localStorage === 'undefined' ? [] : read());

/** When a run last went through on this phone (ms), as the log remembers it across starts. */
export function lastSuccessAt(): number | undefined {
  return syncLog.value.find((e) => e.ok)?.at;
}

/** The log entry of one run. */
export function entryOf(report: RunReport, trigger: SyncTrigger, at: number): SyncLogEntry {
  const failure = report.failure ? describeFailure(report.failure) : report.partial ? '服务器没有答复全部记录，其余的下次再传' : undefined;
  return {
    at,
    trigger,
    ok: failure === undefined,
    sent: report.acked,
    rejected: report.rejected,
    received: report.pulled,
    photos: report.uploadedBlobs,
    ...(report.startedOver ? { reoffered: report.reoffered } : {}),
    ...(failure ? { failure } : {}),
  };
}

function readUploaded(): Record<string, number> {
  try {
    const parsed = v.safeParse(v.record(v.string(), v.number()), JSON.parse(localStorage.getItem(UPLOADED_KEY) ?? '{}'));
    return parsed.success ? parsed.output : {};
  } catch {
    return {};
  }
}

/** When this phone last saw the server take one of the record's events (ms), if it did. */
export function uploadedAt(subjectId: string): number | undefined {
  return typeof localStorage === 'undefined' ? undefined : readUploaded()[subjectId];
}

function noteUploaded(subjectIds: readonly string[], at: number): void {
  if (subjectIds.length === 0) return;
  const all = readUploaded();
  for (const id of subjectIds) {
    // Re-inserted so that the object's key order is oldest first.
    delete all[id];
    all[id] = at;
  }
  const keys = Object.keys(all);
  for (const id of keys.slice(0, Math.max(0, keys.length - UPLOADED_SIZE))) delete all[id];
  try {
    localStorage.setItem(UPLOADED_KEY, JSON.stringify(all));
  } catch {
    // Storage refused: the badge then says 已上传 without the time.
  }
}

export function noteRun(report: RunReport, trigger: SyncTrigger, at: number): void {
  noteUploaded(report.ackedSubjects, at);
  const next = [entryOf(report, trigger, at), ...read()].slice(0, SYNC_LOG_SIZE);
  syncLog.value = next;
  try {
    localStorage.setItem(SYNC_LOG_KEY, JSON.stringify(next));
  } catch {
    // Storage refused (private mode, full): the log lives for this page only.
  }
}

/** Wiping the phone clears its log too. */
export function clearSyncLog(): void {
  syncLog.value = [];
  try {
    localStorage.removeItem(SYNC_LOG_KEY);
    localStorage.removeItem(UPLOADED_KEY);
  } catch {
    // Nothing to clear.
  }
}
