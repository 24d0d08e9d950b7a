// The plan's rule for which unit a new event of a stored subject may name (services/push-plan.ts):
// a case's current unit as its stored events and the batch's earlier ones fold, or a unit a 更正
// took it out of for what was recorded before that move; other subjects their first event's unit.
// The same over HTTP on both stores: test/server/sync-moved-case.test.ts.
import { describe, expect, test } from 'vitest';
import { canonicalJson, type DomainEvent } from '#shared/events';
import { casesToFold, planBatch } from '../../../../src/server/services/push-plan.ts';
import type { PushBatch, SubjectHome } from '../../../../src/server/storage/event-store.ts';
import { makeEvent, opened, updated, uuid } from '../../shared/support/builders.ts';

const CASE = uuid(1);
const MOVED_AT = '2025-06-02T00:00:00Z';
const BEFORE = '2025-06-01T12:00:00Z';
const AFTER = '2025-06-03T00:00:00Z';

const batchOf = (events: DomainEvent[]): PushBatch => ({
  authorId: 'u',
  deviceId: 'd',
  receivedAt: '2025-06-04T00:00:00Z',
  userOrgUnitId: undefined,
  pending: undefined,
  timeZone: 'Asia/Shanghai',
  items: events.map((event) => ({ kind: 'accepted', event, canonical: canonicalJson(event) })),
});
const session = (orgUnitId: string, recordedAt: string) =>
  makeEvent('case.session', '2025-06-01T10:00:00+08:00', { content: '调解' }, { subjectId: CASE, orgUnitId, recordedAt });

const registration = opened('2025-05-01T09:00:00+08:00', { subjectId: CASE, orgUnitId: 'grid-1', recordedAt: '2025-05-01T01:00:00Z' });
const move = updated('2025-06-02T08:00:00+08:00', { orgUnitId: 'grid-2' }, { subjectId: CASE, orgUnitId: 'grid-1', recordedAt: MOVED_AT });
const HOME = new Map<string, SubjectHome>([[CASE, { orgUnitId: 'grid-1', type: 'case.opened' }]]);

function statuses(events: DomainEvent[], stored: DomainEvent[]) {
  const plan = planBatch(batchOf(events), new Map(), HOME, new Map([[CASE, stored]]));
  return plan.results.map((r) => (r.status === 'rejected' ? `rejected:${r.error?.message}` : r.status));
}

describe('a new event of a moved case', () => {
  test('naming the case’s current unit is applied', () => {
    expect(statuses([session('grid-2', AFTER)], [registration, move])).toEqual(['applied']);
  });

  test('naming the unit it left is refused when recorded after the move, and applied when recorded before it', () => {
    const [after] = statuses([session('grid-1', AFTER)], [registration, move]);
    expect(after).toMatch(/^rejected:该案件已更正到另一个网格/);
    expect(statuses([session('grid-1', BEFORE)], [registration, move])).toEqual(['applied']);
  });

  test('naming a unit the case was never in is refused', () => {
    const [other] = statuses([session('grid-9', BEFORE)], [registration, move]);
    expect(other).toMatch(/^rejected:该记录所属的案件/);
  });

  test('follows a move earlier in the same batch: after it the new unit, before it the old one', () => {
    expect(statuses([move, session('grid-2', AFTER), session('grid-1', AFTER)], [registration])).toEqual([
      'applied',
      'applied',
      expect.stringMatching(/^rejected:该案件已更正/),
    ]);
    expect(statuses([session('grid-2', AFTER), move], [registration])).toEqual([expect.stringMatching(/^rejected:该记录所属的案件/), 'applied']);
  });

  test('a case opened in the batch follows its own move too', () => {
    const plan = planBatch(batchOf([registration, move, session('grid-2', AFTER)]), new Map());
    expect(plan.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });
});

describe('other subjects', () => {
  test('stay in their first event’s unit; only stored cases with a new event are read', () => {
    const activity = uuid(2);
    const homes = new Map<string, SubjectHome>([...HOME, [activity, { orgUnitId: 'grid-1', type: 'outreach.recorded' }]]);
    const voided = makeEvent('outreach.voided', '2025-06-01T10:00:00+08:00', { reason: '重复' }, { subjectId: activity, orgUnitId: 'grid-2' });
    const plan = planBatch(batchOf([voided]), new Map(), homes);
    expect(plan.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_org_unit' } });

    const held = session('grid-2', AFTER);
    expect(casesToFold(batchOf([voided, held]), new Map(), homes)).toEqual([CASE]);
    expect(casesToFold(batchOf([voided, held]), new Map([[held.id, canonicalJson(held)]]), homes)).toEqual([]);
  });
});
