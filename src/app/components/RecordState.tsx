// One record's own sync state, the same badge in every list and detail: 草稿 (a form not yet
// saved), 待上传, 未通过 (refused by the server, see the header), 已上传 (with the time the
// server received it, in a detail). Lists pass `withTime` false: one query per row is too many.
import { dateTimeOf } from '../format.ts';
import { useStorageQuery } from '../hooks/use-storage-query.ts';
import { getEvents } from '../storage/index.ts';
import { uploadedAt as uploadedHere } from '../sync/log.ts';
import './record-state.css';

type RecordSyncState = 'draft' | 'pending' | 'rejected' | 'uploaded';

export function recordSyncState(record: { pending?: boolean; rejected?: boolean } | undefined, draft = false): RecordSyncState {
  if (draft || !record) return 'draft';
  if (record.rejected) return 'rejected';
  if (record.pending) return 'pending';
  return 'uploaded';
}

const LABELS: Record<RecordSyncState, { text: string; tone: string }> = {
  draft: { text: '草稿', tone: 'tag' },
  pending: { text: '待上传', tone: 'tag warn' },
  rejected: { text: '未通过', tone: 'tag error' },
  uploaded: { text: '已上传', tone: 'tag ok' },
};

/** When the server took the record's latest event: as this phone saw it upload, else the server's receipt of a pulled one. */
async function uploadedAtOf(subjectId: string): Promise<string | null> {
  let latest = uploadedHere(subjectId) ?? Number.NEGATIVE_INFINITY;
  for (const e of (await getEvents(subjectId)) as { receivedAt?: string }[]) if (e.receivedAt) latest = Math.max(latest, Date.parse(e.receivedAt));
  return Number.isFinite(latest) ? new Date(latest).toISOString() : null;
}

export function RecordState(props: { record?: { subjectId: string; pending?: boolean; rejected?: boolean }; draft?: boolean; withTime?: boolean }) {
  const state = recordSyncState(props.record, props.draft);
  const subjectId = props.record?.subjectId;
  const wantTime = props.withTime === true && state === 'uploaded' && subjectId !== undefined;
  const { data: uploadedAt } = useStorageQuery(async () => (wantTime && subjectId ? uploadedAtOf(subjectId) : null), [wantTime, subjectId]);
  const { text, tone } = LABELS[state];
  return (
    <span class={`record-state ${tone}`} data-state={state}>
      {text}
      {wantTime && uploadedAt ? ` ${dateTimeOf(uploadedAt)}` : ''}
    </span>
  );
}
