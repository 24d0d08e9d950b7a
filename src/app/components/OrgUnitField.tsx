// The village/grid picker, from the org units cached with the session (works offline): a native
// <select> (labelled, keyboard and screen-reader friendly, what tests pick by) showing the tree by
// indentation, with a search box above it that narrows the options by name or code once the list
// is long. When the session holds none (an account without units), the user can type an org unit id.
import { useId, useState } from 'preact/hooks';
import { homeUnits, session, writableOrgUnits } from '../session/index.ts';
import type { WritableUnit } from '../session/org-units.ts';
import { TextField } from './fields.tsx';

/** Below this many units the whole list fits on a phone screen and a search box is only noise. */
const SEARCH_FROM = 7;

interface Row {
  unit: WritableUnit;
  depth: number;
}

/** The units in tree order (writableOrgUnits walks the tree), each with how many listed ancestors it has. */
function treeRows(units: readonly WritableUnit[]): Row[] {
  const listed = new Set(units.map((u) => u.id));
  const parentOf = new Map((session.value?.orgUnits ?? []).map((u) => [u.id, u.parentId]));
  return units.map((unit) => {
    let depth = 0;
    const seen = new Set<string>();
    for (let p = unit.parentId; p !== null && p !== undefined && !seen.has(p); p = parentOf.get(p) ?? null) {
      seen.add(p);
      if (listed.has(p)) depth++;
    }
    return { unit, depth };
  });
}

function hits(unit: WritableUnit, q: string): boolean {
  return [unit.name, unit.shortName, unit.code, unit.label].some((s) => typeof s === 'string' && s.toLowerCase().includes(q));
}

/** The rows whose name, short name or code contains the query, with their listed ancestors so each match keeps its place in the tree. */
function matching(rows: readonly Row[], q: string): Row[] {
  if (!q) return [...rows];
  const keep = new Set<string>();
  const byId = new Map(rows.map((r) => [r.unit.id, r.unit]));
  for (const r of rows) {
    if (!hits(r.unit, q)) continue;
    for (let u: WritableUnit | undefined = r.unit; u && !keep.has(u.id); u = u.parentId ? byId.get(u.parentId) : undefined) keep.add(u.id);
  }
  return rows.filter((r) => keep.has(r.unit.id));
}

function optionText(row: Row): string {
  // Indented under its village, a grid needs only its own name; at the top it keeps "江口村 / 第一网格".
  const name = row.depth > 0 ? row.unit.name : row.unit.label;
  return `${'\u3000'.repeat(row.depth * 2)}${name}${row.unit.code ? `（${row.unit.code}）` : ''}`;
}

export function OrgUnitField(props: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
  /** Only these kinds (e.g. grids for a sweep) when there are any. */
  kinds?: readonly string[];
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const all = writableOrgUnits();
  const filtered = props.kinds ? all.filter((u) => props.kinds?.includes(u.kind)) : all;
  const units = filtered.length > 0 ? filtered : all;
  if (units.length === 0) {
    return <TextField label={`${props.label}（编号）`} value={props.value} onInput={props.onChange} error={props.error} required />;
  }
  const rows = treeRows(units);
  const q = query.trim().toLowerCase();
  const shown = matching(rows, q);
  const found = shown.filter((r) => hits(r.unit, q));
  // The chosen unit stays an option while the search hides it, so the select never shows another one as chosen.
  const chosen = rows.find((r) => r.unit.id === props.value);
  const options = chosen && !shown.includes(chosen) ? [chosen, ...shown] : shown;
  const searchable = units.length >= SEARCH_FROM;
  const msg = `${id}-msg`;
  const pickFirst = (e: KeyboardEvent) => {
    // Enter takes the first match: a typed code is one key away from chosen.
    if (e.key !== 'Enter') return;
    e.preventDefault();
    // A match itself, not a village kept only to show where the match sits.
    const first = found[0];
    if (first) props.onChange(first.unit.id);
  };
  return (
    <div class={`field org-unit-field${props.error ? ' has-error' : ''}`}>
      <label for={id}>
        <span class="field-label">
          {props.label}
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        </span>
      </label>
      {searchable && (
        <div class="org-unit-search">
          <label for={`${id}-search`} class="field-hint">
            按名称或编号查找
          </label>
          <input
            id={`${id}-search`}
            type="search"
            value={query}
            placeholder="输入名称或编号"
            aria-controls={id}
            aria-describedby={`${id}-count`}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={pickFirst}
          />
          <p class="field-hint" id={`${id}-count`} aria-live="polite">
            {q ? (found.length > 0 ? `找到 ${found.length} 个，回车选第一个` : '没有找到，换个名称或编号试试') : `共 ${rows.length} 个`}
          </p>
        </div>
      )}
      <select
        id={id}
        value={props.value}
        required
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? msg : undefined}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="">请选择</option>
        {options.map((r) => (
          <option key={r.unit.id} value={r.unit.id}>
            {optionText(r)}
          </option>
        ))}
      </select>
      {props.error && (
        <p class="field-error" id={msg} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The unit to preselect: the only one (of the kinds) the user has, else the one unit their grants are for. */
export function defaultOrgUnit(kinds?: readonly string[]): string {
  const all = writableOrgUnits();
  const preferred = kinds ? all.filter((u) => kinds.includes(u.kind)) : all;
  if (preferred.length === 1) return preferred[0]?.id ?? '';
  if (all.length === 1) return all[0]?.id ?? '';
  // A village's mediator writes for the village and its grids: the village is theirs.
  const homes = homeUnits().filter((id) => preferred.some((u) => u.id === id));
  return homes.length === 1 ? homes[0]! : '';
}
