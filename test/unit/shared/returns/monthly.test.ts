// Every row of the monthly return on hand-made event sets: month edges in local time, the 年度累计
// and 同期 columns, voided cases, late arrivals, outcome flags set at closing and months later,
// the 合计 row, the village league, the upward-type grouping and the half-month sweep view.
import { describe, expect, test } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { foldAll, type CaseState, type SweepState } from '#shared/fold/index';
import { sweepFactsOf } from '#shared/stats/facts';
import {
  byUpwardType,
  defaultUpwardOf,
  halfMonthSweeps,
  monthlyReturnOf,
  RETURN_ITEMS,
  returnCaseOf,
  type MonthlyReturn,
  type ReturnInput,
} from '#shared/returns/monthly';
import { closed, makeEvent, opened, reordered, uuid, voided } from '../support/builders.ts';

const TZ = 'Asia/Shanghai';
const UNITS: ReturnInput['units'] = [
  { id: 'V1', name: '向阳村', level: 'village' },
  { id: 'V2', name: '帆水村', level: 'village' },
  { id: 'JK', name: '镇本级', level: 'town' },
];
// Grids of V1 count in V1; the town committee and the town itself in 镇本级.
const ROW: Record<string, string> = { G1: 'V1', G2: 'V1', V1: 'V1', G3: 'V2', V2: 'V2', TC: 'JK', JK: 'JK' };

function returnOf(events: readonly DomainEvent[], year = 2024, month = 3, quality?: Record<string, number>): MonthlyReturn {
  const states = foldAll(events);
  return monthlyReturnOf({
    year,
    month,
    units: UNITS,
    rowOf: (id) => ROW[id],
    cases: states.filter((s): s is CaseState => s.kind === 'case').map((s) => returnCaseOf(s, TZ)),
    sweeps: states.filter((s): s is SweepState => s.kind === 'sweep').map((s) => sweepFactsOf(s, TZ)),
    ...(quality ? { quality } : {}),
  });
}
const row = (r: MonthlyReturn, unitId: string) => r.rows.find((x) => x.unitId === unitId)!;

let n = 0;
/** One case: opened at `at` in `unit`, optionally closed. */
function kase(unit: string, at: string, close?: { at: string; result?: 'success' | 'failure' }, data: Parameters<typeof opened>[2] = {}): DomainEvent[] {
  const subjectId = uuid(++n);
  const out = [opened(at, { subjectId, orgUnitId: unit }, { peopleInvolved: 3, amountInvolved: 1200.5, ...data })];
  if (close) out.push(closed(close.at, close.result ?? 'success', { subjectId, orgUnitId: unit }));
  return out;
}
const sweep = (unit: string, at: string, disputesFound = 0) =>
  makeEvent('sweep.recorded', at, { households: 10, disputesFound, zeroReport: disputesFound === 0 }, { subjectId: uuid(++n), orgUnitId: unit });
const outcomes = (subjectId: string, unit: string, at: string, flags: string[]) =>
  makeEvent('case.outcomes', at, { flags } as never, { subjectId, orgUnitId: unit });

describe('month edges in local time', () => {
  test('23:30 on 31 March in Shanghai (15:30Z) is March; 00:10 on 1 April (16:10Z the day before) is April', () => {
    const events = [...kase('G1', '2024-03-31T15:30:00Z'), ...kase('G1', '2024-03-31T16:10:00Z'), sweep('G1', '2024-02-29T16:30:00Z')];
    const r = returnOf(events);
    expect(row(r, 'V1').month.accepted).toBe(1);
    // The sweep at 00:30 on 1 March local is March's, not February's.
    expect(row(r, 'V1').month.sweeps).toBe(1);
    expect(returnOf(events, 2024, 4).rows.find((x) => x.unitId === 'V1')!.month.accepted).toBe(1);
    expect(returnOf(events, 2024, 2).rows.find((x) => x.unitId === 'V1')!.month.sweeps).toBe(0);
  });

  test('年度累计 runs from 1 January to the month end; 同期 is the same month a year before', () => {
    const events = [
      ...kase('G1', '2024-01-01T00:05:00+08:00', { at: '2024-01-10T10:00:00+08:00' }),
      ...kase('G1', '2024-03-15T10:00:00+08:00', { at: '2024-03-20T10:00:00+08:00', result: 'failure' }),
      ...kase('G1', '2024-04-01T10:00:00+08:00'),
      ...kase('G1', '2023-12-31T23:50:00+08:00'),
      ...kase('G1', '2023-03-02T10:00:00+08:00', { at: '2023-03-03T10:00:00+08:00' }),
    ];
    const v1 = row(returnOf(events), 'V1');
    expect(v1.month).toMatchObject({ accepted: 1, closed: 1, resolved: 0, successRate: 0 });
    expect(v1.ytd).toMatchObject({ accepted: 2, closed: 2, resolved: 1, successRate: 50 });
    expect(v1.lastYear).toMatchObject({ accepted: 1, closed: 1, resolved: 1, successRate: 100, people: 3, amountCents: 120050 });
  });
});

describe('rows', () => {
  test('排查次数 and 排查发现纠纷 count the sweeps of the month per village', () => {
    const r = returnOf([sweep('G1', '2024-03-01T09:00:00+08:00', 2), sweep('G2', '2024-03-16T09:00:00+08:00', 1), sweep('G3', '2024-03-02T09:00:00+08:00')]);
    expect(row(r, 'V1').month).toMatchObject({ sweeps: 2, disputesFound: 3 });
    expect(row(r, 'V2').month).toMatchObject({ sweeps: 1, disputesFound: 0 });
  });

  test('预防纠纷 counts cases found in a sweep or taken up by the committee itself', () => {
    const events = [
      ...kase('G1', '2024-03-05T09:00:00+08:00', undefined, { sweepId: uuid(9999) }),
      ...kase('G1', '2024-03-05T09:00:00+08:00', undefined, { source: 'self_initiated' }),
      ...kase('G1', '2024-03-05T09:00:00+08:00'),
    ];
    expect(row(returnOf(events), 'V1').month).toMatchObject({ accepted: 3, prevented: 2 });
  });

  test('涉及人数 and 涉及金额 are those of the cases resolved in the period, in fen', () => {
    const events = [
      ...kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00' }, { peopleInvolved: 4, amountInvolved: 0.1 }),
      ...kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00' }, { peopleInvolved: 2, amountInvolved: 0.2 }),
      ...kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00', result: 'failure' }, { peopleInvolved: 50 }),
    ];
    expect(row(returnOf(events), 'V1').month).toMatchObject({ resolved: 2, closed: 3, people: 6, amountCents: 30, successRate: 66.7 });
  });

  test('a voided case counts nowhere, in no column', () => {
    const [o, c] = kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00' });
    const events = [
      o!,
      c!,
      voided('2024-03-07T09:00:00+08:00', { subjectId: o!.subjectId, orgUnitId: 'G1' }),
      outcomes(o!.subjectId, 'G1', '2024-03-06T09:00:00+08:00', ['prevented_criminal']),
    ];
    const total = returnOf(events).rows.at(-1)!;
    for (const col of [total.month, total.ytd]) for (const i of RETURN_ITEMS) expect(col[i.key], i.key).toBe(0);
  });

  test('the town committee and records made on the town count in 镇本级; other towns nowhere', () => {
    const r = returnOf([...kase('TC', '2024-03-05T09:00:00+08:00'), ...kase('JK', '2024-03-05T09:00:00+08:00'), ...kase('OG', '2024-03-05T09:00:00+08:00')]);
    expect(row(r, 'JK').month.accepted).toBe(2);
    expect(r.rows.at(-1)!.month.accepted).toBe(2);
  });

  test('重大纠纷 counts the cases the major-disputes fold flags', () => {
    const states = foldAll(kase('G1', '2024-03-05T09:00:00+08:00')) as CaseState[];
    const flagged: CaseState = {
      ...states[0]!,
      major: { flagged: true, criteria: ['many_people'], eventId: 'e-major', occurredAt: '2024-03-05T10:00:00+08:00' },
    };
    const r = monthlyReturnOf({
      year: 2024,
      month: 3,
      units: UNITS,
      rowOf: (id) => ROW[id],
      cases: [returnCaseOf(flagged, TZ), returnCaseOf(states[0]!, TZ)],
      sweeps: [],
    });
    expect(row(r, 'V1').month.major).toBe(1);
  });
});

describe('outcome flags', () => {
  test('set at closing, they count in the closing month; the set replaces the one before', () => {
    const [o, c] = kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-20T09:00:00+08:00' });
    const s = o!.subjectId;
    const events = [
      o!,
      c!,
      outcomes(s, 'G1', '2024-03-20T09:00:00+08:00', ['prevented_criminal', 'prevented_mass_petition']),
      outcomes(s, 'G1', '2024-03-25T09:00:00+08:00', ['prevented_criminal']),
    ];
    const m = row(returnOf(events), 'V1').month;
    expect(m['outcome:prevented_criminal']).toBe(1);
    expect(m['outcome:prevented_mass_petition']).toBe(0);
  });

  test('a flag added months later counts in the month it was added and leaves the closing month as it was', () => {
    const [o, c] = kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-20T09:00:00+08:00' });
    const s = o!.subjectId;
    const early = [o!, c!, outcomes(s, 'G1', '2024-03-20T09:00:00+08:00', ['prevented_criminal'])];
    const later = [...early, outcomes(s, 'G1', '2024-07-02T09:00:00+08:00', ['prevented_criminal', 'agreement_overturned'])];
    const march = row(returnOf(later), 'V1').month;
    expect(march['outcome:prevented_criminal']).toBe(1);
    expect(march['outcome:agreement_overturned']).toBe(0);
    expect(returnOf(later, 2024, 3)).toEqual(returnOf(early, 2024, 3));
    const july = row(returnOf(later, 2024, 7), 'V1');
    expect(july.month['outcome:agreement_overturned']).toBe(1);
    // The flag kept from March is not counted again in July.
    expect(july.month['outcome:prevented_criminal']).toBe(0);
    expect(july.ytd).toMatchObject({ 'outcome:prevented_criminal': 1, 'outcome:agreement_overturned': 1 });
  });

  test('a flag removed and set again counts when it was set again; order and duplicates change nothing', () => {
    const [o] = kase('G1', '2024-01-05T09:00:00+08:00');
    const s = o!.subjectId;
    const events = [
      o!,
      outcomes(s, 'G1', '2024-01-06T09:00:00+08:00', ['mass_petition']),
      outcomes(s, 'G1', '2024-02-06T09:00:00+08:00', []),
      outcomes(s, 'G1', '2024-03-06T09:00:00+08:00', ['mass_petition']),
    ];
    const want = returnOf(events);
    expect(row(want, 'V1').month['outcome:mass_petition']).toBe(1);
    expect(row(want, 'V1').ytd['outcome:mass_petition']).toBe(1);
    for (const order of reordered(events)) expect(returnOf([...order, ...order])).toEqual(want);
  });
});

describe('合计 and late arrivals', () => {
  const events = [
    ...kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00' }),
    ...kase('G3', '2024-03-05T09:00:00+08:00', { at: '2024-03-07T09:00:00+08:00', result: 'failure' }),
    ...kase('TC', '2024-02-05T09:00:00+08:00', { at: '2024-03-08T09:00:00+08:00' }),
    sweep('G1', '2024-03-01T09:00:00+08:00', 1),
    sweep('G3', '2024-03-02T09:00:00+08:00', 2),
  ];

  test('合计 is the sum of the rows in every column; its rate comes from the summed counts', () => {
    const r = returnOf(events);
    const total = r.rows.at(-1)!;
    const parts = r.rows.slice(0, -1);
    for (const col of ['month', 'ytd', 'lastYear'] as const) {
      for (const i of RETURN_ITEMS) {
        if (i.key === 'successRate') continue;
        expect(total[col][i.key], `${col} ${i.key}`).toBe(parts.reduce((s, p) => s + p[col][i.key], 0));
      }
    }
    expect(total.month).toMatchObject({ closed: 3, resolved: 2, successRate: 66.7, sweeps: 2, disputesFound: 3 });
  });

  test('a record that arrives late is counted by its own date, whatever it arrived after', () => {
    const late = kase('G3', '2024-03-31T23:00:00+08:00');
    const before = returnOf(events);
    const after = returnOf([...events, ...late]);
    expect(row(after, 'V2').month.accepted).toBe(row(before, 'V2').month.accepted + 1);
    expect(returnOf([...late, ...events])).toEqual(after);
  });
});

describe('village league', () => {
  test('ranked by 报表质量, then 调解数, then 成功率; equal villages share a rank', () => {
    const events = [
      ...kase('G1', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00' }),
      ...kase('G3', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00' }),
      ...kase('G3', '2024-03-05T09:00:00+08:00', { at: '2024-03-06T09:00:00+08:00', result: 'failure' }),
    ];
    expect(returnOf(events, 2024, 3, { V1: 100, V2: 50 }).league.map((l) => [l.name, l.rank])).toEqual([
      ['向阳村', 1],
      ['帆水村', 2],
    ]);
    const even = returnOf(events, 2024, 3, { V1: 100, V2: 100 }).league;
    expect(even.map((l) => [l.name, l.mediated, l.successRate, l.rank])).toEqual([
      ['帆水村', 2, 50, 1],
      ['向阳村', 1, 100, 2],
    ]);
    expect(returnOf(events, 2024, 3, { V1: 100, V2: 50 }).league.every((l) => l.ranked)).toBe(true);
  });

  test('a month with nothing to rank ranks no village; ties keep the org tree’s order, not the names’ code order', () => {
    expect(returnOf([], 2024, 3).league.map((l) => [l.name, l.ranked])).toEqual([
      ['向阳村', false],
      ['帆水村', false],
    ]);
    // 帆 (U+5E06) sorts after 向 (U+5411) by code; the tree lists 帆水村 first.
    const tree: ReturnInput['units'] = [
      { id: 'V2', name: '帆水村', level: 'village' },
      { id: 'V1', name: '向阳村', level: 'village' },
      { id: 'JK', name: '镇本级', level: 'town' },
    ];
    const league = (quality: Record<string, number>) =>
      monthlyReturnOf({ year: 2024, month: 3, units: tree, rowOf: (id) => ROW[id], cases: [], sweeps: [], quality }).league;
    expect(league({}).map((l) => l.name)).toEqual(['帆水村', '向阳村']);
    expect(league({ V1: 50, V2: 50 }).map((l) => [l.name, l.rank, l.ranked])).toEqual([
      ['帆水村', 1, true],
      ['向阳村', 1, true],
    ]);
    // Reported sweeps alone are something to rank: the village without them is not ranked.
    expect(league({ V1: 50 }).map((l) => [l.name, l.ranked])).toEqual([
      ['向阳村', true],
      ['帆水村', false],
    ]);
  });
});

describe('upward types', () => {
  const cases = () =>
    (
      foldAll([
        ...kase('G1', '2024-03-05T09:00:00+08:00', undefined, { disputeType: '01', disputeSubtype: '01-divorce' }),
        ...kase('G1', '2024-03-05T09:00:00+08:00', undefined, { disputeType: '02' }),
      ]) as CaseState[]
    ).map((s) => returnCaseOf(s, TZ));
  const periods = monthlyReturnOf({ year: 2024, month: 3, units: [], rowOf: () => undefined, cases: [], sweeps: [] }).periods;

  test('by default a sub-type reports as its national category', () => {
    const rows = byUpwardType(cases(), periods, { upwardOf: defaultUpwardOf, labels: [{ code: '01', label: '婚姻家庭纠纷' }] });
    expect(rows.map((r) => [r.code, r.month])).toEqual([
      ['01', 1],
      ['02', 1],
      ['total', 2],
    ]);
  });

  test('a mapped local type reports under its upward code; the field data keeps the local type', () => {
    const map: Record<string, string> = { '01-divorce': 'P-HY-01' };
    const list = cases();
    const rows = byUpwardType(list, periods, { upwardOf: (t) => map[t] ?? defaultUpwardOf(t), labels: [{ code: 'P-HY-01', label: '离婚纠纷' }] });
    expect(rows.find((r) => r.code === 'P-HY-01')).toMatchObject({ label: '离婚纠纷', month: 1, ytd: 1 });
    expect(list.map((c) => c.localType)).toEqual(['01-divorce', '02']);
  });
});

describe('half-month sweeps', () => {
  test('1–15 and 16 to the month end, in local time; a grid without sweeps shows 0', () => {
    const events = [
      sweep('G1', '2024-03-15T15:59:00Z'),
      sweep('G1', '2024-03-15T16:01:00Z', 2),
      sweep('G1', '2024-03-31T15:00:00Z'),
      sweep('G1', '2024-03-31T16:30:00Z'),
    ];
    const sweeps = (foldAll(events) as SweepState[]).map((s) => sweepFactsOf(s, TZ));
    const rows = halfMonthSweeps(
      [
        { id: 'G1', name: '第一网格', parentName: '向阳村' },
        { id: 'G2', name: '第二网格', parentName: '向阳村' },
      ],
      sweeps,
      2024,
      3,
    );
    expect(rows[0]).toMatchObject({ first: { count: 1, zeroReports: 1 }, second: { count: 2, zeroReports: 1, disputesFound: 2 } });
    expect(rows[1]).toMatchObject({ first: { count: 0 }, second: { count: 0 } });
  });
});
