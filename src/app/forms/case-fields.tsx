// The fields of a case registration (登记受理), shared by 登记案件 and 更正: values as typed,
// their conversion to case.opened data, and the form section itself.
import { CASE_SOURCES, DISPUTE_TYPES, PARTY_ROLES, REFERRERS, SEXES } from '#shared/codes';
import type { EventData, Party } from '#shared/events';
import { NumberField, SelectField, TextField } from '../components/fields.tsx';
import { OrgUnitField } from '../components/OrgUnitField.tsx';
import { mediatorName, session } from '../session/index.ts';
import { asciiForms, countProblem, parseAmount, parseCount, parseNames } from '../format.ts';

export interface PartyValues {
  role: string;
  name: string;
  sex: string;
  age: string;
  phone: string;
  idNumber: string;
  address: string;
}

export interface CaseValues {
  disputeType: string;
  disputeSubtype: string;
  source: string;
  referrer: string;
  stationId: string;
  committeeId: string;
  orgUnitId: string;
  /** 受理日期: the day the committee accepted the case (the registration's occurredAt). */
  date: string;
  /** 纠纷发生日期: the day the dispute arose, when known. */
  occurredOn: string;
  summary: string;
  parties: PartyValues[];
  peopleInvolved: string;
  amountInvolved: string;
  mediators: string;
  occurredPlace: string;
}

const blankParty = (role = 'applicant'): PartyValues => ({ role, name: '', sex: '', age: '', phone: '', idNumber: '', address: '' });

/** The mediation organisations (调委会, 派驻调解室) cached with the session. */
function unitsOfKind(kind: string): { code: string; label: string }[] {
  return (session.value?.orgUnits ?? []).filter((u) => u.kind === kind).map((u) => ({ code: u.id, label: u.name }));
}

export function blankCase(orgUnitId: string, date: string): CaseValues {
  const committees = unitsOfKind('committee');
  return {
    disputeType: '',
    disputeSubtype: '',
    source: '',
    referrer: '',
    stationId: '',
    committeeId: committees.length === 1 ? (committees[0]?.code ?? '') : '',
    orgUnitId,
    date,
    occurredOn: '',
    summary: '',
    parties: [blankParty('applicant'), blankParty('respondent')],
    peopleInvolved: '',
    amountInvolved: '',
    // A mediator registering a case is its mediator, most of the time: their name is there to keep or change.
    mediators: mediatorName(),
    occurredPlace: '',
  };
}

export function caseValuesOf(data: EventData<'case.opened'>, orgUnitId: string, date: string): CaseValues {
  const subtype = data.disputeSubtype ?? (data.disputeType.includes('-') ? data.disputeType : '');
  return {
    disputeType: data.disputeType.split('-')[0] ?? data.disputeType,
    disputeSubtype: subtype,
    source: data.source,
    referrer: data.referrer ?? '',
    stationId: data.stationId ?? '',
    committeeId: data.committeeId ?? '',
    orgUnitId,
    date,
    occurredOn: data.occurredOn ?? '',
    summary: data.summary,
    parties: data.parties.map((p) => ({
      role: p.role,
      name: p.name,
      sex: p.sex ?? '',
      age: p.age === undefined ? '' : String(p.age),
      phone: p.phone ?? '',
      idNumber: p.idNumber ?? '',
      address: p.address ?? '',
    })),
    peopleInvolved: data.peopleInvolved === undefined ? '' : String(data.peopleInvolved),
    amountInvolved: data.amountInvolved === undefined ? '' : String(data.amountInvolved),
    mediators: (data.mediators ?? []).join('，'),
    occurredPlace: data.occurredPlace ?? '',
  };
}

export function partyData(p: PartyValues, errors: Record<string, string>, index: number): Party {
  const out: Record<string, unknown> = { role: p.role, name: p.name.trim() };
  if (p.sex) out.sex = p.sex;
  const age = parseCount(p.age);
  if (Number.isNaN(age)) errors[`parties.${index}.age`] = countProblem('年龄', p.age);
  else if (age !== undefined) out.age = age;
  const phone = asciiForms(p.phone).trim();
  if (phone) out.phone = phone;
  const idNumber = asciiForms(p.idNumber).trim();
  if (idNumber) out.idNumber = idNumber;
  if (p.address.trim()) out.address = p.address.trim();
  return out as Party;
}

/** case.opened data from the typed values, plus the errors found while converting. */
export function caseDataOf(v: CaseValues): { data: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!v.disputeType) errors.disputeType = '请选择纠纷类型';
  if (!v.source) errors.source = '请选择案件来源';
  // The schema checks this only once every field is valid; the form says it at once.
  if (v.source === 'referral' && !v.referrer) errors.referrer = '委托移送的案件请选择移送单位';
  if (!v.orgUnitId) errors.orgUnitId = '请选择村（社区）/网格';
  if (!v.date) errors.occurredAt = '请选择受理日期';
  const data: Record<string, unknown> = {
    disputeType: v.disputeType,
    source: v.source,
    summary: v.summary,
    parties: v.parties.map((p, i) => partyData(p, errors, i)),
  };
  if (v.disputeSubtype) data.disputeSubtype = v.disputeSubtype;
  if (v.source === 'referral' && v.referrer) data.referrer = v.referrer;
  if (v.stationId) data.stationId = v.stationId;
  if (v.committeeId) data.committeeId = v.committeeId;
  const people = parseCount(v.peopleInvolved);
  if (Number.isNaN(people)) errors.peopleInvolved = countProblem('涉及人数', v.peopleInvolved);
  else if (people !== undefined) data.peopleInvolved = people;
  const amount = parseAmount(v.amountInvolved);
  if (Number.isNaN(amount)) errors.amountInvolved = '涉及金额应为数字（元，最多两位小数）';
  else if (amount !== undefined) data.amountInvolved = amount;
  const mediators = parseNames(v.mediators);
  if (mediators) data.mediators = mediators;
  if (v.occurredPlace.trim()) data.occurredPlace = v.occurredPlace.trim();
  if (v.date) data.acceptedOn = v.date;
  // Older drafts have no occurredOn.
  if (v.occurredOn) data.occurredOn = v.occurredOn;
  return { data, errors };
}

function PartyRow(props: {
  index: number;
  party: PartyValues;
  errors: Record<string, string>;
  showId: boolean;
  onChange: (patch: Partial<PartyValues>) => void;
  onRemove?: () => void;
}) {
  const { index, party: p } = props;
  const n = index + 1;
  const err = (k: string) => props.errors[`parties.${index}.${k}`];
  const set = props.onChange;
  return (
    <fieldset class="party">
      <legend>当事人 {n}</legend>
      <SelectField label={`当事人${n} 身份`} value={p.role} onChange={(role) => set({ role })} options={PARTY_ROLES} error={err('role')} />
      <TextField label={`当事人${n} 姓名`} value={p.name} onInput={(name) => set({ name })} error={err('name')} required maxLength={40} />
      <div class="row">
        <SelectField label={`当事人${n} 性别`} value={p.sex} onChange={(sex) => set({ sex })} options={SEXES} placeholder="未填" error={err('sex')} />
        <NumberField label={`当事人${n} 年龄`} value={p.age} onInput={(age) => set({ age })} error={err('age')} />
      </div>
      <TextField label={`当事人${n} 电话`} type="tel" inputMode="tel" value={p.phone} onInput={(phone) => set({ phone })} error={err('phone')} />
      {props.showId && (
        <>
          <TextField label={`当事人${n} 身份证号`} value={p.idNumber} onInput={(idNumber) => set({ idNumber })} error={err('idNumber')} maxLength={18} />
          <TextField label={`当事人${n} 住址`} value={p.address} onInput={(address) => set({ address })} error={err('address')} />
        </>
      )}
      {props.onRemove && (
        <button type="button" class="secondary small" onClick={props.onRemove}>
          删除当事人{n}
        </button>
      )}
    </fieldset>
  );
}

type PartiesChange = (change: (current: PartyValues[]) => PartyValues[]) => void;

/**
 * Party rows with 添加/删除; ID number and address only where a written agreement needs them.
 * Changes apply to the latest list, so two fields filled before a re-render both stay.
 */
export function PartiesFields(props: { parties: PartyValues[]; errors: Record<string, string>; showId: boolean; onChange: PartiesChange }) {
  const { parties } = props;
  return (
    <div class="parties">
      {parties.map((p, i) => (
        <PartyRow
          key={i}
          index={i}
          party={p}
          errors={props.errors}
          showId={props.showId}
          onChange={(patch) => props.onChange((current) => current.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
          onRemove={parties.length > 1 ? () => props.onChange((current) => current.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      {props.errors.parties && (
        <p class="field-error" role="alert">
          {props.errors.parties}
        </p>
      )}
      <button type="button" class="secondary" onClick={() => props.onChange((current) => [...current, blankParty('respondent')])}>
        添加当事人
      </button>
    </div>
  );
}

export function CaseFields(props: {
  values: CaseValues;
  errors: Record<string, string>;
  set: (patch: Partial<CaseValues>) => void;
  update: (change: (current: CaseValues) => Partial<CaseValues>) => void;
}) {
  const { values: v, errors, set } = props;
  const subtypes = DISPUTE_TYPES.find((t) => t.code === v.disputeType)?.subtypes ?? [];
  const stations = unitsOfKind('station');
  const committees = unitsOfKind('committee');
  return (
    <>
      <SelectField
        label="纠纷类型"
        value={v.disputeType}
        onChange={(disputeType) => set({ disputeType, disputeSubtype: '' })}
        options={DISPUTE_TYPES}
        placeholder="请选择"
        error={errors.disputeType}
        required
      />
      {subtypes.length > 0 && (
        <SelectField
          label="纠纷子类"
          value={v.disputeSubtype}
          onChange={(disputeSubtype) => set({ disputeSubtype })}
          options={subtypes}
          placeholder="不细分"
          error={errors.disputeSubtype}
        />
      )}
      <SelectField
        label="案件来源"
        value={v.source}
        onChange={(source) => set({ source })}
        options={CASE_SOURCES}
        placeholder="请选择"
        error={errors.source}
        required
      />
      {v.source === 'referral' && (
        <SelectField
          label="移送单位"
          value={v.referrer}
          onChange={(referrer) => set({ referrer })}
          options={REFERRERS}
          placeholder="请选择"
          error={errors.referrer}
          required
        />
      )}
      {stations.length > 0 && (
        <SelectField
          label="派驻调解室"
          value={v.stationId}
          onChange={(stationId) => set({ stationId })}
          options={stations}
          placeholder="不是派驻调解室受理"
          error={errors.stationId}
        />
      )}
      {committees.length > 0 && (
        <SelectField
          label="调解委员会"
          value={v.committeeId}
          onChange={(committeeId) => set({ committeeId })}
          options={committees}
          placeholder="请选择"
          error={errors.committeeId}
        />
      )}
      <OrgUnitField label="村（社区）/网格" value={v.orgUnitId} onChange={(orgUnitId) => set({ orgUnitId })} error={errors.orgUnitId} />
      <div class="row">
        <TextField label="受理日期" type="date" value={v.date} onInput={(date) => set({ date })} error={errors.occurredAt ?? errors.acceptedOn} required />
        <TextField label="纠纷发生日期" type="date" value={v.occurredOn ?? ''} onInput={(occurredOn) => set({ occurredOn })} error={errors.occurredOn} />
      </div>
      <TextField label="发生地点" value={v.occurredPlace} onInput={(occurredPlace) => set({ occurredPlace })} error={errors.occurredPlace} />
      <TextField label="纠纷简要情况" multiline value={v.summary} onInput={(summary) => set({ summary })} error={errors.summary} required />
      <PartiesFields parties={v.parties} errors={errors} showId={false} onChange={(change) => props.update((c) => ({ parties: change(c.parties) }))} />
      <div class="row">
        <NumberField label="涉及人数" value={v.peopleInvolved} onInput={(peopleInvolved) => set({ peopleInvolved })} error={errors.peopleInvolved} />
        <NumberField
          label="涉及金额（元）"
          decimal
          value={v.amountInvolved}
          onInput={(amountInvolved) => set({ amountInvolved })}
          error={errors.amountInvolved}
        />
      </div>
      <TextField label="调解员" value={v.mediators} onInput={(mediators) => set({ mediators })} error={errors.mediators} hint="多人用逗号分开" />
    </>
  );
}
