import { describe, expect, test } from 'vitest';
import { foldAll, foldCase, foldOutreach, foldSweep } from '#shared/fold/index';
import { caseFactsOf, outreachFactsOf, statFactsOf, summarize, summarizeFacts, sweepFactsOf } from '#shared/stats/summary';
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
    const viaFacts = summarizeFacts(states.map((s) => statFactsOf(s, 'Asia/Shanghai')), { year: 2024 });
    expect(viaFacts).toEqual(summarize(states, { year: 2024, timeZone: 'Asia/Shanghai' }));
    expect(viaFacts.mediation.amountInvolved).toBe(0.3);
  });
});
