// Office ledger schemas and the figures they make for the report.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '#shared/events';
import { LedgerEntry, ledgerFigures, type LedgerItem } from '#shared/office/ledgers';

let n = 0;
const item = (occurredAt: string, entry: unknown): LedgerItem => ({
  subjectId: `s${++n}`,
  eventId: `e${String(n).padStart(4, '0')}`,
  occurredAt,
  entry: v.parse(LedgerEntry, entry),
});

describe('ledgerFigures', () => {
  it('adds counts, keeps the latest snapshot and leaves absent kinds out', () => {
    const f = ledgerFigures([
      item('2024-03-01T12:00:00+08:00', { kind: 'adviser', activity: 'meeting', count: 12 }),
      item('2024-05-01T12:00:00+08:00', { kind: 'adviser', activity: 'meeting', count: 8 }),
      item('2024-05-01T12:00:00+08:00', { kind: 'adviser', activity: 'consultation', count: 30 }),
      // Snapshots: the later list wins whatever the input order.
      item('2024-09-01T12:00:00+08:00', { kind: 'enforcement_list', statutory: 27, empowered: 50, entrusted: 43 }),
      item('2024-01-01T12:00:00+08:00', { kind: 'enforcement_list', statutory: 1, empowered: 1, entrusted: 1 }),
      item('2024-02-01T12:00:00+08:00', { kind: 'admin_case', caseType: 'reconsideration', title: '甲', performed: true }),
      item('2024-03-01T12:00:00+08:00', { kind: 'admin_case', caseType: 'reconsideration', title: '乙', performed: false }),
      item('2024-04-01T12:00:00+08:00', { kind: 'admin_case', caseType: 'litigation', title: '丙', appeared: true }),
    ]);
    expect(f).toEqual({
      adviserMeetings: 20,
      enforcementStatutory: 27,
      enforcementEmpowered: 50,
      enforcementEntrusted: 43,
      reconsiderationCases: 2,
      reconsiderationPerformanceRate: 0.5,
      litigationCases: 1,
      litigationAppearanceRate: 1,
    });
    expect(ledgerFigures([])).toEqual({});
  });

  it('validates entries with Chinese messages and makes ledger.recorded a valid event type', () => {
    const bad = v.safeParse(LedgerEntry, { kind: 'adviser', activity: 'meeting', count: 0 });
    expect(bad.success).toBe(false);
    expect(bad.issues?.[0]?.message).toContain('至少为 1');
    expect(v.safeParse(LedgerEntry, { kind: 'nothing' }).success).toBe(false);
    const parsed = parseEvent({
      id: '0193a000-0000-7000-8000-000000000001',
      type: 'ledger.recorded',
      subjectId: '0193a000-0000-7000-8000-000000000002',
      orgUnitId: 'jk',
      occurredAt: '2024-03-01T12:00:00+08:00',
      recordedAt: '2024-03-01T12:00:00+08:00',
      deviceId: 'office-web',
      deviceSeq: 1,
      data: { kind: 'disclosure', count: 63, extra: 'stripped' },
    });
    expect(parsed.ok && parsed.value.data).toEqual({ kind: 'disclosure', count: 63 });
  });
});
