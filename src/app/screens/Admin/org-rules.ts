// What the admin screens need to know about the org tree to offer only sensible choices:
// which kind of unit goes under which, which role is granted on which kind, the tree as
// nested nodes, and how far the first-run walk-through has got. The server applies the
// same rules (src/shared/org-rules.ts) and has the last word.
import { ORG_UNIT_KIND_LABELS } from '#shared/codes';
import { ALLOWED_PARENT_KINDS, GRANT_KINDS } from '#shared/org-rules';
import { formatDay } from '../../format-day.ts';
import type { AdminUser, OrgUnit, OrgUnitKind, RoleCode } from './api.ts';

/** The kinds that can be created under a unit of `parent` kind (null: at the top). */
export function childKindsOf(parent: OrgUnitKind | null): OrgUnitKind[] {
  return (Object.keys(ALLOWED_PARENT_KINDS) as OrgUnitKind[]).filter((k) => ALLOWED_PARENT_KINDS[k].includes(parent));
}

/** Units where a unit of `kind` may be placed (moving `movingId` excludes itself and its subtree). */
export function parentChoices(units: readonly OrgUnit[], kind: OrgUnitKind, movingId?: string): OrgUnit[] {
  const excluded = movingId ? new Set(subtreeIds(units, movingId)) : new Set<string>();
  return treeOrder(units).filter((u) => !excluded.has(u.id) && !u.closedOn && ALLOWED_PARENT_KINDS[kind].includes(u.kind));
}

/** "已撤并 · 2025年7月1日并入青山村": how the tree names a closed unit (undefined while open). */
export function closedNote(units: readonly OrgUnit[], unit: OrgUnit): string | undefined {
  if (!unit.closedOn) return undefined;
  const successor = unit.successorId ? units.find((u) => u.id === unit.successorId) : undefined;
  return successor ? `已撤并 · ${formatDay(unit.closedOn)}并入${successor.name}` : `已撤并 · ${formatDay(unit.closedOn)}起`;
}

/** Units `unit` may be merged into: open, outside its subtree, of its level (a village into a village or community). */
export function successorChoices(units: readonly OrgUnit[], unit: OrgUnit): OrgUnit[] {
  const own = new Set(subtreeIds(units, unit.id));
  const level = unit.kind === 'village' || unit.kind === 'community' ? ['village', 'community'] : [unit.kind];
  return treeOrder(units).filter((u) => !own.has(u.id) && !u.closedOn && level.includes(u.kind));
}

export interface TreeNode {
  unit: OrgUnit;
  children: TreeNode[];
}

const KIND_ORDER: Record<OrgUnitKind, number> = { county: 0, town: 1, village: 2, community: 3, grid: 4, committee: 5, station: 6 };

/** The tree as nested nodes, villages before committees, then by code and name. Orphans go to the top. */
export function buildTree(units: readonly OrgUnit[]): TreeNode[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId === null ? undefined : nodes.get(node.unit.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const order = (a: TreeNode, b: TreeNode) =>
    KIND_ORDER[a.unit.kind] - KIND_ORDER[b.unit.kind] ||
    (a.unit.code ?? '').localeCompare(b.unit.code ?? '') ||
    sortableName(a.unit.name).localeCompare(sortableName(b.unit.name), 'zh-CN');
  const sort = (list: TreeNode[]) => {
    list.sort(order);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** The units in the order the tree shows them: each parent before its children, siblings as the tree sorts them. */
function treeOrder(units: readonly OrgUnit[]): OrgUnit[] {
  const out: OrgUnit[] = [];
  const walk = (nodes: readonly TreeNode[]) => {
    for (const n of nodes) {
      out.push(n.unit);
      walk(n.children);
    }
  };
  walk(buildTree(units));
  return out;
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Reads 一…九十九 (and 百) as a number, so that "第二网格" sorts before "第十网格". */
function chineseNumber(text: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch === '百' || ch === '十') {
      total += (digit || 1) * (ch === '百' ? 100 : 10);
      digit = 0;
    } else {
      digit = DIGITS[ch] ?? 0;
    }
  }
  return total + digit;
}

/** Names with their numbers zero-padded (Arabic or Chinese), for an order people expect. */
export function sortableName(name: string): string {
  return name.replace(/[零〇一二两三四五六七八九十百]+/g, (m) => String(chineseNumber(m)).padStart(6, '0')).replace(/\d+/g, (m) => m.padStart(6, '0'));
}

function subtreeIds(units: readonly OrgUnit[], id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    out.push(next);
    for (const u of units) if (u.parentId === next) stack.push(u.id);
  }
  return out;
}

/** "江口镇 / 向阳村 / 第一网格": the path a person reads in pickers. */
export function unitPath(units: readonly OrgUnit[], id: string): string {
  const byId = new Map(units.map((u) => [u.id, u]));
  const names: string[] = [];
  const seen = new Set<string>();
  let current = byId.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return names.length ? names.join(' / ') : id;
}

/** How a case number reads with this short name: "（2024）江口人调字第001号". */
export function sampleCaseNumber(shortName: string, year: number): string {
  return `（${year}）${shortName || '简称'}人调字第001号`;
}

export type SetupStep = 1 | 2 | 3 | 4 | 5;

export const SETUP_STEPS: readonly { step: SetupStep; title: string }[] = [
  { step: 1, title: '创建乡镇' },
  { step: 2, title: '添加村/社区' },
  { step: 3, title: '添加网格' },
  { step: 4, title: '创建调委会' },
  { step: 5, title: '创建账号' },
];

/** Which walk-through steps the data already satisfies. */
export function completedSteps(units: readonly OrgUnit[], users: readonly AdminUser[]): Set<SetupStep> {
  const has = (kind: OrgUnitKind) => units.some((u) => u.kind === kind);
  const done = new Set<SetupStep>();
  if (has('town')) done.add(1);
  if (has('village') || has('community')) done.add(2);
  if (has('grid')) done.add(3);
  if (has('committee')) done.add(4);
  if (users.some((u) => u.roles.some((g) => g.role !== 'admin'))) done.add(5);
  return done;
}

/** The step to open the walk-through at: the first one not done yet (5 when all are). */
export function firstOpenStep(done: ReadonlySet<SetupStep>): SetupStep {
  return SETUP_STEPS.find((s) => !done.has(s.step))?.step ?? 5;
}

/** Units a role can be granted on, with their paths, for the role pickers: in the tree's order (a village before its grids, 第二 before 第十). */
export function grantChoices(units: readonly OrgUnit[], role: RoleCode): { id: string; label: string }[] {
  if (role === 'admin') return [];
  return treeOrder(units)
    .filter((u) => GRANT_KINDS[role].includes(u.kind) && !u.closedOn)
    .map((u) => ({ id: u.id, label: `${unitPath(units, u.id)}（${ORG_UNIT_KIND_LABELS[u.kind]}）` }));
}
