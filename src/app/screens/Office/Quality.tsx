// 数据质量: what to chase before the figures are reported, each list folded open on demand.
import { useEffect, useState } from 'preact/hooks';
import { describeFailure, type OfficeApi, type QualityAnswer } from './api.ts';
import { dateOf } from '../../format.ts';

const LISTS: { key: Exclude<keyof QualityAnswer, 'silentDevices'>; title: string; hint: string }[] = [
  { key: 'overdueCases', title: '超过 30 天未结的案件', hint: '《人民调解工作若干规定》：一般在一个月内调结。' },
  { key: 'followupsDue', title: '应回访未回访的案件', hint: '调解成功并达成协议，结案满 7 天或超过履行期限仍无回访记录。' },
  { key: 'resolvedWithoutAgreement', title: '调解成功但未记录协议形式', hint: '化解案件应记录书面或口头协议。' },
  { key: 'outreachWithoutPhotos', title: '没有现场照片的普法活动', hint: '活动应有现场留痕。' },
  { key: 'audienceOutliers', title: '参与人次异常的普法活动', hint: '村、网格单场超过 1500 人次或全镇单场超过 5000 人次，请核实是否录入有误。' },
];

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
      {LISTS.map((l) => (
        <details key={l.key}>
          <summary>
            {l.title}：<strong data-testid={`quality-${l.key}`}>{q[l.key].length}</strong>
          </summary>
          <p class="figure-definition">{l.hint}</p>
          <ul>
            {q[l.key].slice(0, 200).map((i) => (
              <li key={i.subjectId}>
                {i.date} · {i.orgUnitName} · {i.what}
              </li>
            ))}
          </ul>
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
