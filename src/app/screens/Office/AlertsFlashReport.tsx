// 重大矛盾纠纷快报: one alert printed on A4 for the fastest channel upward: the case's facts (who,
// where, how many, how much), the criteria and the risk, the measures taken, the status chain
// and the times it was flagged and received. Parties are named as the desk sees them (masked).
import { useEffect, useState } from 'preact/hooks';
import { labelOf, PARTY_ROLES } from '#shared/codes';
import { MAJOR_CRITERIA } from '#shared/major/codes';
import type { FlashReport } from '#shared/major/api';
import { StageChain } from '../../components/StageChain.tsx';
import { dateTimeOf, disputeTypeLabel } from '../../format.ts';
import { describeFailure } from './api.ts';
import type { ReturnsDeskApi } from './AlertsApi.ts';
import './Alerts.css';

export function AlertsFlashReport(props: { api: ReturnsDeskApi; subjectId: string }) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: FlashReport }>({
    status: 'loading',
  });
  useEffect(() => {
    let live = true;
    void props.api
      .flashReport(props.subjectId)
      .then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [props.api, props.subjectId]);
  if (state.status === 'loading') return <p class="muted">正在读取…</p>;
  if (state.status === 'error') return <p role="alert">读取失败：{state.message}</p>;
  const r = state.value;
  const a = r.alert;
  return (
    <article class="flash-report">
      <div class="no-print office-actions">
        <button type="button" class="primary" onClick={() => window.print()}>
          打印
        </button>
        <a class="button secondary" href="/office/alerts">
          返回预警
        </a>
      </div>
      <h1 class="flash-title">重大矛盾纠纷快报</h1>
      <p class="flash-meta">
        <span>报送单位：{r.unitPath}</span>
        <span>案号：{a.caseNumber ?? '待编号'}</span>
      </p>
      <table class="flash-table">
        <tbody>
          <tr>
            <th>标记时间</th>
            <td>{dateTimeOf(a.flaggedAt)}</td>
            <th>到达服务器</th>
            <td>{dateTimeOf(a.receivedAt)}</td>
          </tr>
          <tr>
            <th>纠纷类型</th>
            <td>{disputeTypeLabel(a.disputeType)}</td>
            <th>发生地点</th>
            <td>{r.occurredPlace ?? a.unitName}</td>
          </tr>
          <tr>
            <th>受理日期</th>
            <td>{r.acceptedOn ?? ''}</td>
            <th>纠纷发生日期</th>
            <td>{r.occurredOn ?? ''}</td>
          </tr>
          <tr>
            <th>涉及人数</th>
            <td>{r.peopleInvolved === null ? '' : `${r.peopleInvolved} 人`}</td>
            <th>涉及金额</th>
            <td>{r.amountInvolved === null ? '' : `${r.amountInvolved} 元`}</td>
          </tr>
          <tr>
            <th>当事人</th>
            <td colSpan={3}>{r.parties.map((p) => `${labelOf(PARTY_ROLES, p.role)}：${p.name}`).join('；')}</td>
          </tr>
          <tr>
            <th>认定情形</th>
            <td colSpan={3}>{a.criteria.map((c) => labelOf(MAJOR_CRITERIA, c)).join('、')}</td>
          </tr>
        </tbody>
      </table>
      <section class="flash-block">
        <h2>一、基本情况</h2>
        <p class="pre">{a.summary}</p>
      </section>
      <section class="flash-block">
        <h2>二、风险研判</h2>
        <p class="pre">{r.risk ?? '（未填写）'}</p>
      </section>
      <section class="flash-block">
        <h2>三、已采取的措施</h2>
        <p class="pre">{r.measures ?? '（未填写）'}</p>
        {r.sessions.length > 0 && (
          <ul>
            {r.sessions.map((s, i) => (
              <li key={i}>
                {dateTimeOf(s.at)}　{s.content}
              </li>
            ))}
          </ul>
        )}
        {r.transferredTo && <p>已移交：{r.transferredTo}</p>}
      </section>
      <section class="flash-block">
        <h2>四、处置进度</h2>
        <StageChain steps={a.stages} />
      </section>
      <p class="flash-sign">
        <span>责任领导：{r.leader ?? '　　　　'}</span>
        <span>责任单位：{r.responsibleUnit ?? '　　　　'}</span>
        <span>调解员：{r.mediators.join('、') || '　　　　'}</span>
      </p>
      <p class="flash-sign">
        <span>签收：{a.ack ? `${a.ack.byName} ${dateTimeOf(a.ack.at)}` : '未签收'}</span>
        <span>签发人：　　　　　　</span>
      </p>
    </article>
  );
}
