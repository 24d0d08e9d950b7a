// 透视表: one measure by two dimensions (type × village, month × channel, …) with row and column
// totals, 同比 or 环比 beside each row's total, every cell a link to its records, and the table
// as shown downloadable as .xlsx. Everything (period, unit, measure, axes, comparison) is in
// the URL so a table can be bookmarked and sent.
import { useEffect, useState } from 'preact/hooks';
import {
  cellKey,
  changeRatio,
  dimensionFits,
  formatChange,
  PIVOT_DIMENSIONS,
  PIVOT_MEASURES,
  type PivotDimension,
  type PivotMeasure,
} from '#shared/stats/pivot';
import type { OrgUnitInfo } from '../../session/state.ts';
import { describeFailure, type OfficeApi, type PivotAnswer } from './api.ts';
import { queryOf, type OfficeFilter } from './filter.ts';
import { formatMeasure, measureHeading } from './PeriodCompare.tsx';
import { PeriodPicker } from './PeriodPicker.tsx';

type Comparison = 'none' | 'yoy' | 'mom';

export interface PivotChoice {
  measure: PivotMeasure;
  rows: PivotDimension;
  cols: PivotDimension;
  compare: Comparison;
}

export function pivotChoiceOf(search: string): PivotChoice {
  const p = new URLSearchParams(search);
  const measure = PIVOT_MEASURES.find((m) => m.code === p.get('measure'))?.code ?? 'resolved';
  const dim = (key: string, fallback: PivotDimension) => {
    const d = PIVOT_DIMENSIONS.find((x) => x.code === p.get(key))?.code;
    return d !== undefined && dimensionFits(measure, d) ? d : fallback;
  };
  const compare = p.get('compare');
  return { measure, rows: dim('rows', 'unit'), cols: dim('cols', 'month'), compare: compare === 'yoy' || compare === 'mom' ? compare : 'none' };
}

const choiceQuery = (c: PivotChoice) => `measure=${c.measure}&rows=${c.rows}&cols=${c.cols}${c.compare === 'none' ? '' : `&compare=${c.compare}`}`;

export function Pivot(props: {
  api: OfficeApi;
  filter: OfficeFilter;
  choice: PivotChoice;
  units: readonly OrgUnitInfo[];
  onChange: (f: OfficeFilter, c: PivotChoice) => void;
}) {
  const { api, filter, choice } = props;
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: PivotAnswer }>({
    status: 'loading',
  });
  const [notice, setNotice] = useState('');
  const apiQuery = `${queryOf(filter)}&measure=${choice.measure}&rows=${choice.rows}&cols=${choice.cols}`;
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void api.pivot(apiQuery).then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [apiQuery]);

  const set = (c: Partial<PivotChoice>) => {
    const next = { ...choice, ...c };
    // A measure without the chosen dimension falls back to unit × month rather than failing.
    if (!dimensionFits(next.measure, next.rows)) next.rows = 'unit';
    if (!dimensionFits(next.measure, next.cols)) next.cols = next.rows === 'month' ? 'unit' : 'month';
    props.onChange(filter, next);
  };
  const download = async () => {
    setNotice('正在生成文件…');
    const error = await api.download(`/api/stats/pivot.xlsx?${apiQuery}`);
    setNotice(error ?? '已开始下载');
  };

  return (
    <section class="office-pivot">
      <p>
        <a href={`/office?${queryOf(filter)}`}>← 返回统计</a>
      </p>
      <h2>透视表</h2>
      <PeriodPicker filter={filter} units={props.units} onFilter={(f) => props.onChange(f, choice)}>
        <label>
          指标
          <select value={choice.measure} onChange={(e) => set({ measure: e.currentTarget.value as PivotMeasure })}>
            {PIVOT_MEASURES.map((m) => (
              <option key={m.code} value={m.code}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          行
          <select value={choice.rows} onChange={(e) => set({ rows: e.currentTarget.value as PivotDimension })}>
            {PIVOT_DIMENSIONS.filter((d) => dimensionFits(choice.measure, d.code)).map((d) => (
              <option key={d.code} value={d.code}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          列
          <select value={choice.cols} onChange={(e) => set({ cols: e.currentTarget.value as PivotDimension })}>
            {PIVOT_DIMENSIONS.filter((d) => dimensionFits(choice.measure, d.code)).map((d) => (
              <option key={d.code} value={d.code}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          对比
          <select value={choice.compare} onChange={(e) => set({ compare: e.currentTarget.value as Comparison })}>
            <option value="none">不对比</option>
            <option value="yoy">同比（上年同期）</option>
            <option value="mom">环比（上期）</option>
          </select>
        </label>
      </PeriodPicker>
      <div class="office-actions">
        <button type="button" onClick={() => void download()}>
          导出透视表（Excel）
        </button>
        {notice && (
          <span role="status" class="muted">
            {notice}
          </span>
        )}
      </div>
      {state.status === 'loading' && <p class="muted">正在统计…</p>}
      {state.status === 'error' && <p role="alert">统计失败：{state.message}</p>}
      {state.status === 'ok' && <PivotTable p={state.value} compare={choice.compare} />}
    </section>
  );
}

function PivotTable(props: { p: PivotAnswer; compare: Comparison }) {
  const { p } = props;
  const base = props.compare === 'yoy' ? p.lastYear : props.compare === 'mom' ? p.previous : null;
  const baseLabel = props.compare === 'yoy' ? `上年同期（${p.period.lastYear}）` : `上期（${p.period.previous ?? ''}）`;
  const fmt = (v: number) => formatMeasure(p.measure, v);
  const value = (row: string, col: string) => {
    const v = p.current;
    if (row === '*' && col === '*') return v.total;
    if (col === '*') return v.rowTotals[row] ?? 0;
    if (row === '*') return v.colTotals[col] ?? 0;
    return v.cells[cellKey(row, col)] ?? 0;
  };
  const baseOf = (row: string) => (base ? (row === '*' ? base.total : (base.rowTotals[row] ?? 0)) : 0);
  const cell = (row: string, col: string) => {
    const v = value(row, col);
    const href = p.links[cellKey(row, col)];
    return href && v !== 0 ? <a href={href}>{fmt(v)}</a> : fmt(v);
  };
  const rowLabel = PIVOT_DIMENSIONS.find((d) => d.code === p.rows)?.label ?? p.rows;
  const colLabel = PIVOT_DIMENSIONS.find((d) => d.code === p.cols)?.label ?? p.cols;
  const noPrevious = props.compare === 'mom' && !p.previous;
  return (
    <>
      <p class="muted">
        {p.period.label} · {measureHeading(p.measure)} · 行：{rowLabel}，列：{colLabel}。每个数字链接到它统计的记录；合计与统计页的数字相同。
        {noPrevious && ' 全年没有“上期”，环比请选季度或月份；全年请看同比。'}
      </p>
      <div class="table-scroll">
        <table class="office-table pivot-table" data-testid="pivot-table">
          <thead>
            <tr>
              <th scope="col">
                {rowLabel} \ {colLabel}
              </th>
              {p.colKeys.map((c) => (
                <th scope="col" key={c.key} class="num">
                  {c.label}
                </th>
              ))}
              <th scope="col" class="num">
                合计
              </th>
              {base && (
                <th scope="col" class="num">
                  {baseLabel}
                </th>
              )}
              {base && (
                <th scope="col" class="num">
                  {props.compare === 'yoy' ? '同比' : '环比'}
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {p.rowKeys.map((r) => (
              <tr key={r.key} data-row={r.key}>
                <th scope="row">{r.label}</th>
                {p.colKeys.map((c) => (
                  <td key={c.key} class="num" data-col={c.key}>
                    {cell(r.key, c.key)}
                  </td>
                ))}
                <td class="num total" data-col="total">
                  {cell(r.key, '*')}
                </td>
                {base && <td class="num">{fmt(baseOf(r.key))}</td>}
                {base && (
                  <td class="num" data-col="change">
                    {formatChange(changeRatio(value(r.key, '*'), baseOf(r.key)))}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-row="total">
              <th scope="row">合计</th>
              {p.colKeys.map((c) => (
                <td key={c.key} class="num" data-col={c.key}>
                  {cell('*', c.key)}
                </td>
              ))}
              <td class="num total" data-col="total">
                {cell('*', '*')}
              </td>
              {base && <td class="num">{fmt(baseOf('*'))}</td>}
              {base && (
                <td class="num" data-col="change">
                  {formatChange(changeRatio(p.current.total, baseOf('*')))}
                </td>
              )}
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}

export { choiceQuery };
