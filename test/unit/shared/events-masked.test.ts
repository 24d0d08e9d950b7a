// The server's masked copies (pull-mask.ts) against the shared schema: valid as read when
// marked, never valid as a write, and a masked phone is no phone in an unmarked event.
import { describe, expect, test } from 'vitest';
import { parseEvent } from '#shared/events';
import { maskParty } from '#shared/mask';

const party = { role: 'applicant', name: '李四', phone: '18612342135', idNumber: '500235199001011234', address: '云阳县江口镇江口村三组12号' } as const;
const opened = (parties: unknown[], extra: Record<string, unknown> = {}) => ({
  id: '0193a000-0000-7000-8000-0000000000a1',
  type: 'case.opened',
  subjectId: '0193a000-0000-7000-8000-0000000000a2',
  orgUnitId: 'v1-g1',
  occurredAt: '2024-05-01T09:00:00+08:00',
  recordedAt: '2024-05-01T09:00:00+08:00',
  deviceId: 'd1',
  deviceSeq: 1,
  data: { disputeType: '03', source: 'application', summary: '宅基地边界', parties },
  ...extra,
});

describe('masked copies', () => {
  test('a marked copy with masked parties is read as it is', () => {
    const parsed = parseEvent(opened([maskParty(party)], { masked: true }), { acceptMasked: true });
    expect(parsed.ok && parsed.value).toMatchObject({
      masked: true,
      data: { parties: [{ name: '李*', phone: '186****2135', idNumber: '5002**********1234' }] },
    });
  });

  test('a marked copy is refused where writes are checked (push, the phone saving)', () => {
    const parsed = parseEvent(opened([maskParty(party)], { masked: true }));
    expect(parsed).toMatchObject({ ok: false, code: 'invalid_event', issues: [{ path: 'masked' }] });
  });

  test('masked numbers in an unmarked event are still refused, also when reading', () => {
    expect(parseEvent(opened([maskParty(party)]), { acceptMasked: true })).toMatchObject({
      ok: false,
      issues: [{ path: 'data.parties.0.phone' }, { path: 'data.parties.0.idNumber' }],
    });
    expect(parseEvent(opened([party])).ok).toBe(true);
  });
});
