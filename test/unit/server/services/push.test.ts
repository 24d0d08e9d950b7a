// The pure parts of a push (services/push.ts, services/projection.ts): numbering from the
// counters reserved, each subject's events in hand, projection rows from the shared facts, and
// the sweep totals a batch moves. The store-level contract (test/server/store-contract.test.ts)
// runs them against real databases.
import { describe, expect, test } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { foldCase } from '#shared/fold/index';
import { caseFactsOf } from '#shared/stats/facts';
import { projectionOf, sweepTotalsDeltas, sweepTotalsSourceOf } from '../../../../src/server/services/projection.ts';
import { numberCases, projectionWrites, sequenceRequestsOf, subjectEventsWith } from '../../../../src/server/services/push.ts';
import type { SweepTotalsSource } from '../../../../src/server/storage/event-store.ts';
import { closed, makeEvent, opened, uuid, voided } from '../../shared/support/builders.ts';

const TZ = 'Asia/Shanghai';
const NOW = '2024-06-01T08:00:00.000Z';
const need = (n: number, year = 2024) => ({ subjectId: uuid(n), orgUnitId: 'grid-1', committeeId: undefined, year });
const body = (committeeId: string) => ({ committeeId, shortName: committeeId === 'c-a' ? '红星' : '江口' });

describe('numberCases', () => {
  const assigned = [
    { need: need(1), body: body('c-a') },
    { need: need(2), body: body('c-b') },
    { need: need(3), body: body('c-a') },
    { need: need(4, 2025), body: body('c-a') },
  ];

  test('asks each committee and year for as many numbers as it hands out', () => {
    expect(sequenceRequestsOf(assigned)).toEqual([
      { committeeId: 'c-a', year: 2024, count: 2 },
      { committeeId: 'c-b', year: 2024, count: 1 },
      { committeeId: 'c-a', year: 2025, count: 1 },
    ]);
    expect(sequenceRequestsOf([])).toEqual([]);
  });

  test('numbers each committee and year from the last number before the reservation on, without a gap, in order', () => {
    const out = numberCases(
      assigned,
      [
        { committeeId: 'c-a', year: 2024, lastSequence: 7 },
        { committeeId: 'c-b', year: 2024, lastSequence: 0 },
        { committeeId: 'c-a', year: 2025, lastSequence: 0 },
      ],
      NOW,
    );
    const numbered = out.map((e) => (e.type === 'case.numbered' ? [e.subjectId, e.data.committeeId, e.data.year, e.data.sequence, e.data.caseNumber] : []));
    expect(numbered).toEqual([
      [uuid(1), 'c-a', 2024, 8, '（2024）红星人调字第008号'],
      [uuid(2), 'c-b', 2024, 1, '（2024）江口人调字第001号'],
      [uuid(3), 'c-a', 2024, 9, '（2024）红星人调字第009号'],
      [uuid(4), 'c-a', 2025, 1, '（2025）红星人调字第001号'],
    ]);
    expect(out.every((e) => e.occurredAt === NOW && e.deviceId === 'server')).toBe(true);
  });
});

describe('subjectEventsWith', () => {
  test('puts the batch’s new events after the stored ones of their subject, and reads only those subjects', () => {
    const stored = opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(1) });
    const other = opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(9) });
    const a = closed('2024-03-02T09:00:00+08:00', 'success', { subjectId: uuid(1) });
    const b = opened('2024-03-03T09:00:00+08:00', { subjectId: uuid(2) });
    const by = subjectEventsWith(
      new Map([
        [uuid(1), [stored]],
        [uuid(9), [other]],
      ]),
      [a, b].map((event) => ({ event, canonical: JSON.stringify(event) })),
    );
    expect([...by.keys()]).toEqual([uuid(1), uuid(2)]);
    expect(by.get(uuid(1))).toEqual([stored, a]);
    expect(by.get(uuid(2))).toEqual([b]);
  });
});

describe('projectionOf', () => {
  test('a case row holds the shared facts, amounts in whole fen', () => {
    const events = [
      opened('2024-12-31T16:30:00Z', { orgUnitId: 'grid-7' }, { source: 'referral', referrer: 'procuratorate', peopleInvolved: 4, amountInvolved: 1234.565 }),
      closed('2025-01-02T09:00:00+08:00', 'success', { orgUnitId: 'grid-7' }, { agreementForm: 'oral' }),
      makeEvent('case.performed', '2025-01-09T09:00:00+08:00', { status: 'full' }, { orgUnitId: 'grid-7' }),
    ];
    const p = projectionOf(events, TZ)!;
    const facts = caseFactsOf(foldCase(events)!, TZ);
    expect(p.table).toBe('case_projection');
    expect(p.row).toMatchObject({
      subject_id: facts.subjectId,
      org_unit_id: 'grid-7',
      opened_date: '2025-01-01',
      opened_year: 2025,
      opened_month: 1,
      closed_date: '2025-01-02',
      closed_year: 2025,
      closed_month: 1,
      result: 'success',
      agreement_form: 'oral',
      with_agreement: 1,
      performed_full: 1,
      dispute_type: facts.disputeType,
      source_key: 'referral:procuratorate',
      channel: 'other_referral',
      people_involved: 4,
      amount_cents: 123457,
      voided: 0,
    });
    expect(Number.isInteger(p.row.amount_cents)).toBe(true);
  });

  test('a case closed before its registration arrived counts under the unknown keys', () => {
    const p = projectionOf([closed('2024-03-02T09:00:00+08:00', 'success')], TZ)!;
    expect(p.row).toMatchObject({
      has_opened: 0,
      opened_date: null,
      closed_month: 3,
      dispute_type: 'unknown',
      source_key: 'unknown',
      channel: 'unknown',
      amount_cents: 0,
    });
  });

  test('an outreach row carries its themes with the columns stats filter by; undated until recorded', () => {
    const s = uuid(5);
    const rec = makeEvent(
      'outreach.recorded',
      '2024-03-04T10:00:00+08:00',
      { title: '宣讲', form: 'lecture', audience: 80, themes: ['civil_code', 'constitution', 'civil_code'] },
      { subjectId: s },
    );
    const p = projectionOf([rec], TZ)!;
    expect(p.row).toMatchObject({ has_record: 1, occurred_date: '2024-03-04', year: 2024, month: 3, form: 'lecture', audience: 80 });
    expect(p.themes).toEqual([
      { subject_id: s, theme: 'civil_code', org_unit_id: 'grid-1', year: 2024, month: 3, voided: 0 },
      { subject_id: s, theme: 'constitution', org_unit_id: 'grid-1', year: 2024, month: 3, voided: 0 },
    ]);
    const onlyVoid = projectionOf([makeEvent('outreach.voided', '2024-05-01T09:00:00+08:00', { reason: '重复' }, { subjectId: s })], TZ)!;
    expect(onlyVoid.row).toMatchObject({ occurred_date: null, year: null, voided: 1 });
  });

  test('holds no row for events without a case, outreach or sweep', () => {
    expect(projectionOf([], TZ)).toBeUndefined();
  });
});

const sweepRow = (over: Partial<SweepTotalsSource>): SweepTotalsSource => ({
  subject_id: uuid(1),
  org_unit_id: 'grid-1',
  year: 2024,
  month: 3,
  households: 10,
  disputes_found: 1,
  zero_report: 0,
  voided: 0,
  ...over,
});

describe('sweepTotalsDeltas', () => {
  test('takes the old row’s share out and puts the new one in, per (year, unit, month)', () => {
    const deltas = sweepTotalsDeltas([
      { before: undefined, after: sweepRow({}) },
      { before: sweepRow({ subject_id: uuid(2), month: 2 }), after: sweepRow({ subject_id: uuid(2), month: 2, voided: 1 }) },
      { before: undefined, after: sweepRow({ subject_id: uuid(3), zero_report: 1, disputes_found: 0, households: 5 }) },
    ]);
    expect(deltas).toEqual([
      { year: 2024, org_unit_id: 'grid-1', month: 3, count: 2, zero_reports: 1, households: 15, disputes_found: 1 },
      { year: 2024, org_unit_id: 'grid-1', month: 2, count: -1, zero_reports: 0, households: -10, disputes_found: -1 },
    ]);
  });

  test('counts undated and voided sweeps nowhere, and leaves out changes that cancel', () => {
    expect(sweepTotalsDeltas([{ before: undefined, after: sweepRow({ year: null, month: null }) }])).toEqual([]);
    expect(sweepTotalsDeltas([{ before: sweepRow({}), after: sweepRow({}) }])).toEqual([]);
    expect(sweepTotalsDeltas([{ before: sweepRow({ voided: 1 }), after: sweepRow({ voided: 1 }) }])).toEqual([]);
  });
});

describe('projectionWrites', () => {
  test('groups rows per table, replaces themes of every outreach written (even with none left), moves sweep totals', () => {
    const sw = makeEvent('sweep.recorded', '2024-03-06T10:00:00+08:00', { households: 12, disputesFound: 0 }, { subjectId: uuid(7) });
    const out = makeEvent('outreach.recorded', '2024-03-04T10:00:00+08:00', { title: '宣讲', form: 'lecture', audience: 8 }, { subjectId: uuid(8) });
    const c = opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(9) });
    const projections = [[sw], [out], [c, voided('2024-03-02T09:00:00+08:00', { subjectId: uuid(9) })]].map((e: DomainEvent[]) => projectionOf(e, TZ)!);
    const before = sweepTotalsSourceOf({ ...projections[0]!.row, households: 2 });
    const w = projectionWrites(projections, new Map([[uuid(7), before]]));
    expect([...w.rows.keys()]).toEqual(['sweep_projection', 'outreach_projection', 'case_projection']);
    expect(w.rows.get('case_projection')![0]).toMatchObject({ subject_id: uuid(9), voided: 1 });
    expect(w.themeSubjects).toEqual([uuid(8)]);
    expect(w.themes).toEqual([]);
    expect(w.sweepTotals).toEqual([{ year: 2024, org_unit_id: 'grid-1', month: 3, count: 0, zero_reports: 0, households: 10, disputes_found: 0 }]);
  });
});
