// 重大预警: the flagged cases of the unit, open alerts first. Each shows when it was flagged (as
// stated on the phone), saved on the phone and received by the server, the status chain, and
// stays marked 未签收 until someone acknowledges it (签收, signed with the user's name); 打印快报
// opens the flash report. The list is read again every 30 s while the screen is visible, so an
// alert pushed by a phone appears without a reload.
import { useEffect, useState } from 'preact/hooks';
import { labelOf } from '#shared/codes';
import { MAJOR_CRITERIA } from '#shared/major/codes';
import type { AlertsResponse } from '#shared/major/api';
import { StageChain } from '../../components/StageChain.tsx';
import { dateTimeOf, disputeTypeLabel } from '../../format.ts';
import { describeFailure } from './api.ts';
import type { ReturnsDeskApi } from './AlertsApi.ts';
import './Alerts.css';

const REFRESH_MS = 30_000;

export function Alerts(props: { api: ReturnsDeskApi; orgUnitId: string; unitName: string }) {
  const { api, orgUnitId } = props;
  const [list, setList] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: AlertsResponse }>({
    status: 'loading',
  });
  const [reload, setReload] = useState(0);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    let live = true;
    const read = () =>
      void api
        .alerts(orgUnitId)
        .then((r) => live && setList(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    read();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') read();
    }, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, orgUnitId, reload]);

  const acknowledge = async (subjectId: string) => {
    const out = await api.acknowledge(subjectId);
    setNotice(out.ok ? `已签收（${out.body.ack?.byName ?? ''}）` : describeFailure(out.failure));
    setReload((n) => n + 1);
  };

  return (
    <section class="office-alerts">
      <h2>重大矛盾纠纷预警 · {props.unitName}</h2>
      <p class="muted">调解员或网格员在手机上标记为重大的案件，同步到服务器后列在这里，签收前一直显示为未签收。快报应在 6 小时内报送。</p>
      {notice && (
        <p class="note" role="status">
          {notice}
        </p>
      )}
      {list.status === 'loading' && <p class="muted">正在读取…</p>}
      {list.status === 'error' && <p role="alert">读取失败：{list.message}</p>}
      {list.status === 'ok' && (
        <>
          <p>
            未签收 <strong class={list.value.open > 0 ? 'alert-count open' : 'alert-count'}>{list.value.open}</strong> 件，共 {list.value.alerts.length} 件
          </p>
          {list.value.alerts.length === 0 && <p class="muted">目前没有重大矛盾纠纷。</p>}
          <ul class="alert-list">
            {list.value.alerts.map((a) => (
              <li key={a.subjectId} class={a.ack ? 'alert-item acked' : 'alert-item open'} aria-label={`重大预警 ${a.caseNumber ?? '待编号'}`}>
                <div class="alert-head">
                  <strong>{a.ack ? '已签收' : '未签收'}</strong>
                  <span>{a.caseNumber ?? '待编号'}</span>
                  <span>{a.unitName}</span>
                  <span>{disputeTypeLabel(a.disputeType)}</span>
                </div>
                <p class="alert-summary">{a.summary}</p>
                <p>认定情形：{a.criteria.map((c) => labelOf(MAJOR_CRITERIA, c)).join('、')}</p>
                <dl class="alert-times">
                  <dt>标记时间</dt>
                  <dd>{dateTimeOf(a.flaggedAt)}</dd>
                  <dt>手机保存</dt>
                  <dd>{dateTimeOf(a.recordedAt)}</dd>
                  <dt>到达服务器</dt>
                  <dd>{dateTimeOf(a.receivedAt)}</dd>
                  {a.ack && (
                    <>
                      <dt>签收</dt>
                      <dd>
                        {a.ack.byName}，{dateTimeOf(a.ack.at)}
                      </dd>
                    </>
                  )}
                </dl>
                <StageChain steps={a.stages} />
                <div class="office-actions">
                  {!a.ack && (
                    <button type="button" class="primary" onClick={() => void acknowledge(a.subjectId)}>
                      签收
                    </button>
                  )}
                  <a class="button secondary" href={`/office/alerts/${a.subjectId}/print`}>
                    打印快报
                  </a>
                  <a class="button secondary" href={`/cases/${a.subjectId}`}>
                    查看案件
                  </a>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
