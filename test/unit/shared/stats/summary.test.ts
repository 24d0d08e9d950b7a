import { describe, expect, test } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { foldAll } from '#shared/fold/index';
import { periodOf, STAT_DEFINITIONS, summarize, type SummaryQuery } from '#shared/stats/summary';
import { closed, makeEvent, opened, reopened, updated, uuid, voided } from '../support/builders.ts';

const TZ = 'Asia/Shanghai';
const summaryOf = (events: DomainEvent[], q: Omit<SummaryQuery, 'timeZone'>) => summarize(foldAll(events), { timeZone: TZ, ...q });

describe('local time decides the year', () => {
  test('closed 2024-12-31 23:30 in Shanghai, sent in UTC, counts in 2024', () => {
    const events = [opened('2024-12-20T09:00:00+08:00'), closed('2024-12-31T15:30:00Z', 'success')];
    const y2024 = summaryOf(events, { year: 2024 });
    expect(y2024.mediation).toMatchObject({ accepted: 1, closed: 1, resolved: 1, successRate: 1 });
    expect(y2024.mediation.byMonth[11]).toBe(1);
    expect(summaryOf(events, { year: 2025 }).mediation).toMatchObject({ accepted: 0, closed: 0, resolved: 0, successRate: 0 });
  });

  test('closed 2025-01-01 00:10 in Shanghai counts in 2025, whatever offset it was sent with', () => {
    for (const at of ['2025-01-01T00:10:00+08:00', '2024-12-31T16:10:00Z', '2024-12-31T11:10:00-05:00']) {
      const events = [opened('2024-12-20T09:00:00+08:00'), closed(at, 'success')];
      expect(summaryOf(events, { year: 2024 }).mediation).toMatchObject({ accepted: 1, resolved: 0 });
      const y2025 = summaryOf(events, { year: 2025 });
      expect(y2025.mediation).toMatchObject({ accepted: 0, closed: 1, resolved: 1 });
      expect(y2025.mediation.byMonth[0]).toBe(1);
    }
  });

  test('another deployment zone moves the same instant to another year', () => {
    const events = [opened('2024-12-20T09:00:00+08:00'), closed('2024-12-31T16:10:00Z', 'success')];
    expect(summarize(foldAll(events), { year: 2024, timeZone: 'UTC' }).mediation.resolved).toBe(1);
  });
});

describe('mediation figures', () => {
  test('failure, reopening, then success next year: resolved once, in the year of the success', () => {
    const events = [
      opened('2024-11-01T09:00:00+08:00'),
      closed('2024-11-20T09:00:00+08:00', 'failure'),
      reopened('2024-12-01T09:00:00+08:00'),
      closed('2025-01-03T09:00:00+08:00', 'success'),
    ];
    expect(summaryOf(events, { year: 2024 }).mediation).toMatchObject({ accepted: 1, closed: 0, resolved: 0, failed: 0 });
    expect(summaryOf(events, { year: 2025 }).mediation).toMatchObject({ accepted: 0, closed: 1, resolved: 1, failed: 0 });
  });

  test('success then reopening: still resolved by its latest closure', () => {
    const events = [opened('2024-03-01T09:00:00+08:00'), closed('2024-03-05T09:00:00+08:00', 'success'), reopened('2024-03-09T09:00:00+08:00')];
    expect(summaryOf(events, { year: 2024 }).mediation).toMatchObject({ closed: 1, resolved: 1 });
  });

  test('voided cases count nowhere; duplicated events count once', () => {
    const kept = [opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(1) }), closed('2024-03-05T09:00:00+08:00', 'success', { subjectId: uuid(1) })];
    const gone = [
      opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(2) }),
      closed('2024-03-05T09:00:00+08:00', 'success', { subjectId: uuid(2) }),
      voided('2024-03-06T09:00:00+08:00', { subjectId: uuid(2) }),
    ];
    const s = summaryOf([...kept, ...gone, ...kept, ...gone], { year: 2024 });
    expect(s.mediation).toMatchObject({ accepted: 1, closed: 1, resolved: 1 });
  });

  test('reverse arrival gives the same summary', () => {
    const events = [
      opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(1) }),
      updated('2024-03-02T09:00:00+08:00', { disputeType: '01', disputeSubtype: '01-divorce' }, { subjectId: uuid(1) }),
      closed('2024-03-05T09:00:00+08:00', 'success', { subjectId: uuid(1) }),
      opened('2024-04-01T09:00:00+08:00', { subjectId: uuid(2) }),
      closed('2024-04-05T09:00:00+08:00', 'failure', { subjectId: uuid(2) }),
    ];
    const forward = summaryOf(events, { year: 2024 });
    expect(summaryOf([...events].reverse(), { year: 2024 })).toEqual(forward);
    expect(forward.mediation.byType['01']).toBe(1);
    expect(forward.mediation.byType['03']).toBe(0);
  });

  test('success rate, failures and terminations', () => {
    const events: DomainEvent[] = [];
    const results = ['success', 'success', 'failure', 'terminated', 'success', 'failure'] as const;
    results.forEach((r, i) => {
      events.push(opened('2024-05-01T09:00:00+08:00', { subjectId: uuid(i + 1) }));
      events.push(closed('2024-05-10T09:00:00+08:00', r, { subjectId: uuid(i + 1) }));
    });
    expect(summaryOf(events, { year: 2024 }).mediation).toMatchObject({ accepted: 6, closed: 6, resolved: 3, failed: 3, terminated: 1, successRate: 0.5 });
    const twoOfThree = events.slice(0, 6);
    expect(summaryOf(twoOfThree, { year: 2024 }).mediation.successRate).toBe(0.6667);
  });

  test('breakdowns of resolved cases: type roll-up, source, channel, org unit, people, amount', () => {
    const events = [
      opened(
        '2024-02-01T09:00:00+08:00',
        { subjectId: uuid(1), orgUnitId: 'grid-a1' },
        { source: 'referral', referrer: 'court', peopleInvolved: 3, amountInvolved: 0.1 },
      ),
      closed('2024-02-10T09:00:00+08:00', 'success', { subjectId: uuid(1) }),
      opened(
        '2024-02-01T09:00:00+08:00',
        { subjectId: uuid(2), orgUnitId: 'grid-b1' },
        { disputeType: '10-migrant-wages', source: 'self_initiated', peopleInvolved: 12, amountInvolved: 0.2 },
      ),
      closed('2024-06-10T09:00:00+08:00', 'success', { subjectId: uuid(2) }),
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(3), orgUnitId: 'grid-b2' }, { source: 'referral', referrer: 'police', peopleInvolved: 100 }),
      closed('2024-02-10T09:00:00+08:00', 'failure', { subjectId: uuid(3) }),
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(4), orgUnitId: 'grid-a2' }, { source: 'referral', referrer: 'procuratorate' }),
      closed('2024-02-11T09:00:00+08:00', 'success', { subjectId: uuid(4) }),
    ];
    const childOf = (id: string) => (id.startsWith('grid-a') ? 'village-a' : id.startsWith('grid-b') ? 'village-b' : undefined);
    const m = summaryOf(events, { year: 2024, childOf }).mediation;
    expect(m.resolved).toBe(3);
    expect(m.byType).toMatchObject({ '03': 2, '10': 1, '01': 0 });
    expect(Object.keys(m.byType)).toHaveLength(15);
    expect(m.bySource).toEqual({ referral: 2, self_initiated: 1, application: 0 });
    expect(m.byReferrer).toMatchObject({ court: 1, police: 0, procuratorate: 1 });
    expect(m.byChannel).toMatchObject({ court: 1, police: 0, self_initiated: 1, other_referral: 1 });
    expect(m.byOrgUnit).toEqual({ 'village-a': 2, 'village-b': 1 });
    expect(m.byMonth).toEqual([0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(m.peopleInvolved).toBe(15);
    expect(m.amountInvolved).toBe(0.3);
  });

  test('a closure without its registration counts as resolved under unknown type and source', () => {
    const m = summaryOf([closed('2024-02-10T09:00:00+08:00', 'success')], { year: 2024 }).mediation;
    expect(m).toMatchObject({ accepted: 0, resolved: 1 });
    expect(m.byType.unknown).toBe(1);
    expect(m.bySource.unknown).toBe(1);
  });

  test('performance rate: fully performed ÷ resolved with an agreement', () => {
    const events = [
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(1) }),
      closed('2024-02-10T09:00:00+08:00', 'success', { subjectId: uuid(1) }, { agreementForm: 'written' }),
      makeEvent('case.performed', '2024-02-20T09:00:00+08:00', { status: 'partial' }, { subjectId: uuid(1) }),
      makeEvent('case.performed', '2024-03-20T09:00:00+08:00', { status: 'full' }, { subjectId: uuid(1) }),
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(2) }),
      closed('2024-02-10T09:00:00+08:00', 'success', { subjectId: uuid(2) }, { agreementForm: 'oral' }),
      makeEvent('case.performed', '2024-02-20T09:00:00+08:00', { status: 'partial' }, { subjectId: uuid(2) }),
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(3) }),
      closed('2024-02-10T09:00:00+08:00', 'success', { subjectId: uuid(3) }, { agreementForm: 'none' }),
      makeEvent('case.performed', '2024-02-20T09:00:00+08:00', { status: 'full' }, { subjectId: uuid(3) }),
    ];
    expect(summaryOf(events, { year: 2024 }).mediation).toMatchObject({ resolved: 3, withAgreement: 2, performed: 1, performanceRate: 0.5 });
  });

  test('a month or quarter counts only its dates, byMonth still has 12 entries', () => {
    const events = [
      opened('2024-03-31T23:30:00+08:00', { subjectId: uuid(1) }),
      closed('2024-03-31T16:30:00Z', 'success', { subjectId: uuid(1) }), // 2024-04-01 00:30 in Shanghai
    ];
    const march = summaryOf(events, { year: 2024, month: 3 });
    expect(march.mediation).toMatchObject({ accepted: 1, resolved: 0 });
    expect(march.month).toBe(3);
    const april = summaryOf(events, { year: 2024, month: 4 });
    expect(april.mediation.resolved).toBe(1);
    expect(april.mediation.byMonth).toHaveLength(12);
    expect(april.mediation.byMonth[3]).toBe(1);
    expect(summaryOf(events, { year: 2024, quarter: 1 }).mediation).toMatchObject({ accepted: 1, resolved: 0 });
    expect(summaryOf(events, { year: 2024, quarter: 2 }).mediation).toMatchObject({ accepted: 0, resolved: 1 });
  });
});

describe('outreach and sweeps', () => {
  const rec = (n: number, at: string, audience: number, extra: object = {}) =>
    makeEvent(
      'outreach.recorded',
      at,
      { title: '普法宣讲', form: 'lecture', audience, themes: ['constitution', 'civil_code'], ...extra },
      { subjectId: uuid(100 + n), orgUnitId: 'grid-a1' },
    );

  test('sessions and person-times, latest audience after updates, voided excluded', () => {
    const events = [
      rec(1, '2024-12-04T09:00:00+08:00', 100, { campaign: 'dec4' }),
      makeEvent('outreach.updated', '2024-12-05T09:00:00+08:00', { changes: { audience: 130 } }, { subjectId: uuid(101) }),
      rec(2, '2024-05-10T09:00:00+08:00', 50, { form: 'market', campaign: 'civil_code_month', themes: ['civil_code'] }),
      rec(3, '2024-05-11T09:00:00+08:00', 999),
      makeEvent('outreach.voided', '2024-05-12T09:00:00+08:00', { reason: '重复' }, { subjectId: uuid(103) }),
      rec(4, '2023-12-31T15:59:00Z', 7), // 2023-12-31 23:59 in Shanghai
    ];
    const o = summaryOf(events, { year: 2024, childOf: () => 'village-a' }).outreach;
    expect(o).toMatchObject({ sessions: 2, audience: 180, byOrgUnit: { 'village-a': 2 } });
    expect(o.byMonth[11]).toBe(1);
    expect(o.byMonth[4]).toBe(1);
    expect(o.audienceByMonth[11]).toBe(130);
    expect(o.byTheme).toMatchObject({ constitution: 1, civil_code: 2, anti_fraud: 0 });
    expect(o.byForm).toMatchObject({ lecture: 1, market: 1 });
    expect(o.byCampaign).toMatchObject({ dec4: 1, civil_code_month: 1, constitution_week: 0 });
    expect(o.audienceByCampaign).toMatchObject({ dec4: 130, civil_code_month: 50 });
  });

  test('sweeps: count, zero reports, households, disputes found', () => {
    const events = [
      makeEvent('sweep.recorded', '2024-05-01T10:00:00+08:00', { households: 30, disputesFound: 0 }, { subjectId: uuid(201) }),
      makeEvent('sweep.recorded', '2024-05-02T10:00:00+08:00', { households: 20, disputesFound: 2 }, { subjectId: uuid(202) }),
      makeEvent('sweep.recorded', '2024-05-03T10:00:00+08:00', { households: 99, disputesFound: 0 }, { subjectId: uuid(203) }),
      makeEvent('sweep.voided', '2024-05-04T10:00:00+08:00', { reason: '录错' }, { subjectId: uuid(203) }),
      makeEvent('sweep.voided', '2024-05-04T10:00:00+08:00', { reason: '录错' }, { subjectId: uuid(204) }),
    ];
    expect(summaryOf(events, { year: 2024 }).sweeps).toEqual({ count: 2, zeroReports: 1, households: 50, disputesFound: 2 });
  });
});

describe('periodOf and definitions', () => {
  test('inclusive local date ranges', () => {
    expect(periodOf({ year: 2024 })).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(periodOf({ year: 2024, month: 2 })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodOf({ year: 2023, month: 2 })).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    expect(periodOf({ year: 2024, quarter: 4 })).toEqual({ from: '2024-10-01', to: '2024-12-31' });
    expect(periodOf({ year: 2024, quarter: 2 })).toEqual({ from: '2024-04-01', to: '2024-06-30' });
  });

  test('the definitions name the rules the report relies on', () => {
    expect(STAT_DEFINITIONS.resolved).toContain('最近一次结案结果为“调解成功”');
    expect(STAT_DEFINITIONS.audience).toContain('人次');
  });
});
