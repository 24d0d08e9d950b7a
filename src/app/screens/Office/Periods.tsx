// 结账与迟报: close the selected month or year (signed by the user); for every closed period,
// the records that arrived later dated inside it and what they change in the closed figures.
import { useEffect, useState } from 'preact/hooks';
import { eventTypeLabel } from '#shared/codes';
import { periodIsOver, periodLastDay } from '#shared/office/periods';
import { dateOf, todayLocal } from '../../format.ts';
import { describeFailure, type OfficeApi, type PeriodsAnswer } from './api.ts';
import { showChange, showFigure } from './closed-figures.ts';
import type { OfficeFilter } from './filter.ts';

export function Periods(props: { api: OfficeApi; filter: OfficeFilter; unitName: string; onClosed?: () => void }) {
  const { api, filter } = props;
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: PeriodsAnswer }>({
    status: 'loading',
  });
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    void api
      .periods(filter.orgUnitId)
      .then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [api, filter.orgUnitId, reload]);

  const target = filter.quarter ? undefined : filter.month ? `${filter.year}年${filter.month}月` : `${filter.year}年全年`;
  // A period closes once: after that the button would only earn a 409 (month 0 is the year).
  const closedAlready = state.status === 'ok' && state.value.periods.some((p) => p.year === filter.year && p.month === filter.month);
  // A close is for good: a month or year still running is not offered (the server refuses it too).
  const over = periodIsOver(filter.year, filter.month, todayLocal());
  const close = async () => {
    if (!target || !window.confirm(`确认为${props.unitName}${target}结账？结账后迟到的记录将单独列为迟报。`)) return;
    const out = await api.closePeriod({ orgUnitId: filter.orgUnitId, year: filter.year, ...(filter.month ? { month: filter.month } : {}) });
    setNotice(out.ok ? `${target}已结账` : describeFailure(out.failure));
    setReload((n) => n + 1);
    if (out.ok) props.onClosed?.();
  };

  return (
    <div class="periods">
      <p>
        {target && closedAlready ? (
          <span class="muted" data-testid="period-closed-note">
            {target}已结账，结账数见下方。
          </span>
        ) : target && !over ? (
          <span class="muted" data-testid="period-open-note">
            {target}尚未结束（截至 {periodLastDay(filter.year, filter.month)}），结束后才能结账。
          </span>
        ) : target && state.status === 'ok' ? (
          <button type="button" class="inline" onClick={() => void close()}>
            为{target}结账
          </button>
        ) : target ? null : (
          <span class="muted">按月或全年结账（季度不单独结账）。</span>
        )}
        {notice && <span role="status"> {notice}</span>}
      </p>
      {state.status === 'loading' && <p class="muted">正在读取…</p>}
      {state.status === 'error' && <p role="alert">读取失败：{state.message}</p>}
      {state.status === 'ok' && state.value.periods.length === 0 && <p class="muted">尚未结账。</p>}
      {state.status === 'ok' &&
        state.value.periods.map((p) => (
          <details key={p.id} open={p.lateCount > 0}>
            <summary>
              {p.label} · {p.closedByName} 于 {dateOf(p.closedAt)} 结账 · 迟报 <strong>{p.lateCount}</strong> 条
            </summary>
            {p.lateCount > 0 && (
              <>
                <table class="office-table">
                  <thead>
                    <tr>
                      <th scope="col">统计项</th>
                      <th scope="col">结账时</th>
                      <th scope="col">现在</th>
                      <th scope="col">迟报影响</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.changes.map((c) => (
                      <tr key={c.key} class={c.change !== 0 ? 'silent' : undefined}>
                        <td>{c.label}</td>
                        <td>{showFigure(c.key, c.atClose)}</td>
                        <td>{showFigure(c.key, c.now)}</td>
                        <td>{showChange(c.key, c.change)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <ul>
                  {p.late.map((e) => (
                    <li key={e.id}>
                      {dateOf(e.occurredAt)} · {e.orgUnitName} · {eventTypeLabel(e.type)}（{dateOf(e.receivedAt)} 到达）
                    </li>
                  ))}
                </ul>
              </>
            )}
          </details>
        ))}
    </div>
  );
}
