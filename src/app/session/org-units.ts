// The org units the logged-in user can record in (villages, communities and grids), from the
// tree cached with the session, so the pickers work offline. Mirrors the server's write
// scope (src/server/access/scope.ts): the server still decides, this only avoids offering
// places it would refuse.
import { session, type OrgUnitInfo } from './state.ts';

export type { OrgUnitInfo } from './state.ts';

export interface WritableUnit extends OrgUnitInfo {
  /** The path a person reads: "江口村 / 第一网格". */
  label: string;
}

const RECORDABLE_KINDS = new Set(['village', 'community', 'grid']);

/** The place a field grant records for: a grid worker's unit; a committee's or a station's mediator serves its parent. */
function servedUnit(grant: { role: string; orgUnitId: string }, units: ReadonlyMap<string, OrgUnitInfo>): string | undefined {
  if (grant.role === 'grid_worker') return grant.orgUnitId;
  if (grant.role !== 'mediator') return undefined;
  const unit = units.get(grant.orgUnitId);
  return unit && (unit.kind === 'committee' || unit.kind === 'station') && unit.parentId !== null ? unit.parentId : grant.orgUnitId;
}

export function writableOrgUnits(): WritableUnit[] {
  const current = session.value;
  if (!current) return [];
  const units = new Map(current.orgUnits.map((u) => [u.id, u]));
  const children = childrenIndex(current.orgUnits);
  // The server marks each unit it would accept records for; older answers lack the mark,
  // and then the roles decide.
  const marked = current.orgUnits.some((u) => u.writable !== undefined);
  const roots = new Set<string>();
  for (const grant of current.user.roles) {
    if (grant.role === 'admin') {
      for (const u of current.orgUnits) if (u.parentId === null || !units.has(u.parentId)) roots.add(u.id);
    } else {
      const served = servedUnit(grant, units);
      if (served) roots.add(served);
    }
  }
  const out: WritableUnit[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const unit = units.get(id);
    if (!unit) return;
    if (RECORDABLE_KINDS.has(unit.kind) && (!marked || unit.writable)) out.push({ ...unit, label: labelOf(unit, units) });
    for (const child of children.get(id) ?? []) visit(child.id);
  };
  if (marked) {
    for (const u of current.orgUnits) if (u.parentId === null || !units.has(u.parentId)) visit(u.id);
  } else {
    for (const root of roots) visit(root);
  }
  return out;
}

/**
 * The units the user's grants are for, as records name them: a grid worker's grid, the place a
 * committee's mediator serves (the committee's village or town). What a form preselects when the
 * user has several units to write in but one of them is plainly theirs.
 */
export function homeUnits(): string[] {
  const current = session.value;
  if (!current) return [];
  const units = new Map(current.orgUnits.map((u) => [u.id, u]));
  return [...new Set(current.user.roles.map((g) => servedUnit(g, units)).filter((id) => id !== undefined))];
}

/** The user's own name for 调解员 when they are a mediator (a case or a session they record is theirs). */
export function mediatorName(): string {
  const user = session.value?.user;
  return user && user.roles.some((g) => g.role === 'mediator') ? user.displayName : '';
}

/**
 * A unit's name with its village, for lists: "江口村 / 第一网格". A unit of the user's town outside
 * their own (where a 更正 moved a case) by the name the session has of it; one the phone does not
 * know at all is named as such, never by its internal id.
 */
export function orgUnitLabel(id: string): string {
  const current = session.value;
  const units = new Map<string, UnitNamed>((current?.unitNames ?? []).map((u) => [u.id, u]));
  for (const u of current?.orgUnits ?? []) units.set(u.id, u);
  const unit = units.get(id);
  return unit ? labelOf(unit, units) : UNKNOWN_UNIT;
}

/** What the phone calls a unit it has no name for (outside the user's town, or deleted). */
const UNKNOWN_UNIT = '其他单位';

/** The units the user's roles are granted on, as the account panel names them ('*' is everywhere). */
export function grantedUnitLabels(): string[] {
  const ids = new Set((session.value?.user.roles ?? []).map((r) => r.orgUnitId));
  return [...ids].map((id) => (id === '*' ? '全部单位' : orgUnitLabel(id)));
}

export function findOrgUnit(id: string): OrgUnitInfo | undefined {
  return session.value?.orgUnits.find((u) => u.id === id);
}

type UnitNamed = Pick<OrgUnitInfo, 'id' | 'parentId' | 'kind' | 'name'>;

function labelOf(unit: UnitNamed, units: ReadonlyMap<string, UnitNamed>): string {
  if (unit.kind !== 'grid' || unit.parentId === null) return unit.name;
  const parent = units.get(unit.parentId);
  return parent ? `${parent.name} / ${unit.name}` : unit.name;
}

function childrenIndex(list: OrgUnitInfo[]): Map<string, OrgUnitInfo[]> {
  const out = new Map<string, OrgUnitInfo[]>();
  for (const u of list) {
    if (u.parentId === null) continue;
    const siblings = out.get(u.parentId) ?? [];
    siblings.push(u);
    out.set(u.parentId, siblings);
  }
  return out;
}
