import { describe, expect, test } from 'vitest';
import { foldAll, foldOutreach, foldSubject, foldSweep, groupBySubject } from '#shared/fold/index';
import { makeEvent, opened, reordered, uuid } from '../support/builders.ts';

const recorded = (at: string, o = {}) =>
  makeEvent(
    'outreach.recorded',
    at,
    { title: '宪法进院坝', form: 'courtyard', audience: 120, themes: ['constitution'], campaign: 'dec4' },
    { subjectId: uuid(2), ...o },
  );

describe('foldOutreach', () => {
  test('applies updates in occurredAt order and keeps the recorded time', () => {
    const rec = recorded('2024-12-04T09:00:00+08:00');
    const u1 = makeEvent('outreach.updated', '2024-12-05T09:00:00+08:00', { changes: { audience: 150 } }, { subjectId: uuid(2) });
    const u2 = makeEvent('outreach.updated', '2024-12-06T09:00:00+08:00', { changes: { audience: 180, title: '宪法宣传进院坝' } }, { subjectId: uuid(2) });
    const s = foldOutreach([u2, rec, u1]);
    expect(s).toMatchObject({
      kind: 'outreach',
      occurredAt: rec.occurredAt,
      hasRecorded: true,
      record: { audience: 180, title: '宪法宣传进院坝', form: 'courtyard' },
    });
    for (const order of reordered([rec, u1, u2, u1])) expect(foldOutreach(order)).toEqual(s);
  });

  test('an update alone gives a state without a record', () => {
    const s = foldOutreach([makeEvent('outreach.updated', '2024-12-05T09:00:00+08:00', { changes: { audience: 150 } }, { subjectId: uuid(2) })]);
    expect(s).toMatchObject({ hasRecorded: false });
    expect(s?.record).toBeUndefined();
  });

  test('voided', () => {
    const s = foldOutreach([
      recorded('2024-12-04T09:00:00+08:00'),
      makeEvent('outreach.voided', '2024-12-05T09:00:00+08:00', { reason: '重复' }, { subjectId: uuid(2) }),
    ]);
    expect(s?.voided?.reason).toBe('重复');
  });
});

describe('foldSweep', () => {
  test('zero report from the explicit flag, else from no disputes found', () => {
    const zero = foldSweep([makeEvent('sweep.recorded', '2024-05-01T10:00:00+08:00', { households: 30, disputesFound: 0 }, { subjectId: uuid(3) })]);
    expect(zero).toMatchObject({ kind: 'sweep', households: 30, disputesFound: 0, zeroReport: true, hasRecorded: true });
    const some = foldSweep([makeEvent('sweep.recorded', '2024-05-01T10:00:00+08:00', { households: 30, disputesFound: 2 }, { subjectId: uuid(3) })]);
    expect(some?.zeroReport).toBe(false);
    const flagged = foldSweep([
      makeEvent('sweep.recorded', '2024-05-01T10:00:00+08:00', { households: 30, disputesFound: 0, zeroReport: false }, { subjectId: uuid(3) }),
    ]);
    expect(flagged?.zeroReport).toBe(false);
  });

  test('a voiding that arrives first is kept, and the sweep stays voided', () => {
    const v = makeEvent('sweep.voided', '2024-05-02T10:00:00+08:00', { reason: '录错' }, { subjectId: uuid(3) });
    expect(foldSweep([v])).toMatchObject({ hasRecorded: false, voided: { reason: '录错' } });
    const r = makeEvent('sweep.recorded', '2024-05-01T10:00:00+08:00', { households: 30, disputesFound: 1 }, { subjectId: uuid(3) });
    expect(foldSweep([v, r])).toMatchObject({ hasRecorded: true, households: 30, voided: { reason: '录错' } });
  });
});

describe('foldSubject and groupBySubject', () => {
  test('fold every subject of a mixed list by its kind', () => {
    const events = [
      opened('2024-01-01T09:00:00+08:00', { subjectId: uuid(1) }),
      recorded('2024-01-02T09:00:00+08:00'),
      makeEvent('sweep.recorded', '2024-01-03T09:00:00+08:00', { households: 5, disputesFound: 0 }, { subjectId: uuid(3) }),
    ];
    expect([...groupBySubject(events).keys()]).toEqual([uuid(1), uuid(2), uuid(3)]);
    expect(foldAll(events).map((s) => s.kind)).toEqual(['case', 'outreach', 'sweep']);
    expect(foldSubject(events, uuid(2))?.kind).toBe('outreach');
    expect(foldSubject([])).toBeUndefined();
  });
});
