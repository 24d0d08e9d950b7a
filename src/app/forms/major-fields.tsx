// The 重大矛盾纠纷 part of a case form (登记 and the case's 重大 action): the flag, the criteria
// shown to choose from, and what the 快报 will state (risk, measures taken, who leads). Kept as
// strings while typing; majorDataOf turns them into case.major data with Chinese messages at
// the fields. The flag is saved as its own event, on the phone, offline like any record.
import { MAJOR_CRITERIA } from '#shared/major/codes';
import { CheckboxGroup, TextField } from '../components/fields.tsx';
import './major-fields.css';

export interface MajorValues {
  flagged: boolean;
  criteria: string[];
  risk: string;
  measures: string;
  leader: string;
  responsibleUnit: string;
  transferredTo: string;
}

export const blankMajor = (): MajorValues => ({ flagged: false, criteria: [], risk: '', measures: '', leader: '', responsibleUnit: '', transferredTo: '' });

/** case.major data from the values, and the problems keyed by field, as the schema's are ("criteria"). */
export function majorDataOf(v: MajorValues): { data: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const data: Record<string, unknown> = { flagged: v.flagged, criteria: v.flagged ? v.criteria : [] };
  if (v.flagged && v.criteria.length === 0) errors.criteria = '请至少选择一项重大纠纷认定情形';
  if (v.flagged) {
    for (const k of ['risk', 'measures', 'leader', 'responsibleUnit', 'transferredTo'] as const) if (v[k].trim() !== '') data[k] = v[k].trim();
  }
  return { data, errors };
}

export function MajorFields(props: {
  values: MajorValues;
  errors: Record<string, string>;
  set: (patch: Partial<MajorValues>) => void;
  /** The checkbox that flags the case; off on a case already flagged (the action unflags separately). */
  withToggle?: boolean;
  withTransfer?: boolean;
}) {
  const v = props.values;
  return (
    <fieldset class="major-fields">
      <legend>重大矛盾纠纷</legend>
      {props.withToggle !== false && (
        <label class="checkbox">
          <input type="checkbox" checked={v.flagged} onChange={(e) => props.set({ flagged: e.currentTarget.checked })} />
          <span>这是重大矛盾纠纷（同步后镇里立即收到预警）</span>
        </label>
      )}
      {v.flagged && (
        <>
          <CheckboxGroup
            label="认定情形"
            values={v.criteria}
            onChange={(criteria) => props.set({ criteria })}
            options={MAJOR_CRITERIA}
            error={props.errors.criteria}
            required
          />
          <TextField
            label="风险研判"
            multiline
            value={v.risk}
            onInput={(risk) => props.set({ risk })}
            error={props.errors.risk}
            hint="是否有激化、暴力、上访的苗头"
          />
          <TextField label="已采取的措施" multiline value={v.measures} onInput={(measures) => props.set({ measures })} error={props.errors.measures} />
          <div class="row">
            <TextField label="责任领导" value={v.leader} onInput={(leader) => props.set({ leader })} error={props.errors.leader} />
            <TextField
              label="责任单位"
              value={v.responsibleUnit}
              onInput={(responsibleUnit) => props.set({ responsibleUnit })}
              error={props.errors.responsibleUnit}
            />
          </div>
          {props.withTransfer && (
            <TextField
              label="移交单位"
              value={v.transferredTo}
              onInput={(transferredTo) => props.set({ transferredTo })}
              error={props.errors.transferredTo}
              hint="移交公安、信访、法院等部门处理时填写"
            />
          )}
        </>
      )}
    </fieldset>
  );
}
