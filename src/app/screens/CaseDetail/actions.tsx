// The case actions: what each form holds, the event(s) it saves, and its fields.
import { AGREEMENT_FORMS, CASE_RESULTS, FOLLOWUP_MODES, OUTCOME_FLAGS, PERFORMANCE_STATUSES, SATISFACTION } from '#shared/codes';
import { canonicalJson } from '#shared/events';
import { caseUnitOf, type CaseState } from '#shared/fold/index';
import { CheckboxGroup, SelectField, TextField } from '../../components/fields.tsx';
import { dateOf, occurredAtOf, parseNames, todayLocal } from '../../format.ts';
import { CaseFields, caseDataOf, caseValuesOf, PartiesFields, partyData, type CaseValues, type PartyValues } from '../../forms/case-fields.tsx';
import type { Built } from '../../hooks/use-save-form.ts';
import { ActionForm } from '../../forms/ActionForm.tsx';
import { mediatorName } from '../../session/index.ts';

export type CaseAction = 'session' | 'close' | 'perform' | 'followup' | 'outcomes' | 'update' | 'void' | 'reopen';

export const ACTION_LABELS: Record<CaseAction, string> = {
  session: '添加调解记录',
  close: '结案',
  perform: '履行',
  followup: '回访',
  outcomes: '结果标记',
  update: '更正',
  void: '作废',
  reopen: '重新调解',
};

/** What can be done to a case in its current state, by a user who may record there (not office staff: the server refuses their writes). */
export function actionsFor(state: CaseState, mayRecord: boolean): CaseAction[] {
  if (!mayRecord || state.status === 'voided') return [];
  if (state.status === 'closed') return ['perform', 'followup', 'outcomes', 'reopen', 'update', 'void'];
  return ['session', 'close', 'update', 'void'];
}

interface Props {
  state: CaseState;
  onDone: (message: string) => void;
  onCancel: () => void;
}

const base = (state: CaseState, type: string, date: string, time = '') => ({
  subjectId: state.subjectId,
  orgUnitId: caseUnitOf(state),
  occurredAt: occurredAtOf(date, time),
  type,
});

function required(errors: Record<string, string>, key: string, value: string, message: string) {
  if (value.trim() === '') errors[key] = message;
}

function optional(out: Record<string, unknown>, key: string, value: string) {
  if (value.trim() !== '') out[key] = value.trim();
}

function DateField(props: { label: string; value: string; onInput: (v: string) => void; error?: string | undefined }) {
  return <TextField label={props.label} type="date" value={props.value} onInput={props.onInput} error={props.error} required />;
}

function SessionForm({ state, onDone, onCancel }: Props) {
  type V = { date: string; time: string; place: string; participants: string; mediators: string; content: string; outcome: string };
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:session`}
      form="case.session"
      title="调解记录"
      submitLabel="保存调解记录"
      acceptedOn={state.acceptedOn}
      initial={() => ({
        date: todayLocal(),
        time: '',
        place: '',
        participants: '',
        // The case's mediators, else whoever records the session when they are one.
        mediators: (state.opened?.mediators ?? []).join('，') || mediatorName(),
        content: '',
        outcome: '',
      })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        required(errors, 'occurredAt', v.date, '请选择调解日期');
        const data: Record<string, unknown> = { content: v.content };
        optional(data, 'place', v.place);
        optional(data, 'participants', v.participants);
        optional(data, 'outcome', v.outcome);
        const mediators = parseNames(v.mediators);
        if (mediators) data.mediators = mediators;
        return { events: [{ ...base(state, 'case.session', v.date, v.time), type: 'case.session', data }], errors };
      }}
      render={(d, errors) => (
        <>
          <div class="row">
            <DateField label="调解日期" value={d.values.date} onInput={(date) => d.set({ date })} error={errors.occurredAt} />
            <TextField label="时间" type="time" value={d.values.time} onInput={(time) => d.set({ time })} />
          </div>
          <TextField label="调解地点" value={d.values.place} onInput={(place) => d.set({ place })} error={errors.place} />
          <TextField label="参加人员" value={d.values.participants} onInput={(participants) => d.set({ participants })} error={errors.participants} />
          <TextField label="调解员" value={d.values.mediators} onInput={(mediators) => d.set({ mediators })} error={errors.mediators} hint="多人用逗号分开" />
          <TextField label="调解情况" multiline value={d.values.content} onInput={(content) => d.set({ content })} error={errors.content} required />
          <TextField label="调解结果或下一步" multiline value={d.values.outcome} onInput={(outcome) => d.set({ outcome })} error={errors.outcome} />
        </>
      )}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

const PREVENTED = OUTCOME_FLAGS.filter((f) => f.kind === 'prevented');
const ADVERSE = OUTCOME_FLAGS.filter((f) => f.kind === 'adverse');
const flagsOf = (state: CaseState): string[] => (state.outcomes ?? []).map((o) => o.code);
const sameFlags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The 结果标记 checkboxes: what mediation prevented, and what went wrong afterwards. */
function OutcomeFields(props: { values: string[]; onChange: (values: string[]) => void; error?: string | undefined; adverse: boolean }) {
  const prevented = props.values.filter((v) => PREVENTED.some((f) => f.code === v));
  const adverse = props.values.filter((v) => ADVERSE.some((f) => f.code === v));
  return (
    <>
      <CheckboxGroup label="调解防止了" values={prevented} options={PREVENTED} onChange={(next) => props.onChange([...next, ...adverse])} error={props.error} />
      {props.adverse && <CheckboxGroup label="调解后出现" values={adverse} options={ADVERSE} onChange={(next) => props.onChange([...prevented, ...next])} />}
    </>
  );
}

/** 结果标记 after closing: an agreement overturned by a court, a 支付令, … is often learned months later. */
function OutcomesForm({ state, onDone, onCancel }: Props) {
  type V = { date: string; flags: string[]; note: string };
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:outcomes`}
      form="case.outcomes"
      title="结果标记"
      submitLabel="保存结果标记"
      acceptedOn={state.acceptedOn}
      initial={() => ({ date: todayLocal(), flags: flagsOf(state), note: '' })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        required(errors, 'occurredAt', v.date, '请选择日期');
        if (sameFlags(v.flags, flagsOf(state))) errors.flags = '没有修改任何标记';
        const data: Record<string, unknown> = { flags: v.flags };
        optional(data, 'note', v.note);
        return { events: [{ ...base(state, 'case.outcomes', v.date), type: 'case.outcomes', data }], errors };
      }}
      render={(d, errors) => (
        <>
          <p class="note">标记计入标记当天所在月份的报表；取消勾选即撤销该标记。</p>
          <DateField label="标记日期" value={d.values.date} onInput={(date) => d.set({ date })} error={errors.occurredAt} />
          <OutcomeFields values={d.values.flags} onChange={(flags) => d.set({ flags })} error={errors.flags} adverse />
          <TextField label="说明" multiline value={d.values.note} onInput={(note) => d.set({ note })} error={errors.note} hint="如法院判决书文号、支付令情况" />
        </>
      )}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function partyValuesOf(state: CaseState): PartyValues[] {
  return (state.opened?.parties ?? []).map((p) => ({
    role: p.role,
    name: p.name,
    sex: p.sex ?? '',
    age: p.age === undefined ? '' : String(p.age),
    phone: p.phone ?? '',
    idNumber: p.idNumber ?? '',
    address: p.address ?? '',
  }));
}

function CloseForm({ state, onDone, onCancel }: Props) {
  type V = {
    date: string;
    result: string;
    agreementForm: string;
    facts: string;
    responsibilities: string;
    terms: string;
    performanceMethod: string;
    performanceDeadline: string;
    performancePlace: string;
    note: string;
    parties: PartyValues[];
    outcomes: string[];
  };
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:close`}
      form="case.closed"
      title="结案"
      submitLabel="保存结案"
      acceptedOn={state.acceptedOn}
      initial={() => ({
        date: todayLocal(),
        result: '',
        agreementForm: '',
        facts: state.opened?.summary ?? '',
        responsibilities: '',
        terms: '',
        performanceMethod: '',
        performanceDeadline: '',
        performancePlace: '',
        note: '',
        parties: partyValuesOf(state),
        outcomes: flagsOf(state),
      })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        required(errors, 'occurredAt', v.date, '请选择结案日期');
        required(errors, 'result', v.result, '请选择调解结果');
        required(errors, 'agreementForm', v.agreementForm, '请选择协议形式');
        if (v.result === 'success' && v.agreementForm !== 'none') required(errors, 'terms', v.terms, '请填写协议内容');
        const data: Record<string, unknown> = { result: v.result, agreementForm: v.agreementForm };
        for (const k of ['facts', 'responsibilities', 'terms', 'performanceMethod', 'performancePlace', 'note'] as const) optional(data, k, v[k]);
        if (v.performanceDeadline) data.performanceDeadline = v.performanceDeadline;
        const events: Built['events'] = [];
        // A written agreement names the parties with ID numbers: they go into the case as a
        // correction saved together with the closure.
        if (v.agreementForm === 'written') {
          const parties = v.parties.map((p, i) => partyData(p, errors, i));
          if (canonicalJson(parties) !== canonicalJson(state.opened?.parties ?? [])) {
            events.push({ ...base(state, 'case.updated', v.date), type: 'case.updated', data: { changes: { parties }, note: '制作书面协议时补充当事人信息' } });
          }
        }
        events.push({ ...base(state, 'case.closed', v.date), type: 'case.closed', data });
        // 结果标记 chosen at closing are saved with it, dated the same day.
        if (!sameFlags(v.outcomes ?? [], flagsOf(state))) {
          events.push({ ...base(state, 'case.outcomes', v.date), type: 'case.outcomes', data: { flags: v.outcomes } });
        }
        return { events, errors };
      }}
      render={(d, errors) => {
        const v = d.values;
        const withAgreement = v.agreementForm === 'written' || v.agreementForm === 'oral';
        // A mediation that failed or was ended has no agreement: 无协议 is its only form.
        const unresolved = v.result === 'failure' || v.result === 'terminated';
        return (
          <>
            <DateField label="结案日期" value={v.date} onInput={(date) => d.set({ date })} error={errors.occurredAt} />
            <SelectField
              label="调解结果"
              value={v.result}
              onChange={(result) => d.set(result === 'failure' || result === 'terminated' ? { result, agreementForm: 'none' } : { result })}
              options={CASE_RESULTS}
              placeholder="请选择"
              error={errors.result}
              required
            />
            <SelectField
              label="协议形式"
              value={v.agreementForm}
              onChange={(agreementForm) => d.set({ agreementForm })}
              options={unresolved ? AGREEMENT_FORMS.filter((f) => f.code === 'none') : AGREEMENT_FORMS}
              placeholder="请选择"
              error={errors.agreementForm}
              required
            />
            {withAgreement && (
              <>
                <TextField label="纠纷主要事实" multiline value={v.facts} onInput={(facts) => d.set({ facts })} error={errors.facts} />
                <TextField
                  label="争议事项及各方责任"
                  multiline
                  value={v.responsibilities}
                  onInput={(responsibilities) => d.set({ responsibilities })}
                  error={errors.responsibilities}
                />
                <TextField label="协议内容" multiline value={v.terms} onInput={(terms) => d.set({ terms })} error={errors.terms} required />
                <TextField
                  label="履行方式"
                  value={v.performanceMethod}
                  onInput={(performanceMethod) => d.set({ performanceMethod })}
                  error={errors.performanceMethod}
                />
                <TextField
                  label="履行期限"
                  type="date"
                  value={v.performanceDeadline}
                  onInput={(performanceDeadline) => d.set({ performanceDeadline })}
                  error={errors.performanceDeadline}
                />
                <TextField
                  label="履行地点"
                  value={v.performancePlace}
                  onInput={(performancePlace) => d.set({ performancePlace })}
                  error={errors.performancePlace}
                />
              </>
            )}
            {v.agreementForm === 'written' && (
              <>
                <p class="note">书面协议需载明当事人基本情况，可在此补充身份证号和住址。</p>
                <PartiesFields parties={v.parties} errors={errors} showId onChange={(change) => d.update((c) => ({ parties: change(c.parties) }))} />
              </>
            )}
            <OutcomeFields values={v.outcomes ?? []} onChange={(outcomes) => d.set({ outcomes })} adverse={false} />
            <TextField label="备注" multiline value={v.note} onInput={(note) => d.set({ note })} error={errors.note} />
          </>
        );
      }}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function PerformForm({ state, onDone, onCancel }: Props) {
  type V = { date: string; status: string; method: string; note: string };
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:perform`}
      form="case.performed"
      title="履行情况"
      submitLabel="保存履行情况"
      initial={() => ({ date: todayLocal(), status: '', method: state.closure?.performanceMethod ?? '', note: '' })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        required(errors, 'occurredAt', v.date, '请选择日期');
        required(errors, 'status', v.status, '请选择履行情况');
        const data: Record<string, unknown> = { status: v.status };
        optional(data, 'method', v.method);
        optional(data, 'note', v.note);
        return { events: [{ ...base(state, 'case.performed', v.date), type: 'case.performed', data }], errors };
      }}
      render={(d, errors) => (
        <>
          <DateField label="履行日期" value={d.values.date} onInput={(date) => d.set({ date })} error={errors.occurredAt} />
          <SelectField
            label="履行情况"
            value={d.values.status}
            onChange={(status) => d.set({ status })}
            options={PERFORMANCE_STATUSES}
            placeholder="请选择"
            error={errors.status}
            required
          />
          <TextField label="履行方式" value={d.values.method} onInput={(method) => d.set({ method })} error={errors.method} />
          <TextField label="备注" multiline value={d.values.note} onInput={(note) => d.set({ note })} error={errors.note} />
        </>
      )}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function FollowupForm({ state, onDone, onCancel }: Props) {
  type V = { date: string; mode: string; party: string; satisfaction: string; performanceStatus: string; issues: string; measures: string };
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:followup`}
      form="case.followup"
      title="回访"
      submitLabel="保存回访"
      initial={() => ({ date: todayLocal(), mode: '', party: '', satisfaction: '', performanceStatus: '', issues: '', measures: '' })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        required(errors, 'occurredAt', v.date, '请选择回访日期');
        required(errors, 'mode', v.mode, '请选择回访方式');
        const data: Record<string, unknown> = { mode: v.mode };
        optional(data, 'party', v.party);
        if (v.satisfaction) data.satisfaction = v.satisfaction;
        if (v.performanceStatus) data.performanceStatus = v.performanceStatus;
        optional(data, 'issues', v.issues);
        optional(data, 'measures', v.measures);
        return { events: [{ ...base(state, 'case.followup', v.date), type: 'case.followup', data }], errors };
      }}
      render={(d, errors) => (
        <>
          <DateField label="回访日期" value={d.values.date} onInput={(date) => d.set({ date })} error={errors.occurredAt} />
          <SelectField
            label="回访方式"
            value={d.values.mode}
            onChange={(mode) => d.set({ mode })}
            options={FOLLOWUP_MODES}
            placeholder="请选择"
            error={errors.mode}
            required
          />
          <TextField label="回访对象" value={d.values.party} onInput={(party) => d.set({ party })} error={errors.party} />
          <SelectField
            label="满意度"
            value={d.values.satisfaction}
            onChange={(satisfaction) => d.set({ satisfaction })}
            options={SATISFACTION}
            placeholder="未填"
          />
          <SelectField
            label="协议履行情况"
            value={d.values.performanceStatus}
            onChange={(performanceStatus) => d.set({ performanceStatus })}
            options={PERFORMANCE_STATUSES}
            placeholder="未填"
          />
          <TextField label="发现的问题" multiline value={d.values.issues} onInput={(issues) => d.set({ issues })} error={errors.issues} />
          <TextField label="采取的措施" multiline value={d.values.measures} onInput={(measures) => d.set({ measures })} error={errors.measures} />
        </>
      )}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function UpdateForm({ state, onDone, onCancel }: Props) {
  type V = CaseValues & { note: string };
  const opened = state.opened;
  const unit = caseUnitOf(state);
  const accepted = state.acceptedOn ?? dateOf(state.openedAt);
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:update`}
      form="case.updated"
      title="更正"
      submitLabel="保存更正"
      initial={() => ({ ...(opened ? caseValuesOf(opened, unit, accepted) : ({} as CaseValues)), note: '' })}
      acceptedOn={accepted}
      build={(v): Built => {
        const { data, errors } = caseDataOf(v);
        // 受理日期 of an old registration is its date, not a field: compared with that.
        const before: Record<string, unknown> = { ...opened, acceptedOn: accepted };
        const changes: Record<string, unknown> = {};
        for (const [k, value] of Object.entries(data)) if (canonicalJson(value) !== canonicalJson(before[k])) changes[k] = value;
        if (v.orgUnitId && v.orgUnitId !== unit) changes.orgUnitId = v.orgUnitId;
        if (Object.keys(changes).length === 0 && Object.keys(errors).length === 0) errors._ = '没有修改任何内容';
        const event: Record<string, unknown> = { changes };
        optional(event, 'note', v.note);
        return { events: [{ ...base(state, 'case.updated', todayLocal()), type: 'case.updated', data: event }], errors };
      }}
      render={(d, errors) => (
        <>
          <CaseFields values={d.values} errors={errors} set={d.set} update={(change) => d.update((c) => change(c))} />
          <TextField label="更正说明" value={d.values.note} onInput={(note) => d.set({ note })} error={errors.note} />
        </>
      )}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function ReasonForm(props: Props & { kind: 'void' | 'reopen' }) {
  const { state, kind } = props;
  type V = { date: string; reason: string };
  const label = kind === 'void' ? '作废原因' : '重新调解的原因';
  const type = kind === 'void' ? 'case.voided' : 'case.reopened';
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:${kind}`}
      form={type}
      title={ACTION_LABELS[kind]}
      submitLabel={kind === 'void' ? '确认作废' : '确认重新调解'}
      initial={() => ({ date: todayLocal(), reason: '' })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        required(errors, 'reason', v.reason, `请填写${label}`);
        return { events: [{ ...base(state, type, v.date), type, data: { reason: v.reason } }], errors };
      }}
      render={(d, errors) => (
        <>
          {kind === 'void' && <p class="note">作废后该案件不再计入统计，记录仍会保留。</p>}
          <TextField label={label} multiline value={d.values.reason} onInput={(reason) => d.set({ reason })} error={errors.reason} required />
        </>
      )}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}

export function ActionPanel(props: Props & { action: CaseAction }) {
  switch (props.action) {
    case 'session':
      return <SessionForm {...props} />;
    case 'close':
      return <CloseForm {...props} />;
    case 'perform':
      return <PerformForm {...props} />;
    case 'followup':
      return <FollowupForm {...props} />;
    case 'outcomes':
      return <OutcomesForm {...props} />;
    case 'update':
      return <UpdateForm {...props} />;
    case 'void':
    case 'reopen':
      return <ReasonForm {...props} kind={props.action} />;
  }
}
