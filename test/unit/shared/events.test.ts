import { describe, expect, test } from 'vitest';
import { parseEvent } from '#shared/events';

const base = {
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  subjectId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
  orgUnitId: 'grid-1',
  occurredAt: '2024-12-31T23:30:00+08:00',
  recordedAt: '2025-01-02T08:01:12.345Z',
  deviceId: 'dev-1',
  deviceSeq: 1,
};

describe('parseEvent', () => {
  test('accepts the minimal events of the contract', () => {
    const minimal = [
      {
        type: 'case.opened',
        data: {
          disputeType: '01',
          source: 'application',
          summary: '宅基地边界',
          parties: [
            { role: 'applicant', name: '张某' },
            { role: 'respondent', name: '李某' },
          ],
        },
      },
      { type: 'case.closed', data: { result: 'success', agreementForm: 'written' } },
      { type: 'outreach.recorded', data: { title: '宪法进院坝', form: 'lecture', audience: 120 } },
      { type: 'sweep.recorded', data: { households: 35, disputesFound: 0 } },
      { type: 'case.voided', data: { reason: '重复登记' } },
      { type: 'outreach.voided', data: { reason: '重复登记' } },
    ];
    for (const e of minimal) expect(parseEvent({ ...base, ...e }), e.type).toMatchObject({ ok: true });
  });

  test('rejects an unknown dispute type with a Chinese message', () => {
    const r = parseEvent({
      ...base,
      type: 'case.opened',
      data: { disputeType: '42', source: 'application', summary: 'x', parties: [{ role: 'applicant', name: '张某' }] },
    });
    expect(r).toMatchObject({ ok: false, code: 'invalid_event' });
    if (!r.ok) expect(r.message).toContain('未知的纠纷类型');
  });

  test('rejects a time without an offset', () => {
    const r = parseEvent({ ...base, occurredAt: '2024-12-31T23:30:00', type: 'sweep.recorded', data: { households: 1, disputesFound: 0 } });
    expect(r.ok).toBe(false);
  });
});
