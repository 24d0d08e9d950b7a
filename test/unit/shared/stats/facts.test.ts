import { describe, expect, test } from 'vitest';
import { foldAll, foldCase, foldOutreach, foldSweep } from '#shared/fold/index';
import {
  caseFactsOf,
  factRowsOf,
  outreachFactsOf,
  periodOf,
  statFactsOf,
  summarize,
  summarizeFactRows,
  summarizeFacts,
  sweepFactsOf,
  type FactRows,
} from '#shared/stats/summary';
import { closed, makeEvent, opened, uuid, voided } from '../support/builders.ts';

describe('statistics facts', () => {
  test('a case becomes one row with local dates and breakdown keys', () => {
    const s = foldCase([
      opened('2024-12-31T16:30:00Z', { orgUnitId: 'grid-7' }, { source: 'referral', referrer: 'petition', peopleInvolved: 4, amountInvolved: 1234.565 }),
      closed('2025-01-02T09:00:00+08:00', 'success', {}, { agreementForm: 'oral' }),
      makeEvent('case.performed', '2025-01-09T09:00:00+08:00', { status: 'full' }),
    ])!;
    expect(caseFactsOf(s, 'Asia/Shanghai')).toEqual({
      kind: 'case',
      subjectId: uuid(1),
      orgUnitId: 'grid-7',
      voided: false,
      acceptedOn: '2025-01-01',
      closedOn: '2025-01-02',
      result: 'success',
      withAgreement: true,
      performedFull: true,
      disputeType: '03',
      sourceKey: 'referral:petition',
      channel: 'petition',
      peopleInvolved: 4,
      amountCents: 123457,
    });
    expect(caseFactsOf(s, 'UTC').acceptedOn).toBe('2024-12-31');
  });

  test('outreach and sweeps have a date only once recorded', () => {
    const onlyVoid = foldOutreach([makeEvent('outreach.voided', '2024-05-01T09:00:00+08:00', { reason: '重复' }, { subjectId: uuid(2) })])!;
    expect(outreachFactsOf(onlyVoid, 'Asia/Shanghai')).toMatchObject({ voided: true, audience: 0, themes: [] });
    expect(outreachFactsOf(onlyVoid, 'Asia/Shanghai').heldOn).toBeUndefined();
    const sweep = foldSweep([makeEvent('sweep.recorded', '2024-05-01T09:00:00+08:00', { households: 8, disputesFound: 0 }, { subjectId: uuid(3) })])!;
    expect(sweepFactsOf(sweep, 'Asia/Shanghai')).toMatchObject({ sweptOn: '2024-05-01', households: 8, zeroReport: true, voided: false });
  });

  test('summarizeFacts over the rows equals summarize over the states; amounts sum exactly', () => {
    const events = [
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(1) }, { amountInvolved: 0.1 }),
      closed('2024-02-10T09:00:00+08:00', 'success', { subjectId: uuid(1) }),
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(2) }, { amountInvolved: 0.2 }),
      closed('2024-02-10T09:00:00+08:00', 'success', { subjectId: uuid(2) }),
      opened('2024-02-01T09:00:00+08:00', { subjectId: uuid(3) }, { amountInvolved: 50 }),
      voided('2024-02-02T09:00:00+08:00', { subjectId: uuid(3) }),
    ];
    const states = foldAll(events);
    const viaFacts = summarizeFacts(
      states.map((s) => statFactsOf(s, 'Asia/Shanghai')),
      { year: 2024 },
    );
    expect(viaFacts).toEqual(summarize(states, { year: 2024, timeZone: 'Asia/Shanghai' }));
    expect(viaFacts.mediation.amountInvolved).toBe(0.3);
  });

  test('summarizeFactRows counts grouped rows (a GROUP BY with counts) like one row per subject', () => {
    const events = [];
    for (let i = 1; i <= 6; i++) {
      const o = { subjectId: uuid(i), orgUnitId: i <= 4 ? 'grid-1' : 'grid-2' };
      events.push(
        opened('2024-02-01T09:00:00+08:00', o, {
          amountInvolved: i * 0.1,
          peopleInvolved: i,
          source: i > 3 ? 'referral' : 'application',
          referrer: i > 3 ? 'court' : undefined,
        }),
      );
      events.push(closed('2024-02-10T09:00:00+08:00', i === 6 ? 'terminated' : 'success', o, { agreementForm: i === 3 || i === 6 ? 'none' : 'written' }));
    }
    events.push(
      makeEvent(
        'outreach.recorded',
        '2024-03-04T10:00:00+08:00',
        { title: '宣讲', form: 'lecture', audience: 30, themes: ['constitution'], campaign: 'dec4' },
        { subjectId: uuid(20) },
      ),
    );
    events.push(
      makeEvent(
        'outreach.recorded',
        '2024-03-05T10:00:00+08:00',
        { title: '宣讲', form: 'lecture', audience: 20, themes: ['constitution'], campaign: 'dec4' },
        { subjectId: uuid(21) },
      ),
    );
    events.push(makeEvent('sweep.recorded', '2024-05-01T09:00:00+08:00', { households: 8, disputesFound: 0 }, { subjectId: uuid(30) }));
    events.push(makeEvent('sweep.recorded', '2024-05-02T09:00:00+08:00', { households: 5, disputesFound: 2 }, { subjectId: uuid(31) }));
    const facts = foldAll(events).map((s) => statFactsOf(s, 'Asia/Shanghai'));
    const perSubject = factRowsOf(facts, periodOf({ year: 2024 }));
    // Merge rows that share every key, summing counts and sums: what the server's GROUP BY returns.
    const merge = <T extends object>(rows: T[], sums: (keyof T)[]): T[] => {
      const by = new Map<string, T>();
      for (const r of rows) {
        const key = JSON.stringify(Object.entries(r).filter(([k]) => !sums.includes(k as keyof T)));
        const held = by.get(key);
        if (!held) by.set(key, { ...r });
        else for (const k of sums) (held[k] as number) += r[k] as number;
      }
      return [...by.values()];
    };
    const grouped: FactRows = {
      accepted: merge(perSubject.accepted, ['cases']),
      closed: merge(perSubject.closed, ['cases', 'peopleInvolved', 'amountCents']),
      outreach: merge(perSubject.outreach, ['sessions', 'audience']),
      outreachThemes: merge(perSubject.outreachThemes, ['sessions']),
      sweeps: merge(perSubject.sweeps, ['count', 'zeroReports', 'households', 'disputesFound']),
    };
    expect(grouped.closed.length).toBeLessThan(perSubject.closed.length);
    expect(grouped.outreach).toHaveLength(1);
    const q = { year: 2024, childOf: (u: string) => `v-${u}` };
    const s = summarizeFactRows(grouped, q);
    expect(s).toEqual(summarizeFacts(facts, q));
    expect(s.mediation).toMatchObject({ closed: 6, resolved: 5, terminated: 1, peopleInvolved: 15, amountInvolved: 1.5, withAgreement: 4 });
    expect(s.mediation.byReferrer.court).toBe(2);
    expect(s.outreach).toMatchObject({ sessions: 2, audience: 50 });
    expect(s.sweeps).toEqual({ count: 2, zeroReports: 1, households: 13, disputesFound: 2 });
  });
});
