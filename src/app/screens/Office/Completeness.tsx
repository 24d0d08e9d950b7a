// 报告率与及时率: per grid and month whether a sweep or a 零报告 came in, and whether the server
// received it by the deadline (the month's last day + N days, N chosen here and kept in the
// URL); then the rates per village and for the whole unit. Cells open the grid's sweeps.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { recordsPageHref } from '#shared/office/records';
import { DEFAULT_GRACE_DAYS, STATUS_LABELS, type RateRow } from '#shared/stats/completeness';
import { DEFAULT_TIME_ZONE, localDateOf } from '#shared/time';
import { timeZoneWording } from '#shared/zone-wording';
import type { OrgUnitInfo } from '../../session/state.ts';
import { describeFailure, type CompletenessAnswer, type OfficeApi } from './api.ts';
import { queryOf, type OfficeFilter } from './filter.ts';
import { PeriodPicker } from './PeriodPicker.tsx';

export const graceDaysOf = (search: string): number => {
  const n = Number(new URLSearchParams(search).get('graceDays'));
  return new URLSearchParams(search).has('graceDays') && Number.isInteger(n) && n >= 0 && n <= 60 ? n : DEFAULT_GRACE_DAYS;
};

export const formatRate = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

export function useCompleteness(api: OfficeApi, filter: OfficeFilter, graceDays: number) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: CompletenessAnswer }>({
    status: 'loading',
  });
  const query = `${queryOf(filter)}&graceDays=${graceDays}`;
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void api
      .completeness(query)
      .then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [query]);
  return state;
}

function RateCells(props: { r: RateRow }) {
  return (
    <>
      <td class="num">{formatRate(props.r.reportRate)}</td>
      <td class="num">{formatRate(props.r.onTimeRate)}</td>
    </>
  );
}

export function Completeness(props: {
  api: OfficeApi;
  filter: OfficeFilter;
  graceDays: number;
  units: readonly OrgUnitInfo[];
  onChange: (f: OfficeFilter, graceDays: number) => void;
}) {
  const { filter, graceDays } = props;
  const state = useCompleteness(props.api, filter, graceDays);
  const [draftDays, setDraftDays] = useState(String(graceDays));
  useEffect(() => setDraftDays(String(graceDays)), [graceDays]);
  const daysError = /^\d{1,2}$/.test(draftDays) && Number(draftDays) <= 60 ? '' : '请填 0–60 之间的天数';

  return (
    <section class="office-completeness">
      <p>
        <a href={`/office?${queryOf(filter)}`}>← 返回统计</a>
      </p>
      <h2>网格排查报告率与及时率</h2>
      <PeriodPicker filter={filter} units={props.units} onFilter={(f) => props.onChange(f, graceDays)}>
        <label>
          报送期限：月末后（天）
          <input
            type="number"
            min={0}
            max={60}
            inputMode="numeric"
            value={draftDays}
            aria-invalid={daysError ? 'true' : undefined}
            onInput={(e) => setDraftDays(e.currentTarget.value)}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (/^\d{1,2}$/.test(v) && Number(v) <= 60) props.onChange(filter, Number(v));
            }}
          />
          {daysError && (
            <span class="field-error" role="alert">
              {daysError}
            </span>
          )}
        </label>
      </PeriodPicker>
      <p class="muted">
        每个网格每月应至少上报一次排查（发现纠纷或零报告）。按时 = 服务器在当月最后一天后 {graceDays} 天（含当天，
        {timeZoneWording((state.status === 'ok' && state.value.timeZone) || DEFAULT_TIME_ZONE)}）之内收到；报告率 = 已报网格数 ÷ 网格数，及时率 = 按时网格数 ÷
        网格数。作废的排查不计。
      </p>
      {state.status === 'loading' && <p class="muted">正在统计…</p>}
      {state.status === 'error' && <p role="alert">统计失败：{state.message}</p>}
      {state.status === 'ok' && <CompletenessTables c={state.value} filter={filter} />}
    </section>
  );
}

function CompletenessTables(props: { c: CompletenessAnswer; filter: OfficeFilter }) {
  const { c, filter } = props;
  // A month whose deadline has not passed is still open: its grids are 待报, not 未报.
  const today = localDateOf(new Date().toISOString(), c.timeZone ?? DEFAULT_TIME_ZONE);
  const href = (gridId: string, month: number) => recordsPageHref({ metric: 'sweeps', year: c.year, orgUnitId: filter.orgUnitId, unit: gridId, month });
  return (
    <>
      <h3>各村（社区）与全镇</h3>
      <div class="table-scroll">
        <table class="office-table completeness-rates" data-testid="completeness-rates">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                单位
              </th>
              {c.months.map((m) => (
                <th scope="colgroup" colSpan={2} key={m}>
                  {m}月
                </th>
              ))}
              <th scope="colgroup" colSpan={2}>
                合计
              </th>
            </tr>
            <tr>
              {[...c.months, 0].map((m) => (
                <Fragment key={m}>
                  <th scope="col">报告率</th>
                  <th scope="col">及时率</th>
                </Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.villages.map((v) => (
              <tr key={v.id} data-village={v.id}>
                <th scope="row">{v.name || '（直属网格）'}</th>
                {v.byMonth.map((r, i) => (
                  <RateCells key={i} r={r} />
                ))}
                <RateCells r={v.all} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-village="total">
              <th scope="row">合计（{c.grids.length} 个网格）</th>
              {c.total.byMonth.map((r, i) => (
                <RateCells key={i} r={r} />
              ))}
              <RateCells r={c.total.all} />
            </tr>
          </tfoot>
        </table>
      </div>

      <h3>各网格逐月</h3>
      <div class="table-scroll">
        <table class="office-table completeness-grid" data-testid="completeness-grid">
          <thead>
            <tr>
              <th scope="col">村（社区）</th>
              <th scope="col">网格</th>
              {c.months.map((m, i) => (
                <th scope="col" key={m} title={`报送期限 ${c.deadlines[i]}`}>
                  {m}月
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.grids.map((g) => (
              <tr key={g.id} data-grid={g.id}>
                <td>{g.villageName}</td>
                <td>{g.name}</td>
                {g.statuses.map((s, i) => (
                  <td key={i} class={`status-${s}`} data-month={c.months[i]}>
                    {s !== 'missing' ? (
                      <a href={href(g.id, c.months[i]!)}>{`${STATUS_LABELS[s]}（${g.sweeps[i]}次）`}</a>
                    ) : c.deadlines[i]! >= today ? (
                      `待报（${c.deadlines[i]!.slice(5)}前）`
                    ) : (
                      STATUS_LABELS[s]
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
