// 以案定补: the month's ledger per mediator (the cases paid with grade and amount, the ones not
// paid yet with the reason), the office's grade of each case, approving the month (signed and
// frozen: later records go into the next month's ledger), the .xlsx for payment, and the town's
// rules, which an admin sets.
import { useEffect, useState } from 'preact/hooks';
import { AGREEMENT_FORMS, labelOf } from '#shared/codes';
import type { LedgerCase, LedgerResponse } from '#shared/subsidy/api';
import { SUBSIDY_GRADES } from '#shared/subsidy/grades';
import { LEDGER_REASONS, type LedgerReason } from '#shared/subsidy/ledger';
import { ORAL_AGREEMENT_RULES, type SubsidyRules } from '#shared/subsidy/rules';
import { periodIsOver, periodLastDay } from '#shared/office/periods';
import { dateTimeOf, disputeTypeLabel, todayLocal } from '../../format.ts';
import { describeFailure } from './api.ts';
import type { ReturnsDeskApi } from './AlertsApi.ts';
import { Bracketed } from './Bracketed.tsx';
import './Alerts.css';

const GRADE_SOURCE: Record<LedgerCase['gradeSource'], string> = { office: '镇里核定', proposed: '调解员建议', major_flag: '重大纠纷', default: '默认' };
const reasonText = (r: string) => (Object.hasOwn(LEDGER_REASONS, r) ? LEDGER_REASONS[r as LedgerReason] : r);

function RulesEditor(props: { api: ReturnsDeskApi; orgUnitId: string; rules: SubsidyRules; isAdmin: boolean; onSaved: () => void }) {
  const [rules, setRules] = useState(props.rules);
  const [message, setMessage] = useState('');
  useEffect(() => setRules(props.rules), [props.rules]);
  const amount = (grade: keyof SubsidyRules['amounts']) => (
    <label key={grade}>
      {labelOf(SUBSIDY_GRADES, grade)}（元/件）
      <input
        type="number"
        min={0}
        step={1}
        disabled={!props.isAdmin}
        value={String(rules.amounts[grade])}
        onInput={(e) => setRules({ ...rules, amounts: { ...rules.amounts, [grade]: Number(e.currentTarget.value) } })}
      />
    </label>
  );
  const flag = (key: 'requireCompleteFile' | 'requirePerformed' | 'requireFollowup', label: string) => (
    <label class="checkbox" key={key}>
      <input type="checkbox" disabled={!props.isAdmin} checked={rules[key]} onChange={(e) => setRules({ ...rules, [key]: e.currentTarget.checked })} />
      {label}
    </label>
  );
  const save = async () => {
    const out = await props.api.setRules(props.orgUnitId, rules);
    setMessage(out.ok ? '补助规则已保存' : describeFailure(out.failure));
    if (out.ok) props.onSaved();
  };
  return (
    <details class="subsidy-rules">
      <summary>补助规则{props.isAdmin ? '（管理员可修改）' : ''}</summary>
      <div class="ledger-form">
        {amount('general')}
        {amount('difficult')}
        {amount('major')}
      </div>
      <p>补助条件（调解成功为必备条件）：</p>
      <div class="rules-flags">
        {flag('requireCompleteFile', '卷宗完整（一案一卷：登记、调解记录、协议内容）')}
        {flag('requirePerformed', '协议已全部履行')}
        {flag('requireFollowup', '结案后已回访')}
        <label>
          口头协议
          <select
            disabled={!props.isAdmin}
            value={rules.oralAgreement}
            onChange={(e) => setRules({ ...rules, oralAgreement: e.currentTarget.value as SubsidyRules['oralAgreement'] })}
          >
            {ORAL_AGREEMENT_RULES.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {props.isAdmin && (
        <button type="button" class="primary" onClick={() => void save()}>
          保存规则
        </button>
      )}
      {message && <p role="status">{message}</p>}
    </details>
  );
}

export function Subsidy(props: {
  api: ReturnsDeskApi;
  orgUnitId: string;
  unitName: string;
  year: number;
  month: number;
  isAdmin: boolean;
  onPeriod: (year: number, month: number) => void;
}) {
  const { api, orgUnitId, year, month } = props;
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: LedgerResponse }>({
    status: 'loading',
  });
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    void api
      .ledger(orgUnitId, year, month)
      .then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [api, orgUnitId, year, month, reload]);

  const approved = state.status === 'ok' ? state.value.approval : null;
  // Approval freezes the month's payments: one still running is not offered (the server refuses it too).
  const over = periodIsOver(year, month, todayLocal());
  const approve = async () => {
    if (!window.confirm(`确认审批${props.unitName}${year}年${month}月的以案定补台账？审批后本月台账不再变动，之后补齐条件的案件列入下月。`)) return;
    const out = await api.approve(orgUnitId, year, month);
    setNotice(out.ok ? `${year}年${month}月已审批` : describeFailure(out.failure));
    setReload((n) => n + 1);
  };
  const grade = async (subjectId: string, value: string) => {
    const out = await api.setGrade(subjectId, value);
    setNotice(out.ok ? '补助等级已核定' : describeFailure(out.failure));
    setReload((n) => n + 1);
  };
  const download = async () => {
    const problem = await api.download(`/api/subsidy/ledger.xlsx?orgUnitId=${encodeURIComponent(orgUnitId)}&year=${year}&month=${month}`);
    setNotice(problem ?? '已开始下载');
  };
  const years = Array.from({ length: 6 }, (_, i) => new Date().getFullYear() - i);

  return (
    <section class="office-subsidy">
      <h2>
        以案定补台账 · {props.unitName} · {year}年{month}月
      </h2>
      <div class="office-filter">
        <label>
          年度
          <select value={String(year)} onChange={(e) => props.onPeriod(Number(e.currentTarget.value), month)}>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}年
              </option>
            ))}
          </select>
        </label>
        <label>
          月份
          <select value={String(month)} onChange={(e) => props.onPeriod(year, Number(e.currentTarget.value))}>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
              <option key={m} value={String(m)}>
                {m}月
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => void download()}>
          导出 Excel（发放用）
        </button>
        {state.status === 'ok' && !approved && over && (
          <button type="button" class="primary" onClick={() => void approve()}>
            审批本月台账
          </button>
        )}
        {state.status === 'ok' && !approved && !over && (
          <span class="muted" data-testid="subsidy-open-note">
            {year}年{month}月尚未结束（截至 {periodLastDay(year, month)}），月末之后才能审批
          </span>
        )}
      </div>
      <p class="muted">谁调解、补助谁：案件列在第一位调解员名下。补齐条件（如回访）晚于已审批的月份时，列入下一个未审批的月份，已审批的月份不再变动。</p>
      {notice && (
        <p class="note" role="status">
          {notice}
        </p>
      )}
      {state.status === 'loading' && <p class="muted">正在读取…</p>}
      {state.status === 'error' && <p role="alert">读取失败：{state.message}</p>}
      {state.status === 'ok' && (
        <>
          <p class={approved ? 'approved' : 'warn'}>
            {approved ? `已审批：${approved.approvedByName}，${dateTimeOf(approved.approvedAt)}（本月台账已冻结）` : '尚未审批'}
          </p>
          <p>
            补助 <strong>{state.value.ledger.qualifying}</strong> 件，合计 <strong>{state.value.ledger.amount}</strong> 元；暂不补助{' '}
            <strong>{state.value.ledger.pending}</strong> 件
          </p>
          {state.value.ledger.mediators.length === 0 && <p class="muted">本月没有结案的案件。</p>}
          {state.value.ledger.mediators.map((m) => (
            <div key={m.mediator} class="subsidy-mediator">
              <h3>
                {m.mediator}：补助 {m.qualifying.length} 件，{m.amount} 元
              </h3>
              <div class="table-scroll">
                <table class="office-table">
                  <thead>
                    <tr>
                      <th scope="col">案号</th>
                      <th scope="col">村（社区）</th>
                      <th scope="col">纠纷类型</th>
                      <th scope="col">协议</th>
                      <th scope="col">结案</th>
                      <th scope="col">等级</th>
                      <th scope="col">金额（元）</th>
                      <th scope="col">情况</th>
                      <th scope="col">登记人</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...m.qualifying, ...m.pending].map((c) => (
                      <tr key={c.subjectId} class={c.reasons.length > 0 ? 'pending' : 'paid'}>
                        <td>
                          <a href={`/cases/${c.subjectId}`}>{c.caseNumber ?? '待编号'}</a>
                        </td>
                        <td class="wrap">{c.unitName ?? c.unitId}</td>
                        <td class="wrap">
                          <Bracketed text={disputeTypeLabel(c.disputeType)} />
                        </td>
                        <td>{labelOf(AGREEMENT_FORMS, c.agreementForm)}</td>
                        <td>{c.closedOn}</td>
                        <td>
                          {approved ? (
                            labelOf(SUBSIDY_GRADES, c.grade)
                          ) : (
                            <select
                              aria-label={`核定等级 ${c.caseNumber ?? c.subjectId}`}
                              value={c.grade}
                              onChange={(e) => void grade(c.subjectId, e.currentTarget.value)}
                            >
                              {SUBSIDY_GRADES.map((g) => (
                                <option key={g.code} value={g.code}>
                                  {g.label}
                                </option>
                              ))}
                            </select>
                          )}
                          <span class="muted grade-source">{GRADE_SOURCE[c.gradeSource]}</span>
                        </td>
                        <td>{c.amount}</td>
                        <td class="reasons">{c.reasons.length > 0 ? c.reasons.map(reasonText).join('；') : `补助（${c.qualifiedOn ?? ''}符合条件）`}</td>
                        <td>{c.recorder ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ))}
          <RulesEditor api={api} orgUnitId={orgUnitId} rules={state.value.rules} isAdmin={props.isAdmin} onSaved={() => setReload((n) => n + 1)} />
        </>
      )}
    </section>
  );
}
