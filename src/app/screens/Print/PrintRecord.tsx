// 人民调解记录 (the minutes a 卷宗 must hold), one sheet per mediation session: its head (time,
// place, matter, mediators, other participants, the parties), what was said and done, the
// result, then the lines the mediator, the parties and the recorder sign. Each sheet starts a
// new page and names the case, so a session's minutes are filed on their own.
import { useRoute } from 'preact-iso';
import { PARTY_ROLES, labelOf } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { dateTimeOf, disputeTypeLabel } from '../../format.ts';
import { chineseDate, committeeName, loadCaseForPrint, pageMarginStyle, printNumber } from './print-data.ts';
import { PrintTools } from './PrintTools.tsx';
import { VoidMark } from './VoidMark.tsx';
import './print.css';

type Session = CaseState['sessions'][number];

const BLANK = '＿＿＿＿＿＿＿＿';

/** "2024年5月1日 14:30", the session's time as the phone wrote it. */
function sessionTime(session: Session): string {
  return `${chineseDate(session.occurredAt)} ${dateTimeOf(session.occurredAt).slice(11)}`;
}

function RecordSheet({ state, session, index }: { state: CaseState; session: Session; index: number }) {
  const o = state.opened!;
  const mediators = session.mediators ?? o.mediators ?? [];
  return (
    <section class={`record-sheet${index > 0 ? ' record-next' : ''}`} aria-label={`第 ${index + 1} 次调解记录`}>
      {state.voided && <VoidMark reason={state.voided.reason} />}
      <h1 class="print-title">人民调解记录</h1>
      <p class="print-number">
        编号：{printNumber(state)}　第 {index + 1} 次调解
      </p>
      <table class="print-table">
        <tbody>
          <tr>
            <th>时间</th>
            <td>{sessionTime(session)}</td>
            <th>地点</th>
            <td>{session.place ?? BLANK}</td>
          </tr>
          <tr>
            <th>事由</th>
            <td colSpan={3}>{disputeTypeLabel(o.disputeSubtype ?? o.disputeType)}</td>
          </tr>
          <tr>
            <th>人民调解员</th>
            <td colSpan={3}>{mediators.length ? mediators.join('、') : BLANK}</td>
          </tr>
          <tr>
            <th>参加人</th>
            <td colSpan={3}>{session.participants ?? '无'}</td>
          </tr>
          <tr>
            <th>当事人</th>
            <td colSpan={3}>{o.parties.map((p) => `${p.name}（${labelOf(PARTY_ROLES, p.role)}）`).join('、')}</td>
          </tr>
        </tbody>
      </table>
      <section class="print-block">
        <h2>调解情况</h2>
        <p class="pre">{session.content}</p>
      </section>
      <section class="print-block">
        <h2>调解结果</h2>
        <p class="pre">{session.outcome ?? BLANK}</p>
      </section>
      <div class="signatures print-keep">
        {o.parties.map((p, i) => (
          <p key={i}>当事人（签名/按指印）：　　　　　　（{p.name}）</p>
        ))}
        <p>人民调解员（签名）：{mediators.length > 0 ? `　　　　　　（${mediators.join('、')}）` : ''}</p>
        <p>记录人（签名）：</p>
        <p>{committeeName(state)}（印章）</p>
        <p class="sign-date">{chineseDate(session.occurredAt)}</p>
      </div>
    </section>
  );
}

export function PrintRecord() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { data: state } = useStorageQuery(() => loadCaseForPrint(id), [id]);
  if (state === undefined) return <p class="muted">正在读取…</p>;
  if (state === null || !state.opened) return <p class="form-error">本机没有这个案件的登记信息</p>;
  if (state.sessions.length === 0) return <p class="form-error">该案件还没有调解记录</p>;
  const names = state.opened.parties.map((p) => p.name).join('、');
  return (
    <article class="print-page">
      <style>{pageMarginStyle(`${state.voided ? '【已作废】' : ''}人民调解记录　当事人：${names}`)}</style>
      <PrintTools subjectId={state.subjectId} />
      {state.sessions.map((s, i) => (
        <RecordSheet key={s.eventId} state={state} session={s} index={i} />
      ))}
    </article>
  );
}
