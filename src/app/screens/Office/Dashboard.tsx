// 统计 dashboard for office staff: pick a year, quarter or month and a unit of the subtree;
// see the mediation, outreach and sweep figures with their definitions beside them, bars for
// the breakdowns, the grids that reported nothing, and the downloads. Every number is a link
// to the records behind it (/office/records).
import { useEffect, useRef, useState } from 'preact/hooks';
import { CAMPAIGN_NODES, DISPUTE_TYPES, OUTREACH_FORMS, OUTREACH_THEMES } from '#shared/codes';
import { recordsPageHref, type RecordsLink } from '#shared/office/records';
import { CHANNELS, STAT_DEFINITIONS } from '#shared/stats/summary';
import type { OrgUnitInfo } from '../../session/state.ts';
import { pulledRuns } from '../../sync/index.ts';
import { describeFailure, type GridsAnswer, type OfficeApi, type SummaryAnswer } from './api.ts';
import { BarChart, type Bar } from './BarChart.tsx';
import { PeriodCompare } from './PeriodCompare.tsx';
import { Periods } from './Periods.tsx';
import { Quality } from './Quality.tsx';
import { Reported } from './Reported.tsx';
import { periodLabel, periodOfFilter, queryOf, type OfficeFilter } from './filter.ts';
import { PeriodPicker } from './PeriodPicker.tsx';

type Load<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: T };

function Figure(props: { label: string; value: string; href?: string; definition: string; testId?: string }) {
  return (
    <div class="figure-card" data-testid={props.testId}>
      <div class="figure-label">{props.label}</div>
      <div class="figure-value">{props.href ? <a href={props.href}>{props.value}</a> : props.value}</div>
      <p class="figure-definition">{props.definition}</p>
    </div>
  );
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function Dashboard(props: { api: OfficeApi; filter: OfficeFilter; units: readonly OrgUnitInfo[]; onFilter: (f: OfficeFilter) => void }) {
  const { api, filter, units } = props;
  const [summary, setSummary] = useState<Load<SummaryAnswer>>({ status: 'loading' });
  const [grids, setGrids] = useState<Load<GridsAnswer>>({ status: 'loading' });
  const [notice, setNotice] = useState<string>('');
  // Bumped when a period is closed here, so the 报送 figures above show it at once.
  const [closedTick, setClosedTick] = useState(0);
  const query = queryOf(filter);

  // New records pulled (the live channel told of them): the figures are read again, the old ones shown meanwhile.
  const pulled = pulledRuns.value;
  const shownQuery = useRef<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    if (shownQuery.current !== query) {
      setSummary({ status: 'loading' });
      setGrids({ status: 'loading' });
    }
    shownQuery.current = query;
    void api.summary(query).then((r) => live && setSummary(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    void api.grids(query).then((r) => live && setGrids(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [api, query, pulled]);

  const nameOf = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  // A month bar names its own month; the filter's quarter would then contradict it.
  const link = (l: Omit<RecordsLink, 'year' | 'orgUnitId'>) =>
    recordsPageHref({ year: filter.year, orgUnitId: filter.orgUnitId, ...(l.month ? {} : periodOfFilter(filter)), ...l });
  const download = async (path: string) => {
    setNotice('正在生成文件…');
    const error = await api.download(path);
    setNotice(error ?? '已开始下载');
  };

  const thisYear = new Date().getFullYear();
  // The annual report is a town's or a county's document; the server refuses it for a village.
  const reportable = ['town', 'county'].includes(units.find((u) => u.id === filter.orgUnitId)?.kind ?? '');

  return (
    <section class="office-dashboard">
      <PeriodPicker filter={filter} units={units} onFilter={props.onFilter} />

      <div class="office-actions" role="group" aria-label="导出与报告">
        <button type="button" onClick={() => void download(`/api/exports/cases.xlsx?${query}`)}>
          导出案件登记台账（Excel）
        </button>
        <button type="button" onClick={() => void download(`/api/exports/cases.csv?${query}`)}>
          案件台账 CSV
        </button>
        <button type="button" onClick={() => void download(`/api/exports/outreach.xlsx?${query}`)}>
          导出普法台账（Excel）
        </button>
        <button type="button" onClick={() => void download(`/api/exports/stats.xlsx?${query}`)}>
          导出统计表（Excel）
        </button>
        {reportable && (
          <a class="button" href={`/office/report?year=${filter.year}&orgUnitId=${encodeURIComponent(filter.orgUnitId)}`}>
            年度报告草稿
          </a>
        )}
        {reportable && (
          <button
            type="button"
            onClick={() => void download(`/api/reports/annual?year=${filter.year}&orgUnitId=${encodeURIComponent(filter.orgUnitId)}&format=docx`)}
          >
            下载年度报告（Word）
          </button>
        )}
        <a class="button" href={`/office/ledgers?year=${filter.year}&orgUnitId=${encodeURIComponent(filter.orgUnitId)}`}>
          机关台账
        </a>
        <button type="button" onClick={() => void download(`/api/exports/ledgers.xlsx?year=${filter.year}&orgUnitId=${encodeURIComponent(filter.orgUnitId)}`)}>
          导出机关台账（Excel）
        </button>
        <button type="button" onClick={() => void download(`/api/exports/quality.xlsx?${query}`)}>
          导出数据质量清单（Excel）
        </button>
        {notice && (
          <span role="status" class="muted">
            {notice}
          </span>
        )}
      </div>

      <p class="muted">
        {nameOf(filter.orgUnitId)} · {periodLabel(filter)} · {STAT_DEFINITIONS.time}
      </p>

      {summary.status === 'loading' && <p class="muted">正在统计…</p>}
      {summary.status === 'error' && <p role="alert">统计失败：{summary.message}</p>}
      {/* The sections below wait for the figures: rendered before them, each would be pushed down the
          screen when the figures arrive (Lighthouse counted a layout shift of 0.69 over the demo year). */}
      {summary.status !== 'loading' && (
        <>
          <Reported key={closedTick} api={api} filter={filter} />
          {summary.status === 'ok' && (
            <Figures
              s={summary.value}
              link={link}
              nameOf={nameOf}
              self={filter.orgUnitId}
              byUnit={byUnitLabel(units.find((u) => u.id === filter.orgUnitId)?.kind)}
            />
          )}
          <PeriodCompare api={api} filter={filter} />

          <h2>矛盾纠纷排查（按网格）</h2>
          {grids.status === 'loading' && <p class="muted">正在读取…</p>}
          {grids.status === 'error' && <p role="alert">读取失败：{grids.message}</p>}
          {grids.status === 'ok' && (
            <>
              <p>
                {grids.value.silent > 0 ? (
                  <>
                    {periodLabel(filter)}共有 <strong data-testid="silent-grids">{grids.value.silent}</strong> 个网格没有任何排查记录（含零报告），列在最前。
                  </>
                ) : grids.value.grids.length > 0 ? (
                  // Nothing to put first: the line says the good news rather than "共有 0 个".
                  `${periodLabel(filter)}每个网格都有排查记录（含零报告）。`
                ) : null}
                {!(filter.year === thisYear && filter.month === new Date().getMonth() + 1) && (
                  <>
                    {' '}
                    <a href={`/office?${queryOf({ ...filter, year: thisYear, quarter: 0, month: new Date().getMonth() + 1 })}`}>看本月</a>
                  </>
                )}
              </p>
              <div class="table-scroll">
                <table class="office-table">
                  <thead>
                    <tr>
                      <th scope="col">村（社区）</th>
                      <th scope="col">网格</th>
                      <th scope="col">排查（次）</th>
                      <th scope="col">零报告（次）</th>
                      <th scope="col">发现纠纷（件）</th>
                      <th scope="col">最近排查</th>
                    </tr>
                  </thead>
                  <tbody>
                    {grids.value.grids.map((g) => (
                      <tr key={g.id} class={g.count === 0 ? 'silent' : undefined}>
                        <td>{g.parentName}</td>
                        <td>{g.name}</td>
                        <td>{g.count > 0 ? <a href={link({ metric: 'sweeps', unit: g.id })}>{g.count}</a> : <span class="warn">未报告</span>}</td>
                        <td>{g.zeroReports > 0 ? <a href={link({ metric: 'zero_reports', unit: g.id })}>{g.zeroReports}</a> : 0}</td>
                        <td>{g.disputesFound}</td>
                        <td>{g.lastDate || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}

          <h2>结账与迟报</h2>
          <Periods api={api} filter={filter} unitName={nameOf(filter.orgUnitId)} onClosed={() => setClosedTick((n) => n + 1)} />

          <h2>数据质量</h2>
          <Quality api={api} query={queryOf(filter)} />
        </>
      )}
    </section>
  );
}

/** What the bars "by unit" are split into: the level under the unit shown (a county's are its towns). */
function byUnitLabel(kind: string | undefined): string {
  if (kind === 'county') return '按乡镇（街道）';
  if (kind === 'town') return '按村（社区）';
  return '按下级单位';
}

function Figures(props: {
  s: SummaryAnswer;
  link: (l: Omit<RecordsLink, 'year' | 'orgUnitId'>) => string;
  nameOf: (id: string) => string;
  /** "按村（社区）": the level the by-unit bars are split into. */
  byUnit: string;
  /** The unit shown: its own records' bar is its 本级. */
  self: string;
}) {
  const { s, link, nameOf, byUnit } = props;
  const m = s.mediation;
  const o = s.outreach;
  const units = (counts: Record<string, number>, metric: 'resolved' | 'outreach'): Bar[] =>
    Object.entries(counts)
      // The unit's own records (本级) are named so: a bar 江口镇 29 among the villages reads as the town's total.
      .map(([id, value]) => ({ key: id, label: id === props.self ? `${nameOf(id)}（本级）` : nameOf(id), value, href: link({ metric, unit: id }) }))
      .sort((a, b) => b.value - a.value || (a.key < b.key ? -1 : 1));
  const months = (values: readonly number[], metric: 'resolved' | 'outreach'): Bar[] =>
    values.map((value, i) => ({ key: String(i + 1), label: `${i + 1}月`, value, href: link({ metric, month: i + 1 }) }));
  return (
    <>
      <h2>人民调解</h2>
      <div class="figure-grid">
        <Figure
          testId="figure-accepted"
          label="受理（件）"
          value={String(m.accepted)}
          href={link({ metric: 'accepted' })}
          definition={STAT_DEFINITIONS.accepted}
        />
        <Figure
          testId="figure-resolved"
          label="化解（件）"
          value={String(m.resolved)}
          href={link({ metric: 'resolved' })}
          definition={STAT_DEFINITIONS.resolved}
        />
        <Figure label="未化解（件）" value={String(m.failed)} href={link({ metric: 'failed' })} definition={STAT_DEFINITIONS.failed} />
        <Figure label="结案（件）" value={String(m.closed)} href={link({ metric: 'closed' })} definition={STAT_DEFINITIONS.closed} />
        <Figure label="调解成功率" value={pct(m.successRate)} definition={STAT_DEFINITIONS.successRate} />
        <Figure label="协议履行率" value={pct(m.performanceRate)} definition={STAT_DEFINITIONS.performanceRate} />
        <Figure label="涉及人数（人）" value={String(m.peopleInvolved)} href={link({ metric: 'resolved' })} definition={STAT_DEFINITIONS.peopleInvolved} />
        <Figure
          label="涉及金额（万元）"
          value={(m.amountInvolved / 10_000).toFixed(2)}
          href={link({ metric: 'resolved' })}
          definition={STAT_DEFINITIONS.amountInvolved}
        />
      </div>
      <div class="chart-grid">
        <BarChart
          title="化解案件按纠纷类型"
          hideZero
          bars={DISPUTE_TYPES.map((t) => ({
            key: t.code,
            label: t.label.replace(/纠纷$/, ''),
            value: m.byType[t.code] ?? 0,
            href: link({ metric: 'resolved', type: t.code }),
          }))}
        />
        <BarChart
          title="化解案件按来源（诉调、警调、访调…）"
          bars={CHANNELS.map((c) => ({ key: c.code, label: c.label, value: m.byChannel[c.code] ?? 0, href: link({ metric: 'resolved', channel: c.code }) }))}
        />
        <BarChart title={`化解案件${byUnit}`} hideZero bars={units(m.byOrgUnit, 'resolved')} />
        <BarChart title="化解案件按月份" bars={months(m.byMonth, 'resolved')} />
      </div>
      <p class="figure-definition">{STAT_DEFINITIONS.byChannel}</p>

      <h2>法治宣传</h2>
      <div class="figure-grid">
        <Figure
          testId="figure-sessions"
          label="法治宣讲（场次）"
          value={String(o.sessions)}
          href={link({ metric: 'outreach' })}
          definition={STAT_DEFINITIONS.sessions}
        />
        <Figure label="宣传群众（人次）" value={String(o.audience)} href={link({ metric: 'outreach' })} definition={STAT_DEFINITIONS.audience} />
        <Figure label="矛盾纠纷排查（次）" value={String(s.sweeps.count)} href={link({ metric: 'sweeps' })} definition={STAT_DEFINITIONS.sweeps} />
        <Figure label="零报告（次）" value={String(s.sweeps.zeroReports)} href={link({ metric: 'zero_reports' })} definition={STAT_DEFINITIONS.zeroReports} />
      </div>
      <div class="chart-grid">
        <BarChart
          title="宣讲场次按主题"
          hideZero
          bars={OUTREACH_THEMES.map((t) => ({
            key: t.code,
            label: t.label,
            value: o.byTheme?.[t.code] ?? 0,
            href: link({ metric: 'outreach', theme: t.code }),
          }))}
        />
        <BarChart
          title="宣讲场次按形式"
          hideZero
          bars={OUTREACH_FORMS.map((f) => ({ key: f.code, label: f.label, value: o.byForm?.[f.code] ?? 0, href: link({ metric: 'outreach', form: f.code }) }))}
        />
        <BarChart
          title="宣讲场次按宣传节点"
          hideZero
          bars={CAMPAIGN_NODES.map((c) => ({
            key: c.code,
            label: c.label,
            value: o.byCampaign?.[c.code] ?? 0,
            href: link({ metric: 'outreach', campaign: c.code }),
          }))}
        />
        <BarChart title={`宣讲场次${byUnit}`} hideZero bars={units(o.byOrgUnit, 'outreach')} />
        <BarChart title="宣讲场次按月份" bars={months(o.byMonth, 'outreach')} />
      </div>
    </>
  );
}
