import { describe, expect, test } from 'vitest';
import { completenessOf, deadlineOf } from '#shared/stats/completeness';
import {
  cellKey,
  changeRatio,
  dimensionFits,
  formatChange,
  monthsOfPeriod,
  pivotLink,
  pivotValues,
  previousPeriodOf,
  samePeriodLastYearOf,
  type MonthRows,
} from '#shared/stats/pivot';
import { factRowsOf, periodOf, type StatFacts } from '#shared/stats/summary';

const kase = (orgUnitId: string, closedOn: string, extra: Partial<StatFacts & { kind: 'case' }> = {}): StatFacts => ({
  kind: 'case',
  subjectId: `${orgUnitId}-${closedOn}`,
  orgUnitId,
  voided: false,
  acceptedOn: closedOn,
  closedOn,
  result: 'success',
  withAgreement: true,
  performedFull: false,
  disputeType: '01',
  sourceKey: 'self_initiated',
  channel: 'self_initiated',
  peopleInvolved: 2,
  amountCents: 150,
  ...extra,
});

/** One year's facts as the server hands them: month by month. */
const byMonth = (facts: StatFacts[], year: number): MonthRows[] =>
  monthsOfPeriod({ year }).map((month) => ({ month, rows: factRowsOf(facts, periodOf({ year, month })) }));

describe('pivot over fact rows', () => {
  const facts = [
    kase('g1', '2024-03-02'),
    kase('g1', '2024-03-20', { disputeType: '02', amountCents: 1 }),
    kase('g2', '2024-07-01', { result: 'failure', channel: 'court' }),
    kase('g3', '2024-07-09', { voided: true }),
  ];
  const spec = { rows: 'unit', cols: 'month', childOf: (id: string) => (id === 'g3' ? 'v2' : 'v1') } as const;

  test('cells, totals and the grand total are the summary figures over their rows', () => {
    const resolved = pivotValues(byMonth(facts, 2024), { ...spec, measure: 'resolved' }, { year: 2024 });
    expect(resolved.cells[cellKey('v1', '3')]).toBe(2);
    // A failed case puts a row in the cell; it counts 0 resolved.
    expect(resolved.cells[cellKey('v1', '7')]).toBe(0);
    expect(resolved.total).toBe(2);
    const closed = pivotValues(byMonth(facts, 2024), { ...spec, measure: 'closed' }, { year: 2024 });
    expect(closed.colTotals).toEqual({ '3': 2, '7': 1 });
    const amount = pivotValues(byMonth(facts, 2024), { ...spec, measure: 'amountInvolved' }, { year: 2024 });
    expect(amount.total).toBe(1.51);
  });

  test('a measure refuses dimensions its rows do not carry', () => {
    expect(dimensionFits('accepted', 'type')).toBe(false);
    expect(dimensionFits('accepted', 'month')).toBe(true);
    expect(dimensionFits('sessions', 'campaign')).toBe(true);
    expect(dimensionFits('sweeps', 'result')).toBe(false);
  });

  test('cell links narrow the drill-down by both keys; 未化解 opens the failed list', () => {
    expect(pivotLink({ year: 2024, orgUnitId: 't' }, 'resolved', { unit: 'v1', month: '3' })).toEqual({
      metric: 'resolved',
      year: 2024,
      orgUnitId: 't',
      unit: 'v1',
      month: 3,
    });
    expect(pivotLink({ year: 2024, orgUnitId: 't', quarter: 2 }, 'closed', { result: 'not_success', channel: 'court' })).toEqual({
      metric: 'failed',
      year: 2024,
      orgUnitId: 't',
      quarter: 2,
      channel: 'court',
    });
    expect(pivotLink({ year: 2024, orgUnitId: 't' }, 'sessions', { campaign: 'none' })).toBeUndefined();
    // The queried unit's own row (本级) links to its own records.
    expect(pivotLink({ year: 2024, orgUnitId: 't' }, 'resolved', { unit: 't' })).toEqual({ metric: 'resolved', year: 2024, orgUnitId: 't', unit: 't' });
  });
});

describe('同比 and 环比', () => {
  test('January’s previous period is last December; Q1’s is last Q4; a year has none', () => {
    expect(previousPeriodOf({ year: 2025, month: 1 })).toEqual({ year: 2024, month: 12 });
    expect(previousPeriodOf({ year: 2025, month: 7 })).toEqual({ year: 2025, month: 6 });
    expect(previousPeriodOf({ year: 2025, quarter: 1 })).toEqual({ year: 2024, quarter: 4 });
    expect(previousPeriodOf({ year: 2025 })).toBeUndefined();
    expect(samePeriodLastYearOf({ year: 2025, quarter: 3 })).toEqual({ year: 2024, quarter: 3 });
  });

  test('the change is a ratio of the base, and "—" when the base is 0', () => {
    expect(changeRatio(12, 10)).toBe(0.2);
    expect(changeRatio(5, 10)).toBe(-0.5);
    expect(changeRatio(3, 0)).toBeNull();
    expect(formatChange(changeRatio(3, 0))).toBe('—');
    expect(formatChange(changeRatio(0, 0))).toBe('—');
    expect(formatChange(0.125)).toBe('+12.5%');
    expect(formatChange(-0.5)).toBe('-50.0%');
    expect(formatChange(0.13)).toBe('+13.0%');
    expect(formatChange(0)).toBe('0.0%');
    expect(formatChange(-0.0001)).toBe('0.0%');
  });
});

describe('报告率 and 及时率', () => {
  const grids = [
    { id: 'g1', name: '一网格', villageId: 'v1', villageName: '红星村' },
    { id: 'g2', name: '二网格', villageId: 'v1', villageName: '红星村' },
    { id: 'g3', name: '一网格', villageId: 'v2', villageName: '青山村' },
  ];
  test('on time by the end of the deadline day in local time, late after, missing without a sweep', () => {
    expect(deadlineOf(2024, 2, 5)).toBe('2024-03-05');
    expect(deadlineOf(2024, 12, 5)).toBe('2025-01-05');
    const c = completenessOf(
      grids,
      [
        // 23:59 local on the deadline day (15:59 UTC): on time.
        { orgUnitId: 'g1', sweptOn: '2024-12-03', receivedAt: '2025-01-05T15:59:00Z' },
        // 00:01 local the day after: late.
        { orgUnitId: 'g2', sweptOn: '2024-12-10', receivedAt: '2025-01-05T16:01:00Z' },
        { orgUnitId: 'g3', sweptOn: '2024-11-10', receivedAt: '2024-11-10T03:00:00Z' },
      ],
      { year: 2024, months: [11, 12], graceDays: 5, timeZone: 'Asia/Shanghai' },
    );
    expect(c.grids.map((g) => g.statuses)).toEqual([
      ['missing', 'on_time'],
      ['missing', 'late'],
      ['on_time', 'missing'],
    ]);
    expect(c.villages[0]!.byMonth[1]).toEqual({ expected: 2, reported: 2, onTime: 1, reportRate: 1, onTimeRate: 0.5 });
    expect(c.total.all).toEqual({ expected: 6, reported: 3, onTime: 2, reportRate: 0.5, onTimeRate: 0.3333 });
    expect(completenessOf([], [], { year: 2024, months: [1], graceDays: 5, timeZone: 'Asia/Shanghai' }).total.all.reportRate).toBeNull();
  });
});
