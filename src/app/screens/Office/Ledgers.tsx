// 机关台账: simple forms for the report's office figures (法律顾问, 行政复议/诉讼, 执法, 政务公开,
// 应急, 学法), the year's entries with 作废, and the figures they give the annual report.
// Entries are checked by the same schema as the server before they are sent; a refusal, the
// form's or the server's, is said at the field it is about (as the admin forms do), the cursor
// moved there, and only what concerns no one field under the form.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import * as v from 'valibot';
import type { Code } from '#shared/codes';
import { ADMIN_CASE_TYPES, ADVISER_ACTIVITIES, ENFORCEMENT_DECISIONS, LEDGER_KINDS, LedgerEntry, STUDY_FORMS, type LedgerKind } from '#shared/office/ledgers';
import { todayLocal } from '../../format.ts';
import { useFocusOnRefusal } from '../../hooks/use-focus-on-refusal.ts';
import { splitField } from '../../net/refused-field.ts';
import { describeFailure, type LedgerListAnswer, type OfficeApi } from './api.ts';

type FieldSpec = { key: string; label: string } & ({ type: 'int' | 'text' | 'bool' } | { type: 'select'; options: readonly Code[] });

const FIELDS: Record<LedgerKind, FieldSpec[]> = {
  adviser: [
    { key: 'activity', label: '事项类型', type: 'select', options: ADVISER_ACTIVITIES },
    { key: 'count', label: '件/次', type: 'int' },
    { key: 'summary', label: '摘要', type: 'text' },
  ],
  admin_case: [
    { key: 'caseType', label: '案件类型', type: 'select', options: ADMIN_CASE_TYPES },
    { key: 'title', label: '案由', type: 'text' },
    { key: 'performed', label: '复议决定已履行', type: 'bool' },
    { key: 'appeared', label: '负责人出庭应诉', type: 'bool' },
  ],
  enforcement_list: [
    { key: 'statutory', label: '法定执法事项（项）', type: 'int' },
    { key: 'empowered', label: '赋权执法事项（项）', type: 'int' },
    { key: 'entrusted', label: '委托执法事项（项）', type: 'int' },
  ],
  enforcement_decision: [
    { key: 'decision', label: '决定类型', type: 'select', options: ENFORCEMENT_DECISIONS },
    { key: 'count', label: '次数', type: 'int' },
    { key: 'note', label: '说明', type: 'text' },
  ],
  disclosure: [
    { key: 'count', label: '公开条数', type: 'int' },
    { key: 'title', label: '内容', type: 'text' },
    { key: 'channel', label: '公开渠道', type: 'text' },
  ],
  emergency_team: [
    { key: 'groups', label: '指挥机构工作组（个）', type: 'int' },
    { key: 'townMembers', label: '镇级队伍（人）', type: 'int' },
    { key: 'villageMembers', label: '村级队伍（人）', type: 'int' },
  ],
  emergency_drill: [
    { key: 'count', label: '演练次数', type: 'int' },
    { key: 'title', label: '演练内容', type: 'text' },
  ],
  study: [
    { key: 'form', label: '学习形式', type: 'select', options: STUDY_FORMS },
    { key: 'count', label: '次数', type: 'int' },
    { key: 'title', label: '学习内容', type: 'text' },
  ],
};

const FIGURE_LABELS: Record<string, string> = {
  studySessions: '中心组法治专题学习（次）',
  adviserMeetings: '法律顾问参加会议（次）',
  adviserOpinions: '法律意见书（份）',
  adviserContracts: '审查合同（件）',
  adviserDecisions: '参与重大决策（次）',
  enforcementStatutory: '法定执法事项（项）',
  enforcementEmpowered: '赋权执法事项（项）',
  enforcementEntrusted: '委托执法事项（项）',
  noPenaltyDecisions: '不予处罚（次）',
  emergencyGroups: '应急工作组（个）',
  emergencyTownMembers: '镇级应急队伍（人）',
  emergencyVillageMembers: '村级应急队伍（人）',
  emergencyDrills: '应急演练（次）',
  reconsiderationCases: '行政复议（件）',
  reconsiderationPerformanceRate: '复议履行率',
  litigationCases: '行政诉讼（件）',
  litigationAppearanceRate: '出庭应诉率',
  disclosureItems: '公开政务信息（条）',
};

function describeEntry(e: Record<string, unknown>): string {
  const kind = LEDGER_KINDS.find((k) => k.code === e.kind)?.label ?? String(e.kind);
  const parts = (FIELDS[e.kind as LedgerKind] ?? []).map((f) => {
    const value = e[f.key];
    if (value === undefined || value === '') return '';
    if (f.type === 'select') return f.options.find((o) => o.code === value)?.label ?? String(value);
    if (f.type === 'bool') return value ? f.label : '';
    return `${f.label.replace(/（.*）/, '')} ${String(value)}`;
  });
  return `${kind}：${parts.filter(Boolean).join('，')}`;
}

/** What is wrong with an attempt: by field (`date` or an entry field's key), and the rest. */
interface Problems {
  fields: Record<string, string>;
  form?: string;
}
const NO_PROBLEMS: Problems = { fields: {} };

/** A refusal at the field it names (`date`, `entry.count` → `count`) when the form shows that field, else under the form. */
function problemsAt(field: string | undefined, message: string, shown: readonly string[]): Problems {
  const key = field === 'date' ? 'date' : field?.startsWith('entry.') ? field.slice('entry.'.length) : undefined;
  return key !== undefined && shown.includes(key) ? { fields: { [key]: message } } : { fields: {}, form: message };
}

/** An input's side of a field error: marked invalid and described by the message. */
function invalidProps(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}

function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <span class="field-error" id={props.id} role="alert">
      {props.message}
    </span>
  ) : null;
}

/** The ledger kind a link names (`kind=` from the report's figures), or undefined for all kinds. */
export function ledgerKindOf(search: string): LedgerKind | undefined {
  const code = new URLSearchParams(search).get('kind');
  return LEDGER_KINDS.find((k) => k.code === code)?.code;
}

export function Ledgers(props: {
  api: OfficeApi;
  year: number;
  orgUnitId: string;
  unitName: string;
  /** From the URL: the form registers this kind and the list shows only its entries. */
  kind: LedgerKind | undefined;
  onKind: (kind: LedgerKind | undefined) => void;
}) {
  const kind = props.kind ?? 'adviser';
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  // The year's last day, or today while the year is running: never a day still to come.
  const today = todayLocal();
  const [date, setDate] = useState(`${props.year}-12-31` < today ? `${props.year}-12-31` : today);
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const form = useRef<HTMLFormElement>(null);
  const refused = useFocusOnRefusal(form);
  const id = useId();
  const refuse = (p: Problems) => {
    setProblems(p);
    refused();
  };
  const shownFields = ['date', ...FIELDS[kind].map((f) => f.key)];
  const [list, setList] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: LedgerListAnswer }>({
    status: 'loading',
  });
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    void props.api
      .ledgers(`year=${props.year}&orgUnitId=${encodeURIComponent(props.orgUnitId)}`)
      .then((r) => live && setList(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [props.year, props.orgUnitId, reload]);

  const submit = async (e: Event) => {
    e.preventDefault();
    // The entry counts in its date's year: one typed in another year would leave this page and its report.
    if (!date) return refuse({ fields: { date: '请填写日期' } });
    if (!date.startsWith(`${props.year}-`)) return refuse({ fields: { date: `日期应在${props.year}年内（本页是${props.year}年的台账）` } });
    if (date > today) return refuse({ fields: { date: `日期（${date}）晚于今天，请核对` } });
    const entry: Record<string, unknown> = { kind };
    for (const f of FIELDS[kind]) {
      const raw = values[f.key];
      if (f.type === 'bool') entry[f.key] = raw === true;
      // Typed as text: "1.5" or "-1" reach the schema, whose Chinese message says what is wrong.
      else if (f.type === 'int') entry[f.key] = raw === undefined || String(raw).trim() === '' ? undefined : Number(String(raw).trim());
      else if (raw !== undefined && raw !== '') entry[f.key] = raw;
      else if (f.type === 'select') entry[f.key] = f.options[0]?.code;
    }
    const checked = v.safeParse(LedgerEntry, entry);
    if (!checked.success) {
      const fields: Record<string, string> = {};
      for (const issue of checked.issues) {
        const key = v.getDotPath(issue) ?? '';
        if (shownFields.includes(key)) fields[key] ??= issue.message;
      }
      return refuse(Object.keys(fields).length > 0 ? { fields } : { fields: {}, form: checked.issues[0]?.message ?? '填写有误' });
    }
    const out = await props.api.addLedger({ orgUnitId: props.orgUnitId, date, entry: checked.output });
    if (!out.ok) {
      if (out.failure.kind !== 'refused') return refuse({ fields: {}, form: describeFailure(out.failure) });
      const refusal = splitField(describeFailure(out.failure), out.failure.field);
      return refuse(problemsAt(refusal.field, refusal.message, shownFields));
    }
    setProblems(NO_PROBLEMS);
    setValues({});
    setReload((n) => n + 1);
  };

  const voidEntry = async (subjectId: string) => {
    const reason = window.prompt('作废原因（例如：重复登记、数字有误）');
    if (!reason) return;
    const out = await props.api.voidLedger(subjectId, { orgUnitId: props.orgUnitId, reason });
    if (!out.ok) setProblems({ fields: {}, form: describeFailure(out.failure) });
    setReload((n) => n + 1);
  };

  return (
    <section class="office-ledgers">
      <p>
        <a href={`/office?year=${props.year}&orgUnitId=${encodeURIComponent(props.orgUnitId)}`}>← 返回统计</a>
      </p>
      <h2>
        机关台账 · {props.unitName} · {props.year}年
      </h2>
      <p class="muted">
        年度报告中法律顾问、行政复议应诉、行政执法、政务公开、应急、学法等数字来自这里；没有登记的项目在报告中显示为【待填写】。数字有误时作废后重新登记。
      </p>
      {/* noValidate: the browser's own bubbles speak its language, not the form's; the form says it in Chinese at the field. */}
      <form ref={form} class="ledger-form" noValidate onSubmit={(e) => void submit(e)}>
        <label>
          台账类型
          <select value={kind} onChange={(e) => (props.onKind(e.currentTarget.value as LedgerKind), setValues({}), setProblems(NO_PROBLEMS))}>
            {LEDGER_KINDS.map((k) => (
              <option key={k.code} value={k.code}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label class={problems.fields.date ? 'has-error' : undefined}>
          日期
          <input type="date" value={date} required onInput={(e) => setDate(e.currentTarget.value)} {...invalidProps(`${id}-date`, problems.fields.date)} />
          <FieldError id={`${id}-date`} message={problems.fields.date} />
        </label>
        {FIELDS[kind].map((f) => (
          <label
            key={`${kind}-${f.key}`}
            class={[f.type === 'bool' ? 'checkbox' : '', problems.fields[f.key] ? 'has-error' : ''].filter(Boolean).join(' ') || undefined}
          >
            {f.type === 'bool' ? (
              <input type="checkbox" checked={values[f.key] === true} onChange={(e) => setValues({ ...values, [f.key]: e.currentTarget.checked })} />
            ) : null}
            {f.label}
            {f.type === 'select' ? (
              <select
                value={String(values[f.key] ?? f.options[0]?.code ?? '')}
                onChange={(e) => setValues({ ...values, [f.key]: e.currentTarget.value })}
                {...invalidProps(`${id}-${f.key}`, problems.fields[f.key])}
              >
                {f.options.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : f.type === 'int' ? (
              // Text with a numeric keyboard, as the app's NumberField: type=number would let the browser refuse in its own words.
              <input
                type="text"
                inputMode="numeric"
                value={String(values[f.key] ?? '')}
                onInput={(e) => setValues({ ...values, [f.key]: e.currentTarget.value })}
                {...invalidProps(`${id}-${f.key}`, problems.fields[f.key])}
              />
            ) : f.type === 'text' ? (
              <input
                type="text"
                value={String(values[f.key] ?? '')}
                onInput={(e) => setValues({ ...values, [f.key]: e.currentTarget.value })}
                {...invalidProps(`${id}-${f.key}`, problems.fields[f.key])}
              />
            ) : null}
            <FieldError id={`${id}-${f.key}`} message={problems.fields[f.key]} />
          </label>
        ))}
        <button type="submit">登记</button>
        {problems.form && (
          <p class="form-error" role="alert">
            {problems.form}
          </p>
        )}
      </form>

      {list.status === 'loading' && <p class="muted">正在读取…</p>}
      {list.status === 'error' && <p role="alert">读取失败：{list.message}</p>}
      {list.status === 'ok' && (
        <>
          <h3>报告将使用的数字</h3>
          <ul class="ledger-figures">
            {Object.entries(list.value.figures).map(([k, n]) => (
              <li key={k}>
                {FIGURE_LABELS[k] ?? k}：<strong>{k.endsWith('Rate') ? `${Math.round(n * 1000) / 10}%` : n}</strong>
              </li>
            ))}
            {Object.keys(list.value.figures).length === 0 && <li class="muted">本年度尚无登记</li>}
          </ul>
          <h3>登记记录{props.kind && `（${LEDGER_KINDS.find((k) => k.code === props.kind)?.label ?? props.kind}）`}</h3>
          {props.kind && (
            <p>
              <button type="button" class="inline" onClick={() => props.onKind(undefined)}>
                显示全部类型
              </button>
            </p>
          )}
          <div class="table-scroll">
            <table class="office-table">
              <thead>
                <tr>
                  <th scope="col">日期</th>
                  <th scope="col">内容</th>
                  <th scope="col">状态</th>
                </tr>
              </thead>
              <tbody>
                {list.value.items
                  .filter((i) => props.kind === undefined || i.entry.kind === props.kind)
                  .map((i) => (
                    <tr key={i.subjectId}>
                      <td>{i.occurredAt.slice(0, 10)}</td>
                      <td>{describeEntry(i.entry)}</td>
                      <td>
                        {i.voided ? (
                          '已作废'
                        ) : (
                          <button type="button" class="inline" onClick={() => void voidEntry(i.subjectId)}>
                            作废
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
