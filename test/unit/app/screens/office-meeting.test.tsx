// @vitest-environment happy-dom
// The office's own wording: the 一页汇报 dates itself and names the zone its figures count days in
// from the deployment's zone (the summary answer says which), never the browser's locale or a fixed
// 北京时间 (and so does the 报告率与及时率 page's deadline); the dashboard's sweep line says nothing of "0 个网格" when every grid reported.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { completenessOf } from '#shared/stats/completeness';
import { summarize } from '#shared/stats/summary';
import { localDateOf } from '#shared/time';
import type { GridsAnswer, OfficeApi } from '../../../../src/app/screens/Office/api.ts';
import { Completeness } from '../../../../src/app/screens/Office/Completeness.tsx';
import { Dashboard } from '../../../../src/app/screens/Office/Dashboard.tsx';
import { MeetingSummary } from '../../../../src/app/screens/Office/MeetingSummary.tsx';
import { formatDay } from '../../../../src/app/format-day.ts';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;
beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
});
afterEach(() => {
  render(null, host);
  host.remove();
});

const filter = { year: 2024, quarter: 0, month: 0, orgUnitId: 'town' };
const grid = (id: string, count: number) => ({ id, name: `${id}网格`, parentName: '向阳村', count, zeroReports: 0, disputesFound: 0, lastDate: '' });

/** The endpoints a screen reads; any other stays loading (it is not what these tests look at). */
function apiWith(timeZone: string, grids: GridsAnswer): OfficeApi {
  const answers: Record<string, unknown> = {
    summary: { ...summarize([], { year: 2024, timeZone }), orgUnitId: 'town', timeZone },
    grids,
    periods: { periods: [] },
    completeness: { ...completenessOf([], [], { year: 2024, months: [1], graceDays: 5, timeZone }), period: '2024年1月' },
  };
  return new Proxy({} as OfficeApi, {
    get: (_, name: string) => (name in answers ? async () => ({ ok: true, status: 200, body: answers[name] }) : () => new Promise(() => undefined)),
  });
}

describe('一页汇报', () => {
  test.each([
    ['Asia/Shanghai', '北京时间'],
    ['Asia/Urumqi', 'Asia/Urumqi时区'],
  ])('in %s: 制表时间 as YYYY年M月D日 of that zone, and the zone named as %s', async (timeZone, wording) => {
    render(<MeetingSummary api={apiWith(timeZone, { period: '2024年', silent: 0, grids: [] })} filter={filter} unitName="江口镇" />, host);
    await waitUntil(
      () => !!host.querySelector('.compare-table'),
      'the figures',
      () => host.textContent ?? '',
    );
    const meta = host.querySelector('.meeting-meta')!.textContent!;
    expect(meta).toContain(`制表时间：${formatDay(localDateOf(new Date().toISOString(), timeZone))}`);
    expect(meta).toMatch(/制表时间：\d{4}年\d{1,2}月\d{1,2}日/);
    expect(meta).toContain(`按${wording}日期统计`);
  });
});

describe('报告率与及时率', () => {
  test.each([
    ['Asia/Shanghai', '北京时间'],
    ['Asia/Urumqi', 'Asia/Urumqi时区'],
  ])('in %s: the deadline is a day of that zone, named as %s', async (timeZone, wording) => {
    const monthFilter = { ...filter, month: 1 };
    render(
      <Completeness
        api={apiWith(timeZone, { period: '2024年', silent: 0, grids: [] })}
        filter={monthFilter}
        graceDays={5}
        units={[]}
        onChange={() => undefined}
      />,
      host,
    );
    await waitUntil(
      () => !!host.querySelector('[data-testid="completeness-rates"]'),
      'the rates',
      () => host.textContent ?? '',
    );
    expect(host.textContent).toContain(`5 天（含当天，${wording}）之内收到`);
  });
});

describe('dashboard sweeps by grid', () => {
  async function show(grids: GridsAnswer) {
    render(
      <Dashboard
        api={apiWith('Asia/Shanghai', grids)}
        filter={filter}
        units={[{ id: 'town', parentId: null, kind: 'town', name: '江口镇' }]}
        onFilter={() => undefined}
      />,
      host,
    );
    await waitUntil(
      () => host.textContent?.includes('矛盾纠纷排查（按网格）') === true && !!host.querySelector('.office-table'),
      'the grid table',
      () => host.textContent ?? '',
    );
  }

  test('names the silent grids when there are some', async () => {
    await show({ period: '2024年', silent: 1, grids: [grid('g1', 0), grid('g2', 3)] });
    expect(host.textContent).toContain('共有 1 个网格没有任何排查记录（含零报告），列在最前');
  });

  test('says every grid reported, not "共有 0 个", when none is silent', async () => {
    await show({ period: '2024年', silent: 0, grids: [grid('g1', 2)] });
    expect(host.textContent).not.toContain('共有 0 个');
    expect(host.textContent).toContain('每个网格都有排查记录（含零报告）');
  });
});
