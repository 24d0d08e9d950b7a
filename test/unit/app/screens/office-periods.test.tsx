// @vitest-environment happy-dom
// 结账与迟报: the "为…结账" button is offered only for a period not yet closed (a second close is
// a 409 the office cannot act on); and the 涉及金额 card's unit (万元) is the one its definition names.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { STAT_DEFINITIONS } from '#shared/stats/summary';
import type { OfficeApi, PeriodsAnswer } from '../../../../src/app/screens/Office/api.ts';
import type { OfficeFilter } from '../../../../src/app/screens/Office/filter.ts';
import { PeriodPicker } from '../../../../src/app/screens/Office/PeriodPicker.tsx';
import { Periods } from '../../../../src/app/screens/Office/Periods.tsx';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;
beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
});
afterEach(() => {
  render(null, host);
  host.remove();
});

const closed = (year: number, month: number): PeriodsAnswer['periods'][number] => ({
  id: `p-${year}-${month}`,
  year,
  month,
  label: month === 0 ? `${year}年全年` : `${year}年${month}月`,
  closedAt: '2025-01-05T09:00:00+08:00',
  closedByName: '王主任',
  lateCount: 0,
  late: [],
  changes: [],
});

/** The one endpoint the panel reads, answering as the server does. */
const apiWith = (periods: PeriodsAnswer['periods']) => ({ periods: async () => ({ ok: true, status: 200, body: { periods } }) }) as unknown as OfficeApi;

async function show(filter: OfficeFilter, periods: PeriodsAnswer['periods']) {
  render(<Periods api={apiWith(periods)} filter={filter} unitName="江口镇" />, host);
  await waitUntil(
    () => !host.textContent?.includes('正在读取'),
    'the periods list',
    () => host.textContent ?? '',
  );
}
const closeButton = () => [...host.querySelectorAll('button')].find((b) => b.textContent?.includes('结账'));

describe('结账 button', () => {
  test('is offered for a period not closed yet', async () => {
    await show({ year: 2024, quarter: 0, month: 0, orgUnitId: 'town' }, [closed(2024, 3)]);
    expect(closeButton()?.textContent).toBe('为2024年全年结账');
  });

  test('is gone once the year is closed, and says so', async () => {
    await show({ year: 2024, quarter: 0, month: 0, orgUnitId: 'town' }, [closed(2024, 0)]);
    expect(closeButton()).toBeUndefined();
    expect(host.querySelector('[data-testid="period-closed-note"]')?.textContent).toContain('2024年全年已结账');
  });

  test('is gone once the month is closed; another month still offers it', async () => {
    await show({ year: 2024, quarter: 0, month: 3, orgUnitId: 'town' }, [closed(2024, 3)]);
    expect(closeButton()).toBeUndefined();
    await show({ year: 2024, quarter: 0, month: 4, orgUnitId: 'town' }, [closed(2024, 3)]);
    expect(closeButton()?.textContent).toBe('为2024年4月结账');
  });
});

describe('结账 of a period not over yet', () => {
  const now = new Date();
  const year = now.getFullYear();
  const month = now.getMonth() + 1;
  test('is not offered for this month or this year, and says when it can be', async () => {
    await show({ year, quarter: 0, month, orgUnitId: 'town' }, []);
    expect(closeButton()).toBeUndefined();
    expect(host.querySelector('[data-testid="period-open-note"]')?.textContent).toContain(`${year}年${month}月尚未结束`);
    await show({ year, quarter: 0, month: 0, orgUnitId: 'town' }, []);
    expect(closeButton()).toBeUndefined();
    expect(host.querySelector('[data-testid="period-open-note"]')?.textContent).toContain(`${year}年全年尚未结束（截至 ${year}-12-31）`);
  });
  test('nor for a later year', async () => {
    await show({ year: year + 1, quarter: 0, month: 1, orgUnitId: 'town' }, []);
    expect(closeButton()).toBeUndefined();
  });
});

describe('dates of a close and of its late records', () => {
  let previous: string | undefined;
  beforeEach(() => {
    previous = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
  test('are told in local time, not UTC: a close at 07:30 on the 5th is on the 5th', async () => {
    const period = {
      ...closed(2024, 12),
      closedAt: '2025-01-04T23:30:00.000Z',
      lateCount: 1,
      late: [
        {
          id: 'e1',
          type: 'case.opened',
          subjectId: 's',
          orgUnitId: 'v',
          orgUnitName: '向阳村',
          occurredAt: '2024-12-30T09:00:00+08:00',
          receivedAt: '2025-01-05T22:10:00.000Z',
        },
      ],
      changes: [{ key: 'accepted', label: '受理（件）', atClose: 3, now: 4, change: 1 }],
    };
    await show({ year: 2024, quarter: 0, month: 12, orgUnitId: 'town' }, [period]);
    expect(host.textContent).toContain('王主任 于 2025-01-05 结账');
    expect(host.textContent).toContain('2024-12-30 · 向阳村 · ');
    expect(host.textContent).toContain('（2025-01-06 到达）');
  });
});

test('a late record’s change to the success rate is told in 个百分点, a count’s as a number', async () => {
  const period = {
    ...closed(2024, 12),
    lateCount: 1,
    changes: [
      { key: 'accepted', label: '受理（件）', atClose: 3, now: 4, change: 1 },
      { key: 'successRate', label: '调解成功率', atClose: 0.75, now: 0.753, change: 0.003 },
      { key: 'sessions', label: '法治宣讲（场次）', atClose: 2, now: 2, change: 0 },
    ],
  };
  await show({ year: 2024, quarter: 0, month: 12, orgUnitId: 'town' }, [period]);
  const cells = (label: string) => [...host.querySelectorAll('tr')].find((r) => r.querySelector('td')?.textContent === label)!.querySelectorAll('td');
  expect([...cells('调解成功率')].map((c) => c.textContent)).toEqual(['调解成功率', '75.0%', '75.3%', '+0.3 个百分点']);
  expect(cells('受理（件）')[3]!.textContent).toBe('+1');
  expect(cells('法治宣讲（场次）')[3]!.textContent).toBe('—');
});

test('the unit picker still offers a closed (撤并) unit for its history, and names it so', () => {
  const units = [
    { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
    { id: 'v1', parentId: 'v2', kind: 'village', name: '帆水村', closedOn: '2024-07-01', successorId: 'v2' },
    { id: 'v2', parentId: 'town', kind: 'village', name: '千丘村' },
  ];
  render(<PeriodPicker filter={{ year: 2024, quarter: 0, month: 0, orgUnitId: 'town' }} units={units} onFilter={() => undefined} />, host);
  const options = [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('单位'))!.querySelectorAll('option');
  expect([...options].map((o) => o.textContent)).toEqual(['江口镇', '帆水村（2024年已撤并）', '千丘村']);
});

test('涉及金额 is defined in the unit the dashboard shows it in (万元)', () => {
  expect(STAT_DEFINITIONS.amountInvolved).toContain('万元');
  expect(STAT_DEFINITIONS.amountInvolved).not.toMatch(/（元）/);
});
