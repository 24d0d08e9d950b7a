// The village/grid picker, from the org units cached with the session (works offline). When
// the session holds none (an account without units), the user can type an org unit id.
import { writableOrgUnits } from '../session/index.ts';
import { SelectField, TextField } from './fields.tsx';

export function OrgUnitField(props: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
  /** Only these kinds (e.g. grids for a sweep) when there are any. */
  kinds?: readonly string[];
}) {
  const all = writableOrgUnits();
  const filtered = props.kinds ? all.filter((u) => props.kinds?.includes(u.kind)) : all;
  const units = filtered.length > 0 ? filtered : all;
  if (units.length === 0) {
    return <TextField label={`${props.label}（编号）`} value={props.value} onInput={props.onChange} error={props.error} required />;
  }
  return (
    <SelectField
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      required
      placeholder="请选择"
      options={units.map((u) => ({ code: u.id, label: u.label }))}
    />
  );
}

/** The unit to preselect: the only one the user has, else the first grid. */
export function defaultOrgUnit(kinds?: readonly string[]): string {
  const all = writableOrgUnits();
  const preferred = kinds ? all.filter((u) => kinds.includes(u.kind)) : all;
  if (preferred.length === 1) return preferred[0]?.id ?? '';
  return all.length === 1 ? (all[0]?.id ?? '') : '';
}
