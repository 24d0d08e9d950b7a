// 人民调解协议书 with the items of 人民调解法 第二十九条: (一) the parties' particulars, (二) the
// main facts, matters in dispute and each party's responsibility, (三) the agreed terms with
// the mode, time limit and place of performance; then the signature lines that make it take
// effect (当事人 签名/按指印, 人民调解员, 调委会 印章) and the date. The signature block is kept
// on one sheet with the performance terms, and every sheet names the parties and its page
// (第 x 页 共 y 页) so a two-page agreement cannot be split or swapped.
import { useRoute } from 'preact-iso';
import { PARTY_ROLES, SEXES, labelOf } from '#shared/codes';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { chineseDate, committeeName, loadCaseForPrint, pageMarginStyle, printNumber, signatureOf } from './print-data.ts';
import { SignatureImage, SignSection } from './Signatures.tsx';
import { PrintTools } from './PrintTools.tsx';
import { VoidMark } from './VoidMark.tsx';
import './print.css';

/** The terms' last lines go with the signatures, so the signed sheet shows what is agreed. */
function splitTerms(terms: string): { head: string; tail: string } {
  const lines = terms.split('\n');
  const keep = Math.min(lines.length, 2);
  return { head: lines.slice(0, lines.length - keep).join('\n'), tail: lines.slice(lines.length - keep).join('\n') };
}

export function PrintAgreement() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { data: state } = useStorageQuery(() => loadCaseForPrint(id), [id]);
  if (state === undefined) return <p class="muted">正在读取…</p>;
  if (state === null || !state.opened) return <p class="form-error">本机没有这个案件的登记信息</p>;
  const c = state.closure;
  if (!c || c.agreementForm !== 'written') return <p class="form-error">该案件尚未以书面协议结案</p>;
  const o = state.opened;
  const copies = o.parties.length + 1;
  const mediators = o.mediators ?? state.sessions.flatMap((s) => s.mediators ?? []);
  const partyNames = o.parties.map((p) => p.name).join('、');
  const terms = splitTerms(c.terms ?? '');
  return (
    <article class="print-page">
      <style>{pageMarginStyle(`${state.voided ? '【已作废】' : ''}人民调解协议书　当事人：${partyNames}`)}</style>
      <PrintTools subjectId={state.subjectId}>
        {!state.voided && (
          <button type="button" class="secondary" onClick={() => document.getElementById('sign-title')?.scrollIntoView({ behavior: 'smooth' })}>
            在手机上签名
          </button>
        )}
      </PrintTools>
      {state.voided && <VoidMark reason={state.voided.reason} />}
      <h1 class="print-title">人民调解协议书</h1>
      <p class="print-number">编号：{printNumber(state)}</p>
      <section class="print-block">
        <h2>一、当事人基本情况</h2>
        {o.parties.map((p, i) => (
          <p key={i}>
            {labelOf(PARTY_ROLES, p.role)}：{p.name}，{labelOf(SEXES, p.sex) || '性别　'}，{p.age !== undefined ? `${p.age}岁` : '年龄　'}，身份证号：
            {p.idNumber || '＿＿＿＿＿＿＿＿＿＿＿＿'}，住址：{p.address || '＿＿＿＿＿＿＿＿'}，联系电话：{p.phone || '＿＿＿＿＿＿'}。
          </p>
        ))}
      </section>
      <section class="print-block">
        <h2>二、纠纷主要事实、争议事项及各方当事人的责任</h2>
        <p class="pre">{c.facts ?? o.summary}</p>
        {c.responsibilities && <p class="pre">{c.responsibilities}</p>}
      </section>
      <section class="print-block">
        <h2>三、经调解，自愿达成如下协议</h2>
        {terms.head && <p class="pre">{terms.head}</p>}
      </section>
      {/* One unbreakable block: the signatures never sit on a sheet without the terms they sign. */}
      <div class="print-keep">
        {terms.tail && <p class="pre">{terms.tail}</p>}
        <p>履行方式：{c.performanceMethod ?? '＿＿＿＿＿＿＿＿'}</p>
        <p>履行期限：{c.performanceDeadline ? chineseDate(c.performanceDeadline) : '＿＿＿＿＿＿＿＿'}</p>
        <p>履行地点：{c.performancePlace ?? '＿＿＿＿＿＿＿＿'}</p>
        <p class="print-block">
          本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。本协议一式{copies}
          份，当事人各执一份，人民调解委员会留存一份。
        </p>
        <div class="signatures">
          {o.parties.map((p, i) => (
            <p key={i}>
              当事人（签名/按指印）：
              <SignatureImage signature={signatureOf(state, 'party', p.name)} alt={`${p.name}的签名`} />（{p.name}）
            </p>
          ))}
          <p>
            人民调解员（签名）：
            {mediators.map((m) => (
              <SignatureImage key={m} signature={signatureOf(state, 'mediator', m)} alt={`${m}的签名`} blank={false} />
            ))}
            {mediators.length > 0 ? `（${mediators.join('、')}）` : ''}
          </p>
          <p>{committeeName(state)}（印章）</p>
          <p class="sign-date">{chineseDate(c.occurredAt)}</p>
        </div>
      </div>
      {!state.voided && <SignSection state={state} mediators={mediators} />}
    </article>
  );
}
