// The year / period / unit picker of the office screens (dashboard, pivot, completeness,
// one-page summary): an OfficeFilter, kept in the URL by the caller.
import type { ComponentChildren } from 'preact';
import type { OrgUnitInfo } from '../../session/state.ts';
import type { OfficeFilter } from './filter.ts';

const PICKABLE_KINDS = new Set(['county', 'town', 'village', 'community', 'grid']);

export function PeriodPicker(props: {
  filter: OfficeFilter;
  units: readonly OrgUnitInfo[];
  onFilter: (f: OfficeFilter) => void;
  children?: ComponentChildren;
}) {
  const { filter } = props;
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  if (!years.includes(filter.year)) years.push(filter.year);
  const periodValue = filter.month ? `m${filter.month}` : filter.quarter ? `q${filter.quarter}` : 'y';
  return (
    <form class="office-filter" onSubmit={(e) => e.preventDefault()} aria-label="统计条件">
      <label>
        年份
        <select value={String(filter.year)} onChange={(e) => props.onFilter({ ...filter, year: Number(e.currentTarget.value) })}>
          {years.map((y) => (
            <option key={y} value={String(y)}>
              {y}年
            </option>
          ))}
        </select>
      </label>
      <label>
        统计期
        <select
          value={periodValue}
          onChange={(e) => {
            const v = e.currentTarget.value;
            props.onFilter({ ...filter, quarter: v.startsWith('q') ? Number(v.slice(1)) : 0, month: v.startsWith('m') ? Number(v.slice(1)) : 0 });
          }}
        >
          <option value="y">全年</option>
          {[1, 2, 3, 4].map((q) => (
            <option key={`q${q}`} value={`q${q}`}>
              第{q}季度
            </option>
          ))}
          {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
            <option key={`m${m}`} value={`m${m}`}>
              {m}月
            </option>
          ))}
        </select>
      </label>
      <label>
        单位
        <select value={filter.orgUnitId} onChange={(e) => props.onFilter({ ...filter, orgUnitId: e.currentTarget.value })}>
          {props.units
            .filter((u) => PICKABLE_KINDS.has(u.kind))
            .map((u) => (
              <option key={u.id} value={u.id}>
                {/* A closed unit still has its history to read; its name says it is gone. */}
                {u.closedOn ? `${u.name}（${u.closedOn.slice(0, 4)}年已撤并）` : u.name}
              </option>
            ))}
        </select>
      </label>
      {props.children}
    </form>
  );
}
