// 撤并 (合村并居): close a unit from a date, optionally merging it into another unit of its
// level, with the children that move along (grids, a station); every other unit below it closes
// on the same date. Nothing is deleted: records stay where they were entered, and the
// statistics of periods that end after the date count them under the successor.
import { useSignal } from '@preact/signals';
import { ORG_UNIT_KIND_LABELS } from '#shared/codes';
import type { OrgUnit } from './api.ts';
import { useAdmin } from './admin-data.ts';
import { ErrorNote, SelectField, TextField } from './Fields.tsx';
import { formatDay } from '../../format-day.ts';
import { successorChoices, unitPath } from './org-rules.ts';

const NONE = '__none__';
/** Children that may follow their unit into the successor; a committee closes (the successor has its own). */
const movable = (u: OrgUnit) => u.kind !== 'committee';

function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function CloseUnitForm(props: { unit: OrgUnit; onSaved: (message: string) => void; onCancel: () => void }) {
  const admin = useAdmin();
  const units = admin.units.value ?? [];
  const { unit } = props;
  const closedOn = useSignal(todayLocal());
  const successorId = useSignal<string>(NONE);
  const children = units.filter((u) => u.parentId === unit.id && !u.closedOn);
  const moving = useSignal<ReadonlySet<string>>(new Set(children.filter(movable).map((c) => c.id)));
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const choices = successorChoices(units, unit);
  const successor = units.find((u) => u.id === successorId.value);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value) return;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(closedOn.value)) {
      error.value = '请填写撤并日期';
      return;
    }
    const moveChildren = successor ? children.filter((c) => moving.value.has(c.id)).map((c) => c.id) : [];
    const what = successor ? `并入${successor.name}` : '撤销';
    if (!window.confirm(`确认自${formatDay(closedOn.value)}起将“${unit.name}”${what}？此后该单位不再接收新记录，已有记录保留。`)) return;
    busy.value = true;
    error.value = undefined;
    const result = await admin.api.closeOrgUnit(unit.id, { closedOn: closedOn.value, ...(successor ? { successorId: successor.id, moveChildren } : {}) });
    busy.value = false;
    if (!result.ok) {
      error.value = result.message;
      return;
    }
    await admin.reloadUnits();
    props.onSaved(
      `“${unit.name}”已自${formatDay(closedOn.value)}起${what}${result.value.closed.length ? `，其下 ${result.value.closed.length} 个单位一并撤销` : ''}`,
    );
  };

  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} noValidate aria-label={`撤并${unit.name}`}>
      <h3>
        撤并{ORG_UNIT_KIND_LABELS[unit.kind]}“{unit.name}”
      </h3>
      <p class="admin-hint">撤并后不再接收该日及以后的新记录；之前的记录保留在原单位。期末在撤并日之前的统计期仍按原单位统计，之后的统计期计入并入的单位。</p>
      <TextField label="撤并日期" name="closedOn" type="date" value={closedOn.value} onInput={(x) => (closedOn.value = x)} hint="不能晚于今天。" />
      <SelectField
        label="并入单位"
        name="successorId"
        value={successorId.value}
        options={[{ value: NONE, label: '不并入其他单位（只撤销）' }, ...choices.map((u) => ({ value: u.id, label: unitPath(units, u.id) }))]}
        onChange={(x) => (successorId.value = x)}
      />
      {successor && children.length > 0 && (
        <fieldset class="admin-roles">
          <legend>一并移到“{successor.name}”的下级单位（未勾选的一并撤销）</legend>
          {children.map((c) => (
            <label key={c.id} class="admin-check">
              <input
                type="checkbox"
                name="moveChildren"
                value={c.id}
                checked={moving.value.has(c.id)}
                disabled={!movable(c)}
                onChange={(e) => {
                  const next = new Set(moving.value);
                  if (e.currentTarget.checked) next.add(c.id);
                  else next.delete(c.id);
                  moving.value = next;
                }}
              />{' '}
              {ORG_UNIT_KIND_LABELS[c.kind]} {c.name}
              {!movable(c) && <span class="admin-muted">（撤销）</span>}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorNote message={error.value} />
      <div class="admin-actions">
        <button type="submit" class="admin-danger" disabled={busy.value}>
          {busy.value ? '正在保存…' : successor ? `撤并并入${successor.name}` : '撤销该单位'}
        </button>
        <button type="button" class="admin-secondary" onClick={props.onCancel}>
          取消
        </button>
      </div>
    </form>
  );
}
