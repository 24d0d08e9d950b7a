// The tree a period is read with (期末): moves dated after the day are undone, in order, and a
// close dated after it is not made yet; a unit moved twice sits where it was on each day.
import { describe, expect, it } from 'vitest';
import { closedUnitRefusal, treeAsOf } from '../../../../src/server/access/org-closing.ts';
import { buildOrgTree } from '../../../../src/server/access/org-tree.ts';
import type { OrgUnit } from '../../../../src/server/storage/account-store.ts';

const unit = (id: string, parentId: string | null, kind: OrgUnit['kind'], extra: Partial<OrgUnit> = {}): OrgUnit => ({
  id,
  parentId,
  kind,
  name: id,
  code: null,
  shortName: null,
  ...extra,
});

// Grid g was under a until 2024-07-01 (a merged into b), then under b until 2025-03-01 (b merged into c).
const live = buildOrgTree([
  unit('t', null, 'town'),
  unit('a', 'b', 'village', { closedOn: '2024-07-01', successorId: 'b', formerParents: [{ parentId: 't', movedOn: '2024-07-01' }] }),
  unit('b', 'c', 'village', { closedOn: '2025-03-01', successorId: 'c', formerParents: [{ parentId: 't', movedOn: '2025-03-01' }] }),
  unit('c', 't', 'village'),
  unit('g', 'c', 'grid', {
    formerParents: [
      { parentId: 'a', movedOn: '2024-07-01' },
      { parentId: 'b', movedOn: '2025-03-01' },
    ],
  }),
]);

describe('treeAsOf', () => {
  it('puts every unit where it was on the day', () => {
    const parents = (day: string) => Object.fromEntries(['a', 'b', 'g'].map((id) => [id, treeAsOf(live, day).get(id)!.parentId]));
    expect(parents('2024-06-30')).toEqual({ a: 't', b: 't', g: 'a' });
    expect(parents('2024-07-01')).toEqual({ a: 'b', b: 't', g: 'b' });
    expect(parents('2025-02-28')).toEqual({ a: 'b', b: 't', g: 'b' });
    expect(parents('2025-03-01')).toEqual({ a: 'b', b: 'c', g: 'c' });
  });

  it('opens units closed after the day, and keeps the live tree when nothing moved', () => {
    expect(treeAsOf(live, '2024-12-31').get('b')).toMatchObject({ closedOn: null, successorId: null });
    expect(treeAsOf(live, '2024-12-31').get('a')).toMatchObject({ closedOn: '2024-07-01' });
    expect(treeAsOf(live, '2024-12-31').subtree('b').sort()).toEqual(['a', 'b', 'g']);
    const still = buildOrgTree([unit('t', null, 'town'), unit('v', 't', 'village')]);
    expect(treeAsOf(still, '2020-01-01')).toBe(still);
  });
});

describe('closedUnitRefusal', () => {
  const opened = (orgUnitId: string, occurredAt: string, acceptedOn?: string) =>
    ({
      id: '018f0000-0000-7000-8000-000000000001',
      type: 'case.opened',
      subjectId: '018f0000-0000-7000-8000-000000000002',
      orgUnitId,
      occurredAt,
      recordedAt: occurredAt,
      deviceId: 'd',
      deviceSeq: 1,
      data: { disputeType: '02', source: 'application', summary: 's', parties: [], ...(acceptedOn ? { acceptedOn } : {}) },
    }) as unknown as Parameters<typeof closedUnitRefusal>[0];

  it('refuses a case accepted on or after the close by its 受理日期, in local time', () => {
    expect(closedUnitRefusal(opened('a', '2024-06-30T23:30:00+08:00'), live, 'Asia/Shanghai')).toBeUndefined();
    // 16:30 UTC on 30 June is 00:30 on 1 July in Shanghai.
    expect(closedUnitRefusal(opened('a', '2024-06-30T16:30:00Z'), live, 'Asia/Shanghai')?.code).toBe('unit_closed');
    expect(closedUnitRefusal(opened('a', '2024-08-01T09:00:00+08:00', '2024-06-20'), live, 'Asia/Shanghai')).toBeUndefined();
    expect(closedUnitRefusal(opened('c', '2025-08-01T09:00:00+08:00'), live, 'Asia/Shanghai')).toBeUndefined();
  });
});
