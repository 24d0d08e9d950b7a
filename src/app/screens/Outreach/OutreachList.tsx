// 普法: the outreach activities on this phone, newest first, with their photos' thumbnails,
// a page at a time.
import { mayRecordAnywhere } from '../../session/may-record.ts';
import { useState } from 'preact/hooks';
import { labelOf, OUTREACH_FORMS } from '#shared/codes';
import type { OutreachState } from '#shared/fold/index';
import { Saved } from '../../components/fields.tsx';
import { ShowMore, usePaged } from '../../components/ShowMore.tsx';
import { takeFlash } from '../../components/flash.ts';
import { Thumb } from '../../components/Thumb.tsx';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { orgUnitLabel } from '../../session/index.ts';
import { getBlob, listRecords } from '../../storage/index.ts';
import { dateTimeOf } from '../../format.ts';
import { RecordState } from '../../components/RecordState.tsx';

function FirstPhoto(props: { sha256: string; alt: string }) {
  const { data } = useStorageQuery(() => getBlob(props.sha256), [props.sha256]);
  return <Thumb blob={data?.thumb ?? data?.blob} alt={props.alt} />;
}

export function OutreachList() {
  const [flash] = useState(takeFlash);
  const { data } = useStorageQuery(() => listRecords('outreach'), []);
  const items = (data ?? [])
    .map((r) => ({ r, s: r.state as OutreachState }))
    .sort((a, b) => Date.parse(b.s.occurredAt ?? b.s.lastEventAt) - Date.parse(a.s.occurredAt ?? a.s.lastEventAt));
  const page = usePaged(items, 30);
  const total = items.filter((x) => !x.s.voided).reduce((sum, x) => sum + (x.s.record?.audience ?? 0), 0);
  return (
    <section>
      <Saved show={flash !== undefined}>{flash}</Saved>
      {mayRecordAnywhere() && (
        <a class="button primary block" href="/outreach/new">
          登记普法活动
        </a>
      )}
      <p class="muted" role="status">
        共 {items.filter((x) => !x.s.voided).length} 场，{total} 人次
      </p>
      <ul class="record-list">
        {page.shown.map(({ r, s }) => {
          const photos = s.record?.photos ?? [];
          return (
            <li key={r.subjectId} class={`outreach-item${s.voided ? ' voided' : ''}`}>
              {photos[0] && <FirstPhoto sha256={photos[0].sha256} alt={`${s.record?.title ?? ''} 照片`} />}
              <a href={`/outreach/${r.subjectId}`}>
                <strong>{s.record?.title ?? '（尚未同步）'}</strong>
                <RecordState record={r} />
                {s.voided && <span class="tag">已作废</span>}
                <div class="muted">
                  {dateTimeOf(s.occurredAt)} · {orgUnitLabel(s.orgUnitId)}
                </div>
                <div>
                  {labelOf(OUTREACH_FORMS, s.record?.form)} · {s.record?.audience ?? 0} 人次 · 照片 {photos.length} 张
                </div>
              </a>
            </li>
          );
        })}
      </ul>
      <ShowMore remaining={page.remaining} unit="场" onMore={page.more} />
      {data && items.length === 0 && <p class="muted">本机还没有普法活动</p>}
    </section>
  );
}
