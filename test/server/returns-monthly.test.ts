// The monthly return through HTTP on every store: the same figures as the shared reference
// over the same events, a flag set years after the case counted in its month, 结账 freezing the
// return with the late records listed, the .xlsx adding up, the upward-type mapping and the
// 专职/兼职 registry; bad input is a 4xx with a Chinese message.
import ExcelJS from 'exceljs';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyReturnResponse, TypeMapResponse } from '#shared/api/returns';
import type { DomainEvent } from '#shared/events';
import { foldAll, type CaseState, type SweepState } from '#shared/fold/index';
import { monthlyReturnOf, RETURN_ITEMS, returnCaseOf } from '#shared/returns/monthly';
import { sweepFactsOf } from '#shared/stats/facts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import {
  caseClosed,
  caseOpened,
  caseVoided,
  G1,
  G2,
  G3,
  push,
  seedTownship,
  sweep,
  TOWN,
  TOWN_COMMITTEE,
  V1,
  V2,
  type Township,
} from './support/sync-fixtures.ts';

function outcomes(of: DomainEvent, occurredAt: string, flags: string[]): DomainEvent {
  return {
    id: uuidv7(),
    subjectId: of.subjectId,
    orgUnitId: of.orgUnitId,
    occurredAt,
    recordedAt: new Date().toISOString(),
    deviceId: 'dev-test',
    deviceSeq: 1,
    type: 'case.outcomes',
    data: { flags },
  } as DomainEvent;
}

/** March 2024 and around it: every row has something, and the edges are tested. */
function events(): DomainEvent[] {
  const a = caseOpened(G1, '2024-03-01T00:10:00+08:00', { peopleInvolved: 5, amountInvolved: 3000.25, source: 'self_initiated' });
  const b = caseOpened(G2, '2024-03-31T15:30:00Z', { peopleInvolved: 2 });
  const c = caseOpened(G3, '2024-02-10T09:00:00+08:00', { disputeType: '01', disputeSubtype: '01-divorce' });
  const d = caseOpened(TOWN_COMMITTEE, '2024-03-12T09:00:00+08:00', { disputeType: '10-migrant-wages' as never });
  const e = caseOpened(G3, '2023-03-05T09:00:00+08:00');
  const old = caseOpened(G1, '2022-05-05T09:00:00+08:00');
  const gone = caseOpened(G1, '2024-03-05T09:00:00+08:00');
  return [
    a,
    caseClosed(a, '2024-03-10T10:00:00+08:00', 'success'),
    outcomes(a, '2024-03-10T10:00:00+08:00', ['prevented_criminal']),
    b,
    c,
    caseClosed(c, '2024-03-02T10:00:00+08:00', 'failure', 'none'),
    d,
    caseClosed(d, '2024-03-20T10:00:00+08:00', 'success'),
    e,
    caseClosed(e, '2023-03-06T10:00:00+08:00', 'success'),
    old,
    caseClosed(old, '2022-05-06T10:00:00+08:00', 'success'),
    // Learned years later: the court set the agreement aside in March 2024.
    outcomes(old, '2024-03-18T10:00:00+08:00', ['agreement_overturned']),
    gone,
    outcomes(gone, '2024-03-06T10:00:00+08:00', ['mass_petition']),
    caseVoided(gone, '2024-03-07T10:00:00+08:00'),
    sweep(G1, '2024-03-01T09:00:00+08:00', 2),
    sweep(G1, '2024-03-20T09:00:00+08:00', 0),
    sweep(G3, '2024-03-14T09:00:00+08:00', 1),
    sweep(G3, '2024-02-29T15:59:00Z', 0),
  ];
}

const ROW: Record<string, string> = { [G1]: V1, [G2]: V1, [V1]: V1, [G3]: V2, [V2]: V2, [TOWN_COMMITTEE]: TOWN, [TOWN]: TOWN };

function reference(list: readonly DomainEvent[], year: number, month: number) {
  const states = foldAll(list);
  return monthlyReturnOf({
    year,
    month,
    units: [
      { id: V1, name: '红星村', level: 'village' },
      { id: V2, name: '青山村', level: 'village' },
      { id: TOWN, name: '镇本级', level: 'town' },
    ],
    rowOf: (id) => ROW[id],
    cases: states.filter((s): s is CaseState => s.kind === 'case').map((s) => returnCaseOf(s, 'Asia/Shanghai')),
    sweeps: states.filter((s): s is SweepState => s.kind === 'sweep').map((s) => sweepFactsOf(s, 'Asia/Shanghai')),
  });
}

async function sheetOf(bytes: ArrayBuffer, name: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

describe.each(storeCases())('monthly return on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const pushed = events();
  beforeAll(async () => {
    town = await seedTownship(t());
    const r = await push(t(), town.tokens.admin!, pushed);
    expect(
      r.body.results.every((x) => x.status === 'applied'),
      JSON.stringify(r.body.results.filter((x) => x.status !== 'applied')),
    ).toBe(true);
  });
  const get = (query: string, token = town.tokens.office!) =>
    t().json<MonthlyReturnResponse>('GET', `/api/returns/monthly?orgUnitId=${TOWN}&${query}`, { token });

  it('gives the shared reference figures, row by row, in every column', async () => {
    const r = await get('year=2024&month=3');
    expect(r.status).toBe(200);
    expect(r.body.frozen).toBeNull();
    expect(r.body.report.rows).toEqual(reference(pushed, 2024, 3).rows);
    const byUnit = Object.fromEntries(r.body.report.rows.map((x) => [x.unitId, x]));
    expect(byUnit[V1]!.month).toMatchObject({ accepted: 2, prevented: 1, closed: 1, resolved: 1, people: 5, amountCents: 300025, sweeps: 2, disputesFound: 2 });
    // 23:59 on 29 February local (15:59Z) is February's sweep.
    expect(byUnit[V2]!.month).toMatchObject({ accepted: 0, closed: 1, resolved: 0, successRate: 0, sweeps: 1 });
    expect(byUnit[TOWN]!.month).toMatchObject({ accepted: 1, resolved: 1 });
    expect(byUnit.total!.month).toMatchObject({
      closed: 3,
      resolved: 2,
      successRate: 66.7,
      'outcome:prevented_criminal': 1,
      'outcome:agreement_overturned': 1,
      'outcome:mass_petition': 0,
    });
    expect(byUnit[V2]!.lastYear).toMatchObject({ accepted: 1, resolved: 1 });
    expect(byUnit[V2]!.ytd).toMatchObject({ accepted: 1, closed: 1 });
  });

  it('lists every grid in the half-month view and counts the registry', async () => {
    const r = await get('year=2024&month=3');
    const g1 = r.body.halfMonth.find((g) => g.id === G1)!;
    expect([g1.first.count, g1.first.disputesFound, g1.second.count, g1.second.zeroReports]).toEqual([1, 2, 1, 1]);
    expect(r.body.halfMonth.find((g) => g.id === G2)).toMatchObject({ first: { count: 0 }, second: { count: 0 } });
    expect(r.body.registry.committees).toMatchObject({ village: 1, town: 1 });
    expect(r.body.registry.mediators).toEqual({ total: 1, fullTime: 0, partTime: 1 });
    const set = await t().json('PUT', `/api/returns/mediators/${town.userIds.mediator1!}`, { token: town.tokens.admin!, body: { employment: 'full_time' } });
    expect(set.status).toBe(200);
    expect((await get('year=2024&month=3')).body.registry.mediators).toEqual({ total: 1, fullTime: 1, partTime: 0 });
    const bad = await t().json<{ error: { message: string } }>('PUT', `/api/returns/mediators/${town.userIds.mediator1!}`, {
      token: town.tokens.admin!,
      body: { employment: 'sometimes' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('请选择专职或兼职');
    expect(
      (await t().json('PUT', `/api/returns/mediators/${town.userIds.grid1!}`, { token: town.tokens.admin!, body: { employment: 'full_time' } })).status,
    ).toBe(404);
  });

  it('groups 受理 by the upward code the admin maps, leaving the cases as they were', async () => {
    const before = await get('year=2024&month=3');
    expect(before.body.upwardTypes.find((x) => x.code === '01')).toMatchObject({ ytd: 1 });
    const put = await t().json<TypeMapResponse>('PUT', '/api/returns/type-map', {
      token: town.tokens.admin!,
      body: { entries: [{ localCode: '01-divorce', upwardCode: 'HY-01', upwardLabel: '离婚纠纷' }] },
    });
    expect(put.status).toBe(200);
    expect(put.body.types.find((x) => x.localCode === '01-divorce')).toMatchObject({ upwardCode: 'HY-01', mapped: true });
    expect(put.body.types.find((x) => x.localCode === '01')).toMatchObject({ upwardCode: '01', mapped: false });
    const after = await get('year=2024&month=3');
    expect(after.body.upwardTypes.find((x) => x.code === 'HY-01')).toMatchObject({ label: '离婚纠纷', ytd: 1 });
    expect(after.body.upwardTypes.find((x) => x.code === '01')).toMatchObject({ ytd: 0 });
    expect(after.body.upwardTypes.at(-1)).toMatchObject({ code: 'total', ytd: after.body.report.rows.at(-1)!.ytd.accepted });
    expect(after.body.report.rows).toEqual(before.body.report.rows);

    const unknown = await t().json<{ error: { message: string } }>('PUT', '/api/returns/type-map', {
      token: town.tokens.admin!,
      body: { entries: [{ localCode: '77', upwardCode: 'X', upwardLabel: '某' }] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('未知的本地纠纷类型');
    const badCode = await t().json<{ error: { message: string } }>('PUT', '/api/returns/type-map', {
      token: town.tokens.admin!,
      body: { entries: [{ localCode: '02', upwardCode: '邻里', upwardLabel: '邻里' }] },
    });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.message).toContain('上报代码');
    expect((await t().json('PUT', '/api/returns/type-map', { token: town.tokens.office!, body: { entries: [] } })).status).toBe(403);
  });

  it('结账 freezes the month: a late record is listed and changes no figure', async () => {
    const before = await get('year=2024&month=3');
    const close = await t().json('POST', '/api/office/periods/close', { token: town.tokens.office!, body: { orgUnitId: TOWN, year: 2024, month: 3 } });
    expect(close.status).toBe(201);
    const late = caseOpened(G3, '2024-03-30T09:00:00+08:00');
    await push(t(), town.tokens.admin!, [late, caseClosed(late, '2024-03-31T09:00:00+08:00', 'success')]);
    const frozen = await get('year=2024&month=3');
    expect(frozen.body.frozen).toMatchObject({ closedByName: 'office', kept: true, lateCount: 2 });
    expect(frozen.body.frozen!.late.map((e) => e.orgUnitName)).toEqual(['青山村第一网格', '青山村第一网格']);
    expect(frozen.body.report).toEqual(before.body.report);
    // April is open: its 年度累计 holds the late case.
    const april = await get('year=2024&month=4');
    const v2 = (r: MonthlyReturnResponse) => r.report.rows.find((x) => x.unitId === V2)!;
    expect(v2(april.body).ytd.accepted).toBe(Number(v2(before.body).ytd.accepted) + 1);
  });

  it('downloads a sheet whose 合计 adds up, with the paper form around it', async () => {
    const res = await t().request(
      'GET',
      `/api/returns/monthly.xlsx?orgUnitId=${TOWN}&year=2024&month=3&responsible=${encodeURIComponent('王所长')}&preparer=${encodeURIComponent('李干事')}`,
      {
        token: town.tokens.office!,
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = await res.arrayBuffer();
    for (const name of ['本月', '年度累计', '同期']) {
      const ws = await sheetOf(bytes, name);
      expect(String(ws.getCell(1, 1).value)).toContain('江口镇矛盾纠纷排查调处情况月报表');
      expect(String(ws.getCell(2, 1).value)).toContain('填报单位：江口镇');
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, printTitlesRow: '3:3' });
      const header = (ws.getRow(3).values as unknown[]).slice(1);
      expect(header).toEqual(['单位', ...RETURN_ITEMS.map((i) => i.label)]);
      const rows: unknown[][] = [];
      for (let r = 4; r <= 7; r++) rows.push((ws.getRow(r).values as unknown[]).slice(1));
      expect(rows.map((r) => r[0])).toEqual(['红星村', '青山村', '镇本级', '合计']);
      RETURN_ITEMS.forEach((item, i) => {
        if (item.type === 'percent') return;
        const sum = rows.slice(0, 3).reduce((s, r) => s + Number(r[i + 1]), 0);
        expect(Number(rows[3]![i + 1]), `${name} ${item.label}`).toBeCloseTo(sum, 2);
      });
      const signed = [8, 9].map((r) => String(ws.getCell(r, 1).value ?? '')).join('');
      expect(signed).toContain('负责人：王所长');
      expect(signed).toContain('填表人：李干事');
    }
    const late = await sheetOf(bytes, '迟报');
    expect(late.rowCount).toBeGreaterThan(4);
    // Times as the office reads them, in the server's zone: never a raw UTC instant.
    expect(String(late.getCell(4, 3).value)).toBe('2024-03-30 09:00');
    expect(String(late.getCell(4, 4).value)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const upward = await sheetOf(bytes, '按上报类型');
    expect(upward.getCell(4, 1).numFmt).toBe('@');
  });

  it('the annual report counts the flags set in the year, voided cases left out', async () => {
    const r = await t().json<{ figures: Record<string, string> }>('GET', `/api/reports/annual?year=2024&orgUnitId=${TOWN}&format=json`, {
      token: town.tokens.office!,
    });
    expect(r.status).toBe(200);
    expect(r.body.figures).toMatchObject({ 'outcomes.prevented_criminal': '1', 'outcomes.agreement_overturned': '1' });
    expect(r.body.figures['outcomes.mass_petition']).toBeUndefined();
  });

  it('refuses bad periods, unknown and unreadable units with a Chinese message', async () => {
    const month = await get('year=2024&month=13');
    expect(month.status).toBe(400);
    expect((month.body as unknown as { error: { message: string } }).error.message).toContain('月份');
    expect((await get('year=24&month=3')).status).toBe(400);
    expect((await t().json('GET', '/api/returns/monthly?orgUnitId=nowhere&year=2024&month=3', { token: town.tokens.office! })).status).toBe(404);
    expect((await get('year=2024&month=3', town.tokens.grid1!)).status).toBe(403);
  });
});
