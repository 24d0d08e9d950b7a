// 一页汇报: the period on one A4 page for the leadership meeting: the key figures with 同比 (and
// 环比 for a month or quarter), the top dispute types, the grids' 报告率/及时率 and one chart.
// A print view: 打印 gives exactly this page; print CSS (office.css) hides the app around it.
import { useEffect, useState } from 'preact/hooks';
import { DISPUTE_TYPES } from '#shared/codes';
import { recordsPageHref } from '#shared/office/records';
import { DEFAULT_GRACE_DAYS } from '#shared/stats/completeness';
import { DEFAULT_TIME_ZONE, localDateOf } from '#shared/time';
import { timeZoneWording } from '#shared/zone-wording';
import { formatDay } from '../../format-day.ts';
import { BarChart } from './BarChart.tsx';
import { formatRate, useCompleteness } from './Completeness.tsx';
import { periodOfFilter, queryOf, type OfficeFilter } from './filter.ts';
import { CompareTable, labelOfPeriod, loadCompared, periodQueryOf, type ComparedSummaries } from './PeriodCompare.tsx';
import type { OfficeApi } from './api.ts';

const TOP_TYPES = 5;

export function MeetingSummary(props: { api: OfficeApi; filter: OfficeFilter; unitName: string }) {
  const { api, filter, unitName } = props;
  const [data, setData] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: ComparedSummaries }>({
    status: 'loading',
  });
  const completeness = useCompleteness(api, filter, DEFAULT_GRACE_DAYS);
  const query = queryOf(filter);
  useEffect(() => {
    let live = true;
    void loadCompared(api, filter).then((r) => live && setData(r.ok ? { status: 'ok', value: r.value } : { status: 'error', message: r.message }));
    return () => {
      live = false;
    };
  }, [query]);
  const period = labelOfPeriod(periodQueryOf(filter));
  // The figures count days in the deployment's zone (the summary says which): the page's date and
  // its wording follow it, not the browser's locale or a fixed 北京时间.
  const timeZone = (data.status === 'ok' && data.value.current.timeZone) || DEFAULT_TIME_ZONE;
  const link = (extra: { type?: string; month?: number }) =>
    recordsPageHref({ metric: 'resolved', year: filter.year, orgUnitId: filter.orgUnitId, ...(extra.month ? {} : periodOfFilter(filter)), ...extra });

  return (
    <section class="meeting-summary">
      <div class="report-toolbar">
        <a href={`/office?${query}`}>← 返回统计</a>
        <button type="button" onClick={() => window.print()}>
          打印
        </button>
        <span class="muted">A4 一页；打印时只出这一页。</span>
      </div>
      <article class="meeting-page" data-testid="meeting-page">
        <h1>
          {unitName}
          {period}矛盾纠纷化解与法治宣传工作统计摘要
        </h1>
        <p class="meeting-meta">
          制表时间：{formatDay(localDateOf(new Date().toISOString(), timeZone))} · 数据来源：法治台账（按{timeZoneWording(timeZone)}日期统计，作废记录不计）
        </p>
        {data.status === 'loading' && <p class="muted">正在统计…</p>}
        {data.status === 'error' && <p role="alert">统计失败：{data.message}</p>}
        {data.status === 'ok' && (
          <>
            <h2>一、主要数字</h2>
            <CompareTable
              filter={filter}
              data={data.value}
              measures={['accepted', 'resolved', 'peopleInvolved', 'amountInvolved', 'sessions', 'audience', 'sweeps']}
            />
            <p>
              调解成功率 {formatRate(data.value.current.mediation.successRate)}（结案 {data.value.current.mediation.closed} 件），协议履行率{' '}
              {formatRate(data.value.current.mediation.performanceRate)}。
            </p>
            <div class="meeting-columns">
              <div>
                <h2>二、主要纠纷类型</h2>
                <TopTypes s={data.value} link={link} />
                <h2>三、网格排查报告情况</h2>
                {completeness.status === 'ok' ? (
                  <p data-testid="meeting-completeness">
                    {completeness.value.grids.length} 个网格，报告率 {formatRate(completeness.value.total.all.reportRate)}，及时率{' '}
                    {formatRate(completeness.value.total.all.onTimeRate)}（月末后 {DEFAULT_GRACE_DAYS} 天内报送为按时）。
                    {lowest(completeness.value.villages)}
                  </p>
                ) : (
                  <p class="muted">{completeness.status === 'error' ? `读取失败：${completeness.message}` : '正在统计…'}</p>
                )}
              </div>
              <div>
                <BarChart
                  title="化解案件按月份"
                  bars={data.value.current.mediation.byMonth
                    .map((value, i) => ({ key: String(i + 1), label: `${i + 1}月`, value, href: link({ month: i + 1 }) }))
                    .filter((b) => !filter.month || Number(b.key) === filter.month)
                    .filter((b) => !filter.quarter || Math.ceil(Number(b.key) / 3) === filter.quarter)}
                />
              </div>
            </div>
          </>
        )}
      </article>
    </section>
  );
}

function TopTypes(props: { s: ComparedSummaries; link: (x: { type: string }) => string }) {
  const m = props.s.current.mediation;
  const ranked = DISPUTE_TYPES.map((t) => ({ ...t, n: m.byType[t.code] ?? 0 }))
    .filter((t) => t.n > 0)
    .sort((a, b) => b.n - a.n);
  if (ranked.length === 0) return <p>本期没有化解案件。</p>;
  const top = ranked.slice(0, TOP_TYPES);
  const share = (n: number) => (m.resolved === 0 ? '' : `，占 ${Math.round((n / m.resolved) * 1000) / 10}%`);
  const rest = ranked.slice(top.length);
  return (
    <>
      <ol class="meeting-types">
        {top.map((t) => (
          <li key={t.code}>
            <a href={props.link({ type: t.code })}>{t.label}</a> {t.n} 件{share(t.n)}
          </li>
        ))}
      </ol>
      {rest.length > 0 && (
        <p class="muted">
          其余
          {rest
            .map((t) => t.label.replace(/纠纷$/, ''))
            .slice(0, 3)
            .join('、')}
          等 {rest.length} 类共 {rest.reduce((n, t) => n + t.n, 0)} 件。
        </p>
      )}
    </>
  );
}

function lowest(villages: readonly { name: string; all: { reportRate: number | null } }[]): string {
  const below = villages.filter((v) => v.all.reportRate !== null && v.all.reportRate < 1).sort((a, b) => (a.all.reportRate ?? 0) - (b.all.reportRate ?? 0));
  if (below.length === 0) return '各村（社区）均按月报告。';
  return `报告率较低：${below
    .slice(0, 3)
    .map((v) => `${v.name || '直属网格'} ${formatRate(v.all.reportRate)}`)
    .join('、')}${below.length > 3 ? '等' : ''}。`;
}
