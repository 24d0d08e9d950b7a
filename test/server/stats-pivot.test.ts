// GET /api/stats/pivot and /api/stats/completeness on both stores: the pivot's grand total is
// the summary's figure for every measure, its cells are the counts of the pushed events and
// link to exactly those records, 同比/环比 line up across year edges, and a grid's month is
// on time only when the server received its sweep by the deadline.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompletenessResponse } from '#shared/stats/completeness';
import { cellKey, PIVOT_MEASURES, type PivotResponse } from '#shared/stats/pivot';
import type { Summary } from '#shared/stats/summary';
import { localParts } from '#shared/time';
import { yearOfEvents } from './office-fixtures.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import {
  caseClosed,
  caseOpened,
  G1,
  G2,
  G3,
  outreach,
  push,
  seedTownship,
  sweep,
  TOWN,
  TOWN_COMMITTEE,
  V1,
  V2,
  type Township,
} from './support/sync-fixtures.ts';

describe.each(storeCases())('stats pivot on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const now = new Date(Date.now() - 60_000);
  const here = localParts(now.toISOString(), 'Asia/Shanghai');
  beforeAll(async () => {
    town = await seedTownship(t());
    const lastYear = caseOpened(G1, '2023-03-01T09:00:00+08:00', { peopleInvolved: 2 });
    const r = await push(t(), town.tokens.admin!, [
      ...yearOfEvents(),
      lastYear,
      caseClosed(lastYear, '2023-03-05T09:00:00+08:00', 'success'),
      outreach(G3, '2023-05-10T09:00:00+08:00', 40),
      sweep(G1, now.toISOString(), 0),
    ]);
    expect(r.body.results.every((x) => x.status === 'applied')).toBe(true);
  });
  const get = <T>(url: string) => t().json<T>('GET', url, { token: town.tokens.office! });
  const pivot = (q: string) => get<PivotResponse>(`/api/stats/pivot?orgUnitId=${TOWN}&${q}`);

  it('every measure: the grand total is the summary figure, by unit × month and by its own dimensions', async () => {
    const summary = (await get<Summary>(`/api/stats/summary?year=2024&orgUnitId=${TOWN}`)).body;
    const expected: Record<string, number> = {
      accepted: summary.mediation.accepted,
      closed: summary.mediation.closed,
      resolved: summary.mediation.resolved,
      peopleInvolved: summary.mediation.peopleInvolved,
      amountInvolved: summary.mediation.amountInvolved,
      sessions: summary.outreach.sessions,
      audience: summary.outreach.audience,
      sweeps: summary.sweeps.count,
      disputesFound: summary.sweeps.disputesFound,
    };
    expect(expected).toMatchObject({ accepted: 5, resolved: 3, sessions: 2, sweeps: 3, disputesFound: 2 });
    for (const m of PIVOT_MEASURES) {
      const p = await pivot(`year=2024&measure=${m.code}&rows=unit&cols=month`);
      expect(p.status).toBe(200);
      expect(p.body.current.total, m.code).toBe(expected[m.code]);
      const rowSum = p.body.rowKeys.reduce((n, r) => n + (p.body.current.rowTotals[r.key] ?? 0), 0);
      expect(rowSum, m.code).toBeCloseTo(expected[m.code]!, 6);
    }
    for (const [measure, rows, cols] of [
      ['resolved', 'type', 'channel'],
      ['closed', 'channel', 'result'],
      ['sessions', 'form', 'campaign'],
    ] as const) {
      const p = await pivot(`year=2024&measure=${measure}&rows=${rows}&cols=${cols}`);
      expect(p.body.current.total).toBe(expected[measure]);
    }
  });

  it('cells are the events counted by village and month, and each links to exactly its records', async () => {
    const p = (await pivot('year=2024&measure=resolved&rows=unit&cols=month')).body;
    // Every village is a row; the town's committee, which holds nothing, is not (as in the workbook).
    expect(p.rowKeys.map((r) => r.key)).toEqual([V1, V2]);
    expect(p.colKeys).toHaveLength(12);
    expect(p.current.cells[cellKey(V1, '3')]).toBe(1);
    expect(p.current.cells[cellKey(V1, '12')]).toBe(1);
    expect(p.current.cells[cellKey(V2, '6')]).toBe(1);
    expect(p.current.rowTotals[V1]).toBe(2);
    // 同比: the 2023 March case sits in the same cell a year earlier.
    expect(p.lastYear.cells[cellKey(V1, '3')]).toBe(1);
    expect(p.lastYear.total).toBe(1);
    expect(p.previous).toBeNull();
    for (const [key, href] of Object.entries(p.links)) {
      const [row, col] = key.split('\u0000') as [string, string];
      const value =
        row === '*' && col === '*'
          ? p.current.total
          : row === '*'
            ? (p.current.colTotals[col] ?? 0)
            : col === '*'
              ? (p.current.rowTotals[row] ?? 0)
              : (p.current.cells[key] ?? 0);
      const r = await get<{ total: number }>(href.replace('/office/records', '/api/office/records'));
      expect(r.body.total, href).toBe(value);
    }
    const closed = (await pivot('year=2024&measure=closed&rows=result&cols=unit')).body;
    expect(closed.current.cells[cellKey('not_success', V2)]).toBe(1);
    const failed = await get<{ total: number }>(closed.links[cellKey('not_success', V2)]!.replace('/office/records', '/api/office/records'));
    expect(failed.body.total).toBe(1);
  });

  it('环比 of January is last December; of a quarter the quarter before', async () => {
    const jan = (await pivot('year=2025&month=1&measure=resolved&rows=unit&cols=month')).body;
    expect(jan.current.total).toBe(1);
    expect(jan.period.previous).toBe('2024年12月');
    expect(jan.previous?.total).toBe(1);
    // Lined up on the current month, so the comparison sits in the same cell.
    expect(jan.previous?.cells[cellKey(V1, '1')]).toBe(1);
    const q1 = (await pivot('year=2024&quarter=2&measure=sessions&rows=unit&cols=month')).body;
    expect(q1.current.cells[cellKey(V2, '5')]).toBe(1);
    expect(q1.lastYear.cells[cellKey(V2, '5')]).toBe(1);
    expect(q1.period.previous).toBe('2024年第1季度');
  });

  it('lists a 调委会 only with a figure in a compared period, on either axis; an empty village always', async () => {
    const keys = (p: PivotResponse, axis: 'rowKeys' | 'colKeys') => p[axis].map((k) => k.key);
    const byUnit = (await pivot('year=2024&measure=sessions&rows=month&cols=unit')).body;
    expect(keys(byUnit, 'colKeys')).toEqual([V1, V2]);
    // A case filed on the committee itself makes it a row of its year and, for 同比, of the next.
    const own = caseOpened(TOWN_COMMITTEE, '2021-06-01T09:00:00+08:00');
    const r = await push(t(), town.tokens.admin!, [own, caseClosed(own, '2021-06-05T09:00:00+08:00', 'success')]);
    expect(r.body.results.every((x) => x.status === 'applied')).toBe(true);
    const y2021 = (await pivot('year=2021&measure=resolved&rows=unit&cols=month')).body;
    expect(keys(y2021, 'rowKeys')).toEqual([TOWN_COMMITTEE, V1, V2]);
    expect(y2021.current.rowTotals[TOWN_COMMITTEE]).toBe(1);
    expect(keys((await pivot('year=2022&measure=resolved&rows=unit&cols=month')).body, 'rowKeys')).toEqual([TOWN_COMMITTEE, V1, V2]);
    expect(keys((await pivot('year=2023&measure=resolved&rows=unit&cols=month')).body, 'rowKeys')).toEqual([V1, V2]);
  });

  it('refuses a dimension the measure does not carry, and units outside the scope', async () => {
    const r = await pivot('year=2024&measure=accepted&rows=type&cols=unit');
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('纠纷类型');
    expect((await pivot('year=2024&measure=nope&rows=unit&cols=month')).status).toBe(400);
    const grid = await t().json('GET', `/api/stats/pivot?orgUnitId=${TOWN}&year=2024&measure=resolved&rows=unit&cols=month`, { token: town.tokens.grid1! });
    expect(grid.status).toBe(403);
  });

  it('exports the table as shown (.xlsx)', async () => {
    const res = await t().request('GET', `/api/stats/pivot.xlsx?orgUnitId=${TOWN}&year=2024&measure=resolved&rows=unit&cols=month`, {
      token: town.tokens.office!,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const p1 = (await pivot('year=2024&measure=resolved&rows=unit&cols=month')).body;
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toContain('化解');
    const header = ws.getRow(3).values as unknown[];
    const totalCol = header.indexOf('合计');
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(totalCol).value).toBe(3);
    // 同比 of the whole: 3 against 1 in 2023; a row whose base is 0 says "—".
    expect(last.getCell(header.indexOf('同比')).value).toBe(2);
    expect(ws.getRow(p1.rowKeys.findIndex((r) => r.key === V2) + 4).getCell(header.indexOf('同比')).value).toBe('—');
    const v1Row = p1.rowKeys.findIndex((r) => r.key === V1) + 4;
    expect(ws.getRow(v1Row).getCell(totalCol).value).toBe(2);
    // 涉及金额 in 万元, as on screen: 20 000 + 5 000 元 resolved.
    const amount = await t().request('GET', `/api/stats/pivot.xlsx?orgUnitId=${TOWN}&year=2024&measure=amountInvolved&rows=unit&cols=month`, {
      token: town.tokens.office!,
    });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(await amount.arrayBuffer());
    const ws2 = wb2.worksheets[0]!;
    expect(ws2.getRow(ws2.rowCount).getCell(totalCol).value).toBe(2.5);
  });

  it('completeness: a sweep received by the deadline is on time, one received later is late, none is missing', async () => {
    const late = (await get<CompletenessResponse>(`/api/stats/completeness?orgUnitId=${TOWN}&year=2024&month=4`)).body;
    expect(Object.fromEntries(late.grids.map((g) => [g.id, g.statuses[0]]))).toEqual({ [G1]: 'late', [G2]: 'late', [G3]: 'late' });
    expect(late.total.all).toMatchObject({ expected: 3, reported: 3, onTime: 0, reportRate: 1, onTimeRate: 0 });
    expect(late.deadlines).toEqual(['2024-05-05']);

    const month = Number(here.date.slice(5, 7));
    const year = Number(here.date.slice(0, 4));
    const current = (await get<CompletenessResponse>(`/api/stats/completeness?orgUnitId=${TOWN}&year=${year}&month=${month}&graceDays=3`)).body;
    const status = Object.fromEntries(current.grids.map((g) => [g.id, g.statuses[0]]));
    expect(status).toEqual({ [G1]: 'on_time', [G2]: 'missing', [G3]: 'missing' });
    const v1 = current.villages.find((v) => v.id === V1)!;
    expect(v1.all).toMatchObject({ expected: 2, reported: 1, onTime: 1, reportRate: 0.5, onTimeRate: 0.5 });
    expect(current.villages.find((v) => v.id === V2)!.all.reportRate).toBe(0);
    expect(current.total.all.reportRate).toBeCloseTo(1 / 3, 4);

    const year2024 = (await get<CompletenessResponse>(`/api/stats/completeness?orgUnitId=${TOWN}&year=2024`)).body;
    expect(year2024.months).toHaveLength(12);
    expect(year2024.total.byMonth[3]).toMatchObject({ reported: 3 });
    expect(year2024.total.byMonth[4]).toMatchObject({ reported: 0, reportRate: 0 });
  });
});
