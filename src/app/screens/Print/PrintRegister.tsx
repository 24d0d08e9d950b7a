// 人民调解受理登记表, printable on A4 from the phone or a desk PC, offline too.
import { useRoute } from 'preact-iso';
import { CASE_SOURCES, PARTY_ROLES, REFERRERS, SEXES, labelOf } from '#shared/codes';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { orgUnitLabel } from '../../session/index.ts';
import { disputeTypeLabel } from '../../format.ts';
import { chineseDate, committeeName, loadCaseForPrint, pageMarginStyle, printNumber } from './print-data.ts';
import { PrintTools } from './PrintTools.tsx';
import { VoidMark } from './VoidMark.tsx';
import './print.css';

export function PrintRegister() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { data: state } = useStorageQuery(() => loadCaseForPrint(id), [id]);
  if (state === undefined) return <p class="muted">正在读取…</p>;
  if (state === null || !state.opened) return <p class="form-error">本机没有这个案件的登记信息</p>;
  const o = state.opened;
  const names = o.parties.map((p) => p.name).join('、');
  return (
    <article class="print-page">
      <style>{pageMarginStyle(`${state.voided ? '【已作废】' : ''}人民调解受理登记表　当事人：${names}`)}</style>
      <PrintTools subjectId={state.subjectId} />
      {state.voided && <VoidMark reason={state.voided.reason} />}
      <h1 class="print-title">人民调解受理登记表</h1>
      <p class="print-number">编号：{printNumber(state)}</p>
      <table class="print-table">
        <tbody>
          <tr>
            {/* The date the case was accepted (after corrections), not when the phone saved it: a late entry keeps its real date. */}
            <th>受理日期</th>
            <td>{chineseDate(state.acceptedOn ?? state.openedAt)}</td>
            <th>纠纷类型</th>
            <td>{disputeTypeLabel(o.disputeSubtype ?? o.disputeType)}</td>
          </tr>
          {o.occurredOn && (
            <tr>
              <th>纠纷发生日期</th>
              <td colSpan={3}>{chineseDate(o.occurredOn)}</td>
            </tr>
          )}
          <tr>
            <th>案件来源</th>
            <td>
              {labelOf(CASE_SOURCES, o.source)}
              {o.referrer && `（${labelOf(REFERRERS, o.referrer)}）`}
            </td>
            <th>发生地</th>
            <td>{o.occurredPlace ?? orgUnitLabel(state.orgUnitId)}</td>
          </tr>
        </tbody>
      </table>
      <table class="print-table">
        <thead>
          <tr>
            <th>身份</th>
            <th>姓名</th>
            <th>性别</th>
            <th>年龄</th>
            <th>联系方式</th>
          </tr>
        </thead>
        <tbody>
          {o.parties.map((p, i) => (
            <tr key={i}>
              <td>{labelOf(PARTY_ROLES, p.role)}</td>
              <td>{p.name}</td>
              <td>{labelOf(SEXES, p.sex)}</td>
              <td>{p.age ?? ''}</td>
              <td>{p.phone ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="print-block">
        <h2>纠纷简要情况</h2>
        <p class="pre">{o.summary}</p>
      </section>
      <p class="print-block">本调委会经当事人同意，调解 {names} 之间的纠纷。</p>
      <div class="signatures print-keep">
        <p>当事人（签名/按指印）：</p>
        <p>登记人（签名）：</p>
        <p>{committeeName(state)}（印章）</p>
        <p class="sign-date">{chineseDate(state.acceptedOn ?? state.openedAt)}</p>
      </div>
    </article>
  );
}
