// 同比 / 环比 beside the dashboard's figures: this period, the same period a year earlier and
// the period before (January's is last December), with the change in percent; "—" where the
// base is 0. Each figure is read off the summary answer by the pivot's measure definitions.
import { useEffect, useState } from 'preact/hooks';
import { recordsPageHref } from '#shared/office/records';
import { changeRatio, formatChange, measureOf, pivotLink, previousPeriodOf, samePeriodLastYearOf, type PivotMeasure } from '#shared/stats/pivot';
import type { PeriodQuery } from '#shared/stats/summary';
import { describeFailure, type OfficeApi, type SummaryAnswer } from './api.ts';
import { queryOf, type OfficeFilter } from './filter.ts';

const COMPARED_MEASURES: readonly PivotMeasure[] = [
  'accepted',
  'closed',
  'resolved',
  'peopleInvolved',
  'amountInvolved',
  'sessions',
  'audience',
  'sweeps',
  'disputesFound',
];

export const periodQueryOf = (f: OfficeFilter): PeriodQuery => ({ year: f.year, ...(f.month ? { month: f.month } : f.quarter ? { quarter: f.quarter } : {}) });
const filterOf = (f: OfficeFilter, q: PeriodQuery): OfficeFilter => ({ ...f, year: q.year, month: q.month ?? 0, quarter: q.quarter ?? 0 });
export const labelOfPeriod = (q: PeriodQuery) =>
  q.month !== undefined ? `${q.year}年${q.month}月` : q.quarter !== undefined ? `${q.year}年第${q.quarter}季度` : `${q.year}年`;

/** 涉及金额 in 万元 with two decimals, counts as integers. */
export function formatMeasure(measure: PivotMeasure, value: number): string {
  return measure === 'amountInvolved' ? (value / 10_000).toFixed(2) : String(value);
}
export const measureHeading = (m: PivotMeasure) => measureOf(m).label;

export interface ComparedSummaries {
  current: SummaryAnswer;
  lastYear: SummaryAnswer;
  previous: SummaryAnswer | null;
}

/** The three summaries of a filter (current, 同比 base, 环比 base). */
export async function loadCompared(api: OfficeApi, filter: OfficeFilter): Promise<{ ok: true; value: ComparedSummaries } | { ok: false; message: string }> {
  const period = periodQueryOf(filter);
  const prev = previousPeriodOf(period);
  const [current, lastYear, previous] = await Promise.all([
    api.summary(queryOf(filter)),
    api.summary(queryOf(filterOf(filter, samePeriodLastYearOf(period)))),
    prev ? api.summary(queryOf(filterOf(filter, prev))) : Promise.resolve(undefined),
  ]);
  for (const r of [current, lastYear, previous]) if (r && !r.ok) return { ok: false, message: describeFailure(r.failure) };
  if (!current.ok || !lastYear.ok) return { ok: false, message: '统计失败' };
  return { ok: true, value: { current: current.body, lastYear: lastYear.body, previous: previous?.ok ? previous.body : null } };
}

export function CompareTable(props: { filter: OfficeFilter; data: ComparedSummaries; measures?: readonly PivotMeasure[]; caption?: string }) {
  const { filter, data } = props;
  const period = periodQueryOf(filter);
  const prev = previousPeriodOf(period);
  const pick = (m: PivotMeasure, s: SummaryAnswer) => measureOf(m).pick(s);
  const base = {
    year: filter.year,
    orgUnitId: filter.orgUnitId,
    ...(filter.month ? { month: filter.month } : filter.quarter ? { quarter: filter.quarter } : {}),
  };
  return (
    <table class="office-table compare-table" data-testid="compare-table">
      {props.caption && <caption>{props.caption}</caption>}
      <thead>
        <tr>
          <th scope="col">指标</th>
          <th scope="col">本期（{labelOfPeriod(period)}）</th>
          <th scope="col">上年同期（{labelOfPeriod(samePeriodLastYearOf(period))}）</th>
          <th scope="col">同比</th>
          {prev && <th scope="col">上期（{labelOfPeriod(prev)}）</th>}
          {prev && <th scope="col">环比</th>}
        </tr>
      </thead>
      <tbody>
        {(props.measures ?? COMPARED_MEASURES).map((m) => {
          const now = pick(m, data.current);
          const ly = pick(m, data.lastYear);
          const link = pivotLink(base, m, {});
          return (
            <tr key={m} data-measure={m}>
              <th scope="row">{measureHeading(m)}</th>
              <td class="num">{link ? <a href={recordsPageHref(link)}>{formatMeasure(m, now)}</a> : formatMeasure(m, now)}</td>
              <td class="num">{formatMeasure(m, ly)}</td>
              <td class="num" data-testid={`yoy-${m}`}>
                {formatChange(changeRatio(now, ly))}
              </td>
              {data.previous && <td class="num">{formatMeasure(m, pick(m, data.previous))}</td>}
              {data.previous && (
                <td class="num" data-testid={`mom-${m}`}>
                  {formatChange(changeRatio(now, pick(m, data.previous)))}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The dashboard's 同比/环比 block, with the ways into the analysis screens. */
export function PeriodCompare(props: { api: OfficeApi; filter: OfficeFilter }) {
  const { api, filter } = props;
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: ComparedSummaries }>({
    status: 'loading',
  });
  const query = queryOf(filter);
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void loadCompared(api, filter).then((r) => live && setState(r.ok ? { status: 'ok', value: r.value } : { status: 'error', message: r.message }));
    return () => {
      live = false;
    };
  }, [query]);
  return (
    <section class="period-compare" aria-label="同比环比">
      <h2>同比与环比</h2>
      <p class="office-links">
        <a href={`/office/pivot?${query}`}>透视表</a>
        <a href={`/office/completeness?${query}`}>报告率与及时率</a>
        <a href={`/office/meeting-summary?${query}`}>一页汇报（打印）</a>
      </p>
      {state.status === 'loading' && <p class="muted">正在统计…</p>}
      {state.status === 'error' && <p role="alert">统计失败：{state.message}</p>}
      {state.status === 'ok' && (
        <div class="table-scroll">
          <CompareTable filter={filter} data={state.value} />
        </div>
      )}
    </section>
  );
}
