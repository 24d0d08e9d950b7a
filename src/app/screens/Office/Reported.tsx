// After 结账 the figures reported (报送) stay in sight: above the dashboard's live figures, the
// closed period's figures as closed beside what they are now, and what late records changed.
import { useEffect, useState } from 'preact/hooks';
import { dateOf } from '../../format.ts';
import { describeFailure, type OfficeApi, type PeriodsAnswer } from './api.ts';
import { showChange, showFigure } from './closed-figures.ts';
import type { OfficeFilter } from './filter.ts';

type Period = PeriodsAnswer['periods'][number];

/** The closed period the filter shows, if any: a month, or the whole year (quarters are not closed). */
function closedPeriodOf(periods: readonly Period[], filter: OfficeFilter): Period | undefined {
  if (filter.quarter) return undefined;
  return periods.find((p) => p.year === filter.year && p.month === (filter.month || 0));
}

export function Reported(props: { api: OfficeApi; filter: OfficeFilter }) {
  const { api, filter } = props;
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: PeriodsAnswer }>({
    status: 'loading',
  });
  useEffect(() => {
    let live = true;
    void api
      .periods(filter.orgUnitId)
      .then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [filter.orgUnitId, api]);
  if (state.status === 'loading') return null;
  if (state.status === 'error') return <p role="alert">结账信息读取失败：{state.message}</p>;
  const p = closedPeriodOf(state.value.periods, filter);
  if (!p) return null;
  return (
    <div class="reported" data-testid="reported" role="region" aria-label="报送数">
      <p>
        <strong>{p.label}已结账</strong>（{p.closedByName} 于 {dateOf(p.closedAt)}）。报送数为结账时的数字
        {p.lateCount > 0 ? `；之后迟报 ${p.lateCount} 条，下方为含迟报的现数。` : '，此后没有迟报。'}
      </p>
      <table class="office-table">
        <thead>
          <tr>
            <th scope="col">统计项</th>
            <th scope="col">报送（结账时）</th>
            <th scope="col">现在</th>
            <th scope="col">迟报影响</th>
          </tr>
        </thead>
        <tbody>
          {p.changes.map((c) => (
            <tr key={c.key} data-key={c.key} class={c.change !== 0 ? 'silent' : undefined}>
              <td>{c.label}</td>
              <td>{showFigure(c.key, c.atClose)}</td>
              <td>{showFigure(c.key, c.now)}</td>
              <td>{showChange(c.key, c.change)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
