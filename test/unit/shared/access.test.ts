// The one rule table of who may read and write where (src/shared/access.ts), as the server's
// scope and the app's offered actions both read it.
import { describe, expect, test } from 'vitest';
import { grantedUnits } from '#shared/access';

const UNITS = [
  { id: 'town', parentId: null, kind: 'town' },
  { id: 'v1', parentId: 'town', kind: 'village' },
  { id: 'v1-g1', parentId: 'v1', kind: 'grid' },
  { id: 'v1-cmt', parentId: 'v1', kind: 'committee' },
  { id: 'v2', parentId: 'town', kind: 'village' },
  { id: 'v2-g1', parentId: 'v2', kind: 'grid' },
];

const sorted = (s: Set<string>) => [...s].sort();

describe('grantedUnits', () => {
  test('office reads its subtree and keeps its ledgers there, records nowhere and sees no personal data', () => {
    const g = grantedUnits(UNITS, [{ role: 'office', orgUnitId: 'town' }]);
    expect(sorted(g.readable)).toEqual(UNITS.map((u) => u.id).sort());
    expect(sorted(g.ledgers)).toEqual(UNITS.map((u) => u.id).sort());
    expect(g.recordable.size).toBe(0);
    expect(g.personalData.size).toBe(0);
    expect(g.isAdmin).toBe(false);
  });

  test('a mediator of a committee records in the village it serves, with its personal data', () => {
    const g = grantedUnits(UNITS, [{ role: 'mediator', orgUnitId: 'v1-cmt' }]);
    expect(sorted(g.recordable)).toEqual(['v1', 'v1-cmt', 'v1-g1']);
    expect(sorted(g.personalData)).toEqual(['v1', 'v1-cmt', 'v1-g1']);
    expect(g.ledgers.size).toBe(0);
  });

  test('a grid worker records in the grid only; grants union', () => {
    expect(sorted(grantedUnits(UNITS, [{ role: 'grid_worker', orgUnitId: 'v1-g1' }]).recordable)).toEqual(['v1-g1']);
    const both = grantedUnits(UNITS, [
      { role: 'grid_worker', orgUnitId: 'v1-g1' },
      { role: 'office', orgUnitId: 'v2' },
    ]);
    expect(sorted(both.recordable)).toEqual(['v1-g1']);
    expect(sorted(both.readable)).toEqual(['v1-g1', 'v2', 'v2-g1']);
  });

  test('admin records everywhere but sees personal data masked; unknown roles and units grant nothing', () => {
    const admin = grantedUnits(UNITS, [{ role: 'admin', orgUnitId: '*' }]);
    expect(admin.isAdmin).toBe(true);
    expect(admin.recordable.size).toBe(UNITS.length);
    expect(admin.personalData.size).toBe(0);
    const none = grantedUnits(UNITS, [
      { role: 'auditor', orgUnitId: 'town' },
      { role: 'grid_worker', orgUnitId: 'gone' },
      { role: 'constructor', orgUnitId: 'town' },
    ]);
    expect(none.readable.size + none.recordable.size).toBe(0);
  });
});
