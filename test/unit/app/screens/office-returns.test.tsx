// @vitest-environment happy-dom
// The 月报 screen over a stubbed fetch (the one thing the office screen talks to): the month's
// table with its 合计, a closed month saying so with its late records, the column switch, and
// the admin's type mapping and 专职/兼职 offered to admins only; the headers keep their units
// in brackets whole.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider } from 'preact-iso';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { MonthlyReturnResponse } from '#shared/api/returns';
import { monthlyReturnOf, RETURN_ITEMS } from '#shared/returns/monthly';
import OfficeScreen from '../../../../src/app/screens/Office/index.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;
const requests: string[] = [];

const report = monthlyReturnOf({
  year: 2024,
  month: 3,
  units: [
    { id: 'v1', name: '向阳村', level: 'village' },
    { id: 'town', name: '镇本级', level: 'town' },
  ],
  rowOf: (id) => (id === 'g1' ? 'v1' : 'town'),
  cases: [],
  sweeps: [
    { kind: 'sweep', subjectId: 's1', orgUnitId: 'g1', voided: false, sweptOn: '2024-03-02', households: 10, disputesFound: 2, zeroReport: false },
    { kind: 'sweep', subjectId: 's2', orgUnitId: 'g1', voided: false, sweptOn: '2024-02-02', households: 10, disputesFound: 1, zeroReport: false },
  ],
});
const body = (frozen: MonthlyReturnResponse['frozen']): MonthlyReturnResponse => ({
  orgUnitId: 'town',
  unitName: '江口镇',
  title: '江口镇矛盾纠纷排查调处情况月报表',
  periodLabel: '2024年3月',
  madeAt: '2024-04-02',
  report,
  upwardTypes: [{ code: 'total', label: '合计', month: 0, ytd: 0, lastYear: 0 }],
  halfMonth: [
    {
      id: 'g1',
      name: '第一网格',
      parentName: '向阳村',
      first: { count: 1, zeroReports: 0, disputesFound: 2 },
      second: { count: 0, zeroReports: 0, disputesFound: 0 },
    },
  ],
  registry: { committees: { village: 1, town: 1, enterprise: 0, sector: 0 }, committeeTotal: 2, mediators: { total: 2, fullTime: 1, partTime: 1 } },
  frozen,
});
let answer: MonthlyReturnResponse = body(null);

function logIn(role: string) {
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '王主任', roles: [{ role, orgUnitId: 'town' }] },
    orgUnits: [
      { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
      { id: 'v1', parentId: 'town', kind: 'village', name: '向阳村' },
      { id: 'g1', parentId: 'v1', kind: 'grid', name: '第一网格' },
    ],
    expiresAt: Date.now() + 1e9,
  };
}

beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
  requests.length = 0;
  answer = body(null);
  logIn('office');
  vi.stubGlobal('fetch', async (input: string) => {
    requests.push(String(input));
    const url = String(input);
    const json = url.includes('/type-map')
      ? { types: [{ localCode: '01', localLabel: '婚姻家庭纠纷', upwardCode: '01', upwardLabel: '婚姻家庭纠纷', mapped: false }] }
      : url.includes('/mediators')
        ? { mediators: [{ userId: 'm1', username: 'tj01', displayName: '胡刚', units: '向阳村调委会', employment: 'part_time', disabled: false }] }
        : answer;
    return new Response(JSON.stringify(json), { status: 200, headers: { 'content-type': 'application/json' } });
  });
});
afterEach(() => {
  render(null, host);
  host.remove();
  session.value = null;
  vi.unstubAllGlobals();
});

const rowText = (name: string) =>
  [...host.querySelectorAll('.returns-table tbody tr')].find((r) => r.querySelector('th')?.textContent === name)?.textContent ?? '';

async function show() {
  history.replaceState(null, '', '/office/returns?year=2024&month=3&orgUnitId=town');
  render(
    <LocationProvider>
      <OfficeScreen />
    </LocationProvider>,
    host,
  );
  await waitUntil(
    () => host.querySelector('.returns-table') !== null,
    'the return',
    () => host.textContent ?? '',
  );
}

describe('月报', () => {
  test('asks for the month of the link and shows its rows with 合计; the columns switch', async () => {
    await show();
    expect(requests.some((u) => u.includes('/api/returns/monthly?orgUnitId=town&year=2024&month=3'))).toBe(true);
    expect(rowText('向阳村')).toMatch(/^向阳村12/);
    expect(rowText('合计')).toMatch(/^合计12/);
    expect(host.textContent).toContain('本月尚未结账');
    const ytd = [...host.querySelectorAll('.returns-columns label')].find((l) => l.textContent?.includes('年度累计'))!.querySelector('input')!;
    await act(() => ytd.click());
    expect(rowText('向阳村')).toMatch(/^向阳村23/);
    expect(host.textContent).toContain('2024-01-01 至 2024-03-31');
    // Office staff get no admin editors.
    expect(host.textContent).not.toContain('纠纷类型上报对照');
  });

  test('holds each header’s unit in brackets together, so a narrow column never leaves a lone “）” on a line', async () => {
    await show();
    const heads = [...host.querySelectorAll('.returns-table thead th')].slice(1);
    expect(heads.map((th) => th.textContent)).toEqual(RETURN_ITEMS.map((i) => i.label));
    const withUnit = heads.filter((th) => th.textContent?.includes('（'));
    expect(withUnit.length).toBe(RETURN_ITEMS.length);
    for (const th of withUnit) {
      const unit = th.querySelector('span.unit');
      expect(unit?.textContent, th.textContent ?? '').toMatch(/^（[^（）]+）$/);
      // Nothing of the brackets outside the span: the name before it, the unit in it whole.
      expect(th.textContent!.slice(0, -unit!.textContent!.length)).not.toMatch(/[（）]/);
    }
    // The span is what does not wrap (the stylesheet is not loaded in happy-dom: read it).
    const css = readFileSync(path.join(process.cwd(), 'src/app/screens/Office/office.css'), 'utf8');
    expect(css).toMatch(/\.office-table \.unit \{\s*white-space: nowrap;\s*\}/);
  });

  test('a village with nothing to rank shows no rank; a return frozen before that field shows its rank', async () => {
    await show();
    const league = () => [...host.querySelectorAll('h3')].find((h) => h.textContent === '村（社区）排名')!.parentElement!.querySelector('tbody tr')!;
    expect(league().querySelector('td')?.textContent).toBe('—');
    render(null, host);
    // The answer as a snapshot of an older server holds it: no `ranked`.
    const { ranked: _, ...old } = report.league[0]!;
    answer = { ...body(null), report: { ...report, league: [old as (typeof report.league)[number]] } };
    await show();
    expect(league().querySelector('td')?.textContent).toBe('1');
  });

  test('a closed month says who closed it and lists what came in late', async () => {
    answer = body({
      closedAt: '2024-04-03T02:00:00Z',
      closedByName: '王主任',
      kept: true,
      lateCount: 1,
      late: [
        {
          id: 'e1',
          type: 'case.opened',
          subjectId: 'c1',
          orgUnitName: '第一网格',
          occurredAt: '2024-03-30T09:00:00+08:00',
          receivedAt: '2024-04-05T01:00:00Z',
        },
      ],
    });
    await show();
    expect(host.querySelector('.returns-frozen summary')?.textContent).toMatch(/已结账：王主任 于 2024-04-03 结账，以下为结账时的数字.*迟报 1 条/);
    expect(host.querySelector('.returns-frozen li')?.textContent).toBe('2024-03-30 · 第一网格 · 登记案件（2024-04-05 到达）');
  });

  test('admins also keep the type mapping and the mediators’ 专职/兼职', async () => {
    logIn('admin');
    await show();
    await waitUntil(
      () => host.textContent?.includes('人民调解员专职/兼职') ?? false,
      'the admin editors',
      () => host.textContent ?? '',
    );
    expect(host.textContent).toContain('纠纷类型上报对照');
    expect(host.querySelector('select[aria-label="胡刚 专职或兼职"]')).not.toBeNull();
  });
});
