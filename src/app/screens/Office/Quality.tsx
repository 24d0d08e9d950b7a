// 数据质量: what to chase before the figures are reported, for the dashboard's period, each list
// folded open on demand, each item opening its record, long lists shown in part with a way to all.
import { useEffect, useState } from 'preact/hooks';
import { describeFailure, type OfficeApi, type QualityAnswer } from './api.ts';
import { dateOf } from '../../format.ts';

type ListKey = Exclude<keyof QualityAnswer, 'silentDevices' | 'period'>;
type Item = QualityAnswer[ListKey][number];

const LISTS: { key: ListKey; opens: 'cases' | 'outreach'; title: string; hint: string }[] = [
  {
    key: 'overdueCases',
    opens: 'cases',
    title: '超过 30 天未结的案件',
    hint: '《人民调解工作若干规定》：一般在一个月内调结。含本期以前受理、至今未结的案件。',
  },
  {
    key: 'followupsDue',
    opens: 'cases',
    title: '应回访未回访的案件',
    hint: '调解成功并达成协议，结案满 7 天或超过履行期限仍无回访记录（按结案日期归入本期）。',
  },
  { key: 'resolvedWithoutAgreement', opens: 'cases', title: '调解成功但未记录协议形式', hint: '化解案件应记录书面或口头协议。' },
  { key: 'outreachWithoutPhotos', opens: 'outreach', title: '没有现场照片的普法活动', hint: '活动应有现场留痕。' },
  {
    key: 'audienceOutliers',
    opens: 'outreach',
    title: '参与人次异常的普法活动',
    hint: '村、网格单场超过 1500 人次或全镇单场超过 5000 人次，请核实是否录入有误。',
  },
];

/** A long list shows its first rows and says so, with the rest one click away. */
const SHOWN_FIRST = 50;

function QualityList(props: { items: Item[]; opens: 'cases' | 'outreach' }) {
  const [all, setAll] = useState(false);
  const shown = all ? props.items : props.items.slice(0, SHOWN_FIRST);
  return (
    <>
      <ul>
        {shown.map((i) => (
          <li key={i.subjectId}>
            <a href={`/${props.opens}/${encodeURIComponent(i.subjectId)}`}>
              {i.date} · {i.orgUnitName} · {i.what}
            </a>
          </li>
        ))}
      </ul>
      {shown.length < props.items.length && (
        <p>
          共 {props.items.length} 条，显示前 {shown.length} 条
          <button type="button" class="inline" onClick={() => setAll(true)}>
            显示全部 {props.items.length} 条
          </button>
        </p>
      )}
    </>
  );
}

export function Quality(props: { api: OfficeApi; query: string }) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: QualityAnswer }>({
    status: 'loading',
  });
  useEffect(() => {
    let live = true;
    void props.api
      .quality(props.query)
      .then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [props.query]);
  if (state.status === 'loading') return <p class="muted">正在检查数据质量…</p>;
  if (state.status === 'error') return <p role="alert">数据质量检查失败：{state.message}</p>;
  const q = state.value;
  return (
    <div class="quality">
      {q.period && <p class="muted">统计期：{q.period}</p>}
      {LISTS.map((l) => (
        <details key={l.key}>
          <summary>
            {l.title}：<strong data-testid={`quality-${l.key}`}>{q[l.key].length}</strong>
          </summary>
          <p class="figure-definition">{l.hint}</p>
          <QualityList items={q[l.key]} opens={l.opens} />
        </details>
      ))}
      <details>
        <summary>
          7 天以上未同步的设备：<strong>{q.silentDevices.length}</strong>
        </summary>
        <ul>
          {q.silentDevices.map((d) => (
            <li key={`${d.deviceId}-${d.userId}`}>
              {d.deviceId} · 最近同步 {d.lastSeenAt ? dateOf(d.lastSeenAt) : '从未'}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
