import { afterEach, describe, expect, test } from 'vitest';
import { defaultOrgUnit } from '../../../../src/app/components/OrgUnitField.tsx';
import { mediatorName, orgUnitLabel, writableOrgUnits } from '../../../../src/app/session/org-units.ts';
import { session, type OrgUnitInfo } from '../../../../src/app/session/state.ts';

const tree: OrgUnitInfo[] = [
  { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
  { id: 'v1', parentId: 'town', kind: 'village', name: '江口村' },
  { id: 'v1-g1', parentId: 'v1', kind: 'grid', name: '第一网格' },
  { id: 'v1-g2', parentId: 'v1', kind: 'grid', name: '第二网格' },
  { id: 'v1-cmt', parentId: 'v1', kind: 'committee', name: '江口村调委会' },
  { id: 'v2', parentId: 'town', kind: 'village', name: '石坝村' },
  { id: 'v2-g1', parentId: 'v2', kind: 'grid', name: '第一网格' },
  { id: 'town-cmt', parentId: 'town', kind: 'committee', name: '江口镇调委会' },
];

function logIn(roles: { role: string; orgUnitId: string }[]) {
  session.value = { token: 't', user: { id: 'u', username: 'u', displayName: '张三', roles }, orgUnits: tree, expiresAt: Date.now() + 1e9 };
}

afterEach(() => {
  session.value = null;
});

describe('writableOrgUnits', () => {
  test('nobody logged in: no units', () => {
    expect(writableOrgUnits()).toEqual([]);
  });

  test('a grid worker records in its grid only, labelled with the village', () => {
    logIn([{ role: 'grid_worker', orgUnitId: 'v1-g2' }]);
    expect(writableOrgUnits().map((u) => [u.id, u.label])).toEqual([['v1-g2', '江口村 / 第二网格']]);
  });

  test("a village committee's mediator records in the village and its grids, not the committee", () => {
    logIn([{ role: 'mediator', orgUnitId: 'v1-cmt' }]);
    expect(
      writableOrgUnits()
        .map((u) => u.id)
        .sort(),
    ).toEqual(['v1', 'v1-g1', 'v1-g2']);
  });

  test('a town committee covers every village and grid; office staff record nowhere', () => {
    logIn([{ role: 'mediator', orgUnitId: 'town-cmt' }]);
    expect(writableOrgUnits()).toHaveLength(5);
    logIn([{ role: 'office', orgUnitId: 'town' }]);
    expect(writableOrgUnits()).toEqual([]);
  });

  test("the server's writable marks win over the roles when present", () => {
    logIn([{ role: 'mediator', orgUnitId: 'town-cmt' }]);
    session.value = { ...session.value!, orgUnits: tree.map((u) => ({ ...u, writable: u.id === 'v2' || u.id === 'v2-g1' })) };
    expect(writableOrgUnits().map((u) => u.id)).toEqual(['v2', 'v2-g1']);
  });

  test('several grants union without repeats', () => {
    logIn([
      { role: 'grid_worker', orgUnitId: 'v1-g1' },
      { role: 'mediator', orgUnitId: 'v1' },
    ]);
    expect(
      writableOrgUnits()
        .map((u) => u.id)
        .sort(),
    ).toEqual(['v1', 'v1-g1', 'v1-g2']);
    expect(orgUnitLabel('v2-g1')).toBe('石坝村 / 第一网格');
    expect(orgUnitLabel('unknown')).toBe('其他单位');
  });
});

describe('orgUnitLabel', () => {
  test("names a unit of the user's town outside their own from the session's names, a stranger as 其他单位", () => {
    // A grid worker of 江口村 reads only its grid (and the units above it); the town's other units come by name.
    const own = tree.filter((u) => ['town', 'v1', 'v1-g1'].includes(u.id));
    const names = tree.filter((u) => !own.includes(u)).map(({ id, parentId, kind, name }) => ({ id, parentId, kind, name }));
    session.value = {
      token: 't',
      user: { id: 'u', username: 'u', displayName: '张三', roles: [{ role: 'grid_worker', orgUnitId: 'v1-g1' }] },
      orgUnits: own,
      unitNames: names,
      expiresAt: Date.now() + 1e9,
    };
    expect(orgUnitLabel('v1-g1')).toBe('江口村 / 第一网格');
    expect(orgUnitLabel('v2-g1')).toBe('石坝村 / 第一网格');
    expect(orgUnitLabel('v1-g2')).toBe('江口村 / 第二网格');
    expect(orgUnitLabel('grid-of-another-town')).toBe('其他单位');
    // Names are for labels only: nothing outside the user's units is offered for recording.
    expect(writableOrgUnits().map((u) => u.id)).toEqual(['v1-g1']);
  });
});

describe('what a form preselects', () => {
  test("a village committee's mediator: the village for a case (their own place), no grid for a sweep (they have several)", () => {
    logIn([{ role: 'mediator', orgUnitId: 'v1-cmt' }]);
    expect(defaultOrgUnit()).toBe('v1');
    expect(defaultOrgUnit(['grid'])).toBe('');
    expect(mediatorName()).toBe('张三');
  });

  test('a grid worker: their grid, and no 调解员 name', () => {
    logIn([{ role: 'grid_worker', orgUnitId: 'v1-g2' }]);
    expect(defaultOrgUnit()).toBe('v1-g2');
    expect(mediatorName()).toBe('');
  });

  test('grants on two places: nothing is guessed', () => {
    logIn([
      { role: 'mediator', orgUnitId: 'v1-cmt' },
      { role: 'grid_worker', orgUnitId: 'v2-g1' },
    ]);
    expect(defaultOrgUnit()).toBe('');
  });
});
