// The sync header, wired: the engine's state and the outbox counts. The Shell renders
// <SyncStatus> in the header and hands it the unit names, so that sync imports nothing from
// the session (which starts it).
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { SyncStatusView, type RejectedEntry } from './SyncStatusView.tsx';
import { downloadOutbox, listRejected, online, outboxCounts, resendRejected, syncEngine, syncNow } from './index.ts';

/** The screen where the user can look at (and correct) a refused record. */
function screenFor(entry: RejectedEntry): string | undefined {
  const kind = entry.event.type.slice(0, entry.event.type.indexOf('.'));
  if (kind === 'case') return `/cases/${entry.event.subjectId}`;
  if (kind === 'outreach') return '/outreach';
  if (kind === 'sweep') return '/sweep';
  return undefined;
}

export function SyncStatus(props: { describeOrgUnit: (id: string) => string; children?: ComponentChildren }) {
  const now = useSignal(Date.now());
  const state = syncEngine.state.value;
  const countingDown = state.failures > 0 && state.nextAttemptAt !== undefined;
  useEffect(() => {
    // "已同步 · 5 分钟前" must age while the screen is open; "约 30 秒后重试" counts down by the second.
    const timer = setInterval(() => (now.value = Date.now()), countingDown ? 1_000 : 30_000);
    return () => clearInterval(timer);
  }, [countingDown]);
  // A finished run changes the state; re-read the clock then too.
  const current = Math.max(now.value, state.lastSyncedAt ?? 0);

  return (
    <SyncStatusView
      state={state}
      pending={outboxCounts.value.pending}
      rejected={outboxCounts.value.rejected}
      online={online.value}
      now={current}
      onSyncNow={syncNow}
      onExport={downloadOutbox}
      loadRejected={listRejected}
      onRetry={resendRejected}
      describeOrgUnit={props.describeOrgUnit}
      linkFor={screenFor}
    >
      {props.children}
    </SyncStatusView>
  );
}
