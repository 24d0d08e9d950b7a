import { describe, expect, test } from 'vitest';
import type { AdminUser, OrgUnit } from '../../../../src/app/screens/Admin/api.ts';
import {
  buildTree,
  childKindsOf,
  completedSteps,
  firstOpenStep,
  grantChoices,
  parentChoices,
  sampleCaseNumber,
  sortableName,
  unitPath,
} from '../../../../src/app/screens/Admin/org-rules.ts';

const unit = (id: string, parentId: string | null, kind: OrgUnit['kind'], name: string, extra: Partial<OrgUnit> = {}): OrgUnit => ({
  id,
  parentId,
  kind,
  name,
  code: null,
  shortName: null,
  ...extra,
});

const tree: OrgUnit[] = [
  unit('tjh', 'town', 'committee', '江口镇人民调解委员会'),
  unit('g2', 'v1', 'grid', '第二网格'),
  unit('town', null, 'town', '江口镇', { shortName: '江口' }),
  unit('v1', 'town', 'village', '向阳村'),
  unit('g1', 'v1', 'grid', '第一网格'),
  unit('c1', 'town', 'community', '江口社区'),
];

describe('org rules', () => {
  test('what can be added under each kind', () => {
    expect(childKindsOf(null)).toEqual(['county', 'town']);
    expect(childKindsOf('town')).toEqual(['village', 'community', 'committee', 'station']);
    expect(childKindsOf('village')).toEqual(['grid', 'committee', 'station']);
    expect(childKindsOf('grid')).toEqual([]);
  });

  test('the tree nests children and puts villages before committees, grids in name order', () => {
    const roots = buildTree(tree);
    expect(roots.map((n) => n.unit.id)).toEqual(['town']);
    expect(roots[0]!.children.map((n) => n.unit.id)).toEqual(['v1', 'c1', 'tjh']);
    expect(roots[0]!.children[0]!.children.map((n) => n.unit.name)).toEqual(['第一网格', '第二网格']);
  });

  test('a unit cannot move under itself or below itself', () => {
    expect(
      parentChoices(tree, 'grid', 'g1')
        .map((u) => u.id)
        .sort(),
    ).toEqual(['c1', 'v1']);
    expect(parentChoices(tree, 'village', 'v1').map((u) => u.id)).toEqual(['town']);
    expect(parentChoices(tree, 'town', 'town')).toEqual([]);
  });

  test('paths read from the top', () => {
    expect(unitPath(tree, 'g1')).toBe('江口镇 / 向阳村 / 第一网格');
    expect(unitPath(tree, 'missing')).toBe('missing');
  });

  test('a grid worker is offered grids, villages and communities, never committees or towns', () => {
    const ids = grantChoices(tree, 'grid_worker')
      .map((c) => c.id)
      .sort();
    expect(ids).toEqual(['c1', 'g1', 'g2', 'v1']);
    expect(
      grantChoices(tree, 'mediator')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['c1', 'tjh', 'town', 'v1']);
    expect(grantChoices(tree, 'admin')).toEqual([]);
  });

  test('the unit pickers list units in the tree’s order: each village, then its grids by number', () => {
    const numbers = ['第二', '第六', '第三', '第四', '第五', '第一'];
    const units = [
      unit('town', null, 'town', '江口镇'),
      ...numbers.map((n, i) => unit(`g${i}`, 'v1', 'grid', `向阳村${n}网格`)),
      unit('v1', 'town', 'village', '向阳村'),
      unit('gx', 'v2', 'grid', '帆水村第一网格'),
      unit('v2', 'town', 'village', '帆水村'),
    ];
    expect(grantChoices(units, 'grid_worker').map((c) => c.label)).toEqual([
      '江口镇 / 帆水村（村）',
      '江口镇 / 帆水村 / 帆水村第一网格（网格）',
      '江口镇 / 向阳村（村）',
      ...['第一', '第二', '第三', '第四', '第五', '第六'].map((n) => `江口镇 / 向阳村 / 向阳村${n}网格（网格）`),
    ]);
    expect(parentChoices(units, 'grid').map((u) => u.id)).toEqual(['v2', 'v1']);
  });

  test('the sample case number uses the short name', () => {
    expect(sampleCaseNumber('江口', 2024)).toBe('（2024）江口人调字第001号');
  });

  test('the walk-through opens at the first step the data lacks', () => {
    const admin: AdminUser = { id: 'a', username: 'admin', displayName: '管理员', disabled: false, roles: [{ role: 'admin', orgUnitId: '*' }], createdAt: '' };
    expect(firstOpenStep(completedSteps([], [admin]))).toBe(1);
    expect(
      firstOpenStep(
        completedSteps(
          tree.filter((u) => u.kind === 'town'),
          [admin],
        ),
      ),
    ).toBe(2);
    expect(
      firstOpenStep(
        completedSteps(
          tree.filter((u) => u.kind !== 'grid'),
          [admin],
        ),
      ),
    ).toBe(3);
    expect(
      firstOpenStep(
        completedSteps(
          tree.filter((u) => u.kind !== 'committee'),
          [admin],
        ),
      ),
    ).toBe(4);
    expect(firstOpenStep(completedSteps(tree, [admin]))).toBe(5);
    const worker: AdminUser = { ...admin, id: 'w', roles: [{ role: 'grid_worker', orgUnitId: 'g1' }] };
    expect(completedSteps(tree, [admin, worker]).size).toBe(5);
  });
});

test('numbered names sort by their number, in Chinese or Arabic numerals', () => {
  const names = ['第十网格', '第二网格', '第十一网格', '第一网格', '3组', '12组'];
  expect([...names].sort((a, b) => sortableName(a).localeCompare(sortableName(b), 'zh-CN'))).toEqual([
    '3组',
    '12组',
    '第一网格',
    '第二网格',
    '第十网格',
    '第十一网格',
  ]);
});
