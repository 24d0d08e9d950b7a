// 普法活动详情: the activity as corrected so far, its photos, and the two actions: 更正 (the
// figures and words; the statistics take the latest values) and 作废 (counts nowhere after).
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { AUDIENCE_TYPES, CAMPAIGN_NODES, OUTREACH_FORMS, OUTREACH_THEMES, labelOf } from '#shared/codes';
import type { OutreachState } from '#shared/fold/index';
import { NumberField, Saved, TextField } from '../../components/fields.tsx';
import { PhotoGallery } from '../../photos/PhotoGallery.tsx';
import { locationText } from '../../photos/location.ts';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { orgUnitLabel } from '../../session/index.ts';
import { getRecord } from '../../storage/index.ts';
import { dateTimeOf, occurredAtOf, parseCount, todayLocal } from '../../format.ts';
import type { Built } from '../../hooks/use-save-form.ts';
import { ActionForm } from '../../forms/ActionForm.tsx';
import { RecordState } from '../../components/RecordState.tsx';

type Action = 'update' | 'void';

function UpdateForm(props: { state: OutreachState; onDone: (m: string) => void; onCancel: () => void }) {
  const { state } = props;
  const r = state.record;
  type V = { title: string; audience: string; materials: string; consultations: string; place: string; note: string };
  const str = (n: number | undefined) => (n === undefined ? '' : String(n));
  const initial = (): V => ({
    title: r?.title ?? '',
    audience: str(r?.audience),
    materials: str(r?.materials),
    consultations: str(r?.consultations),
    place: r?.place ?? '',
    note: r?.note ?? '',
  });
  return (
    <ActionForm<V>
      draftKey={`outreach:${state.subjectId}:update`}
      form="outreach.updated"
      title="更正"
      submitLabel="保存更正"
      initial={initial}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        const before = initial();
        const changes: Record<string, unknown> = {};
        if (v.title !== before.title) changes.title = v.title;
        for (const k of ['audience', 'materials', 'consultations'] as const) {
          if (v[k] === before[k]) continue;
          const n = parseCount(v[k]);
          if (n === undefined || Number.isNaN(n)) errors[k] = '应为整数';
          else changes[k] = n;
        }
        if (v.place !== before.place) changes.place = v.place.trim();
        if (v.note !== before.note) changes.note = v.note.trim();
        if (Object.keys(changes).length === 0 && Object.keys(errors).length === 0) errors._ = '没有修改任何内容';
        return {
          events: [
            { type: 'outreach.updated', subjectId: state.subjectId, orgUnitId: state.orgUnitId, occurredAt: occurredAtOf(todayLocal()), data: { changes } },
          ],
          errors,
        };
      }}
      render={(d, errors) => {
        const e = (k: string) => errors[k] ?? errors[`changes.${k}`];
        return (
          <>
            <TextField label="活动名称" value={d.values.title} onInput={(title) => d.set({ title })} error={e('title')} required />
            <NumberField label="受众人次" value={d.values.audience} onInput={(audience) => d.set({ audience })} error={e('audience')} required />
            <div class="row">
              <NumberField label="发放资料（份）" value={d.values.materials} onInput={(materials) => d.set({ materials })} error={e('materials')} />
              <NumberField
                label="解答咨询（人次）"
                value={d.values.consultations}
                onInput={(consultations) => d.set({ consultations })}
                error={e('consultations')}
              />
            </div>
            <TextField label="具体地点" value={d.values.place} onInput={(place) => d.set({ place })} error={e('place')} />
            <TextField label="活动小结" multiline value={d.values.note} onInput={(note) => d.set({ note })} error={e('note')} />
          </>
        );
      }}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}

function VoidForm(props: { state: OutreachState; onDone: (m: string) => void; onCancel: () => void }) {
  const { state } = props;
  return (
    <ActionForm<{ reason: string }>
      draftKey={`outreach:${state.subjectId}:void`}
      form="outreach.voided"
      title="作废"
      submitLabel="确认作废"
      initial={() => ({ reason: '' })}
      build={(v): Built => ({
        events: [
          {
            type: 'outreach.voided',
            subjectId: state.subjectId,
            orgUnitId: state.orgUnitId,
            occurredAt: occurredAtOf(todayLocal()),
            data: { reason: v.reason },
          },
        ],
        errors: v.reason.trim() ? {} : { reason: '请填写作废原因' },
      })}
      render={(d, errors) => (
        <>
          <p class="note">作废后该活动不再计入场次和人次，记录仍会保留。</p>
          <TextField label="作废原因" multiline value={d.values.reason} onInput={(reason) => d.set({ reason })} error={errors.reason} required />
        </>
      )}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}

export function OutreachDetail() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { data: record } = useStorageQuery(async () => (await getRecord(id)) ?? null, [id]);
  const [action, setAction] = useState<Action | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  if (record === undefined) return <p class="muted">正在读取…</p>;
  if (record === null || record.state.kind !== 'outreach') return <p class="form-error">本机没有这个普法活动</p>;
  const s = record.state;
  const r = s.record;
  const done = (m: string) => {
    setAction(undefined);
    setMessage(m);
  };
  return (
    <section>
      <Saved show={message !== undefined}>{message}</Saved>
      <h2>{r?.title ?? '（尚未同步）'}</h2>
      <p>
        {s.voided ? <strong class="status">已作废：{s.voided.reason}</strong> : <span class="status">有效</span>}
        <RecordState record={record} withTime />
        {s.conflicts.length > 0 && <span class="tag error">有人同时修改，请核对</span>}
      </p>
      {r && (
        <dl class="facts">
          <dt>时间</dt>
          <dd>{dateTimeOf(s.occurredAt)}</dd>
          <dt>地点</dt>
          <dd>
            {orgUnitLabel(s.orgUnitId)}
            {r.place && ` · ${r.place}`}
          </dd>
          {r.location && (
            <>
              <dt>现场位置</dt>
              <dd>
                {locationText(r.location)}，{dateTimeOf(r.location.at)}
              </dd>
            </>
          )}
          <dt>宣传形式</dt>
          <dd>{labelOf(OUTREACH_FORMS, r.form)}</dd>
          {r.themes && r.themes.length > 0 && (
            <>
              <dt>宣传主题</dt>
              <dd>{r.themes.map((t) => labelOf(OUTREACH_THEMES, t)).join('、')}</dd>
            </>
          )}
          {r.campaign && (
            <>
              <dt>宣传节点</dt>
              <dd>{labelOf(CAMPAIGN_NODES, r.campaign)}</dd>
            </>
          )}
          <dt>受众</dt>
          <dd>
            {r.audience} 人次{r.audienceType && `（${labelOf(AUDIENCE_TYPES, r.audienceType)}）`}
          </dd>
          {r.materials !== undefined && (
            <>
              <dt>发放资料</dt>
              <dd>{r.materials} 份</dd>
            </>
          )}
          {r.consultations !== undefined && (
            <>
              <dt>解答咨询</dt>
              <dd>{r.consultations} 人次</dd>
            </>
          )}
          {r.speakers && (
            <>
              <dt>主讲人</dt>
              <dd>{r.speakers.join('、')}</dd>
            </>
          )}
          {r.note && (
            <>
              <dt>活动小结</dt>
              <dd class="pre">{r.note}</dd>
            </>
          )}
        </dl>
      )}
      <PhotoGallery photos={r?.photos ?? []} label="现场照片" />
      {!s.voided && (
        <div class="actions" role="group" aria-label="活动操作">
          {(['update', 'void'] as const).map((a) => (
            <button
              key={a}
              type="button"
              class={action === a ? 'primary' : 'secondary'}
              aria-expanded={action === a}
              onClick={() => setAction(action === a ? undefined : a)}
            >
              {a === 'update' ? '更正' : '作废'}
            </button>
          ))}
        </div>
      )}
      {action === 'update' && <UpdateForm state={s} onDone={done} onCancel={() => setAction(undefined)} />}
      {action === 'void' && <VoidForm state={s} onDone={done} onCancel={() => setAction(undefined)} />}
    </section>
  );
}
