// One record's own sync state, the same badge in every list and detail: 草稿 (a form not yet
// saved), 待上传, 未通过 (refused by the server, see the header), 已上传 (with the time the
// server received it, in a detail). Lists pass `withTime` false: one query per row is too many,
// and a row's badge reads nothing (the time is RecordUploadedAt, a lazy part).
import { lazyPart } from './lazy-part.tsx';
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

const UploadedAt = lazyPart(() => import('./RecordUploadedAt.tsx').then((m) => m.RecordUploadedAt));

export function RecordState(props: { record?: { subjectId: string; pending?: boolean; rejected?: boolean }; draft?: boolean; withTime?: boolean }) {
  const state = recordSyncState(props.record, props.draft);
  const subjectId = props.record?.subjectId;
  const { text, tone } = LABELS[state];
  return (
    <span class={`record-state ${tone}`} data-state={state}>
      {text}
      {props.withTime === true && state === 'uploaded' && subjectId !== undefined && <UploadedAt key={subjectId} subjectId={subjectId} />}
    </span>
  );
}
