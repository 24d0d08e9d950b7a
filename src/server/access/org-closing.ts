// Units closed or merged from a date (合村并居), with their history kept. A unit is never
// deleted: it gets closed_on (the local date from which it takes no new records) and, when
// merged, successor_id, and it moves under its successor from that date; the admin may move
// some of its children (grids, a station) to the successor too, and every other open unit
// below it closes on the same date. Moves are dated (org_unit_moves), so that:
// - a period is read with the tree as it stood on the period's last day (treeAsOf), the
//   statistics' 期末 reading: a period that ends before the merge counts the old unit as its
//   own row under its old parent; one that ends on or after it counts the old unit's records,
//   all of them, under the successor (and drops the old unit from its parent's rows);
// - a new record (a case accepted, an outreach event, a sweep) dated on or after the close is
//   refused at push with a Chinese reason (closedUnitRefusal); later events of records already
//   there (a session, the closing, 回访) still land, so open cases can be finished.
// The plan of a close is pure (planUnitClose); the route writes it in one transaction.
import type { DomainEvent } from '#shared/events';
import { periodOf, type PeriodQuery } from '#shared/stats/summary';
import { localDateOf } from '#shared/time';
import type { OrgChangeSet, OrgUnit, OrgUnitMove } from '../storage/account-store.ts';
import { checkPlacement, kindLabel } from './org-import.ts';
import { buildOrgTree, type OrgTree } from './org-tree.ts';

/** The tree as it stood on `day` (YYYY-MM-DD): moves dated after it undone, closes dated after it not yet made. */
export function treeAsOf(tree: OrgTree, day: string): OrgTree {
  let changed = false;
  const list = [...tree.units.values()].map((u): OrgUnit => {
    // formerParents is oldest first: the parent on `day` is the one left by the first move after it.
    const later = u.formerParents?.find((m) => m.movedOn > day);
    const parentId = later ? later.parentId : u.parentId;
    const notYetClosed = !!u.closedOn && u.closedOn > day;
    if (parentId === u.parentId && !notYetClosed) return u;
    changed = true;
    return { ...u, parentId, ...(notYetClosed ? { closedOn: null, successorId: null } : {}) };
  });
  return changed ? buildOrgTree(list) : tree;
}

/** Whether two trees put every unit under the same parent (a period's tree and today's, when no unit moved after the period). */
export function sameShape(a: OrgTree, b: OrgTree): boolean {
  if (a === b) return true;
  if (a.units.size !== b.units.size) return false;
  for (const u of a.units.values()) if (b.get(u.id)?.parentId !== u.parentId) return false;
  return true;
}

/** "2025年7月1日" for messages. */
function formatClosedOn(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** "已撤并（2025年7月1日并入青山村）" / "已撤销（2025年7月1日）": how lists and exports name a closed unit. */
export function closedLabel(unit: OrgUnit, tree: OrgTree): string | undefined {
  if (!unit.closedOn) return undefined;
  const successor = unit.successorId ? tree.get(unit.successorId) : undefined;
  return successor ? `已撤并（${formatClosedOn(unit.closedOn)}并入${successor.name}）` : `已撤并（${formatClosedOn(unit.closedOn)}起）`;
}

const STARTS_A_RECORD = new Set(['case.opened', 'outreach.recorded', 'sweep.recorded']);

/**
 * Why the push of this event is refused because its unit is closed, if it is: a new record
 * dated on or after the unit's close (a case by its 受理日期), or a 更正 moving a case there.
 */
export function closedUnitRefusal(event: DomainEvent, tree: OrgTree, timeZone: string): { code: 'unit_closed'; message: string } | undefined {
  const unitId = event.type === 'case.updated' ? event.data.changes.orgUnitId : STARTS_A_RECORD.has(event.type) ? event.orgUnitId : undefined;
  if (unitId === undefined) return undefined;
  const unit = tree.get(unitId);
  if (!unit?.closedOn) return undefined;
  const day = (event.type === 'case.opened' ? event.data.acceptedOn : undefined) ?? localDateOf(event.occurredAt, timeZone);
  if (day < unit.closedOn) return undefined;
  const successor = unit.successorId ? tree.get(unit.successorId) : undefined;
  const where = successor ? `，已并入${successor.name}，请改记在${successor.name}（或其网格）` : '，请改记在现在负责该地的单位';
  return { code: 'unit_closed', message: `${unit.name}已于${formatClosedOn(unit.closedOn)}撤并${where}后再上传` };
}

export interface CloseRequest {
  closedOn: string;
  successorId?: string | undefined;
  /** Direct children that move to the successor (grids, a station); every other open unit below closes too. */
  moveChildren?: readonly string[] | undefined;
}

type CloseRefusal = {
  ok: false;
  status: 400 | 404 | 409;
  code: 'not_found' | 'already_closed' | 'invalid_body' | 'unknown_org_unit' | 'invalid_parent';
  message: string;
};

export interface ClosePlan {
  ok: true;
  change: Omit<OrgChangeSet, 'audit'>;
  /** Units closed with it (its open descendants that do not move). */
  closed: string[];
  moved: string[];
}

/** Kinds a unit may be merged into: its own, and a village into a community or back. */
const MERGE_KINDS: Partial<Record<OrgUnit['kind'], readonly OrgUnit['kind'][]>> = { village: ['village', 'community'], community: ['village', 'community'] };

/** What closing (and merging) a unit writes, or why it cannot be done. `today` is the local date. */
export function planUnitClose(tree: OrgTree, id: string, req: CloseRequest, today: string): ClosePlan | CloseRefusal {
  const unit = tree.get(id);
  if (!unit) return { ok: false, status: 404, code: 'not_found', message: '找不到该组织' };
  if (unit.closedOn) return { ok: false, status: 409, code: 'already_closed', message: `该单位已于${formatClosedOn(unit.closedOn)}撤并` };
  if (req.closedOn > today) return { ok: false, status: 400, code: 'invalid_body', message: 'closedOn: 撤并日期不能晚于今天' };
  if (req.closedOn < '2000-01-01') return { ok: false, status: 400, code: 'invalid_body', message: 'closedOn: 撤并日期不能早于 2000 年' };
  const successor = req.successorId ? tree.get(req.successorId) : undefined;
  if (req.successorId && !successor) return { ok: false, status: 400, code: 'unknown_org_unit', message: `successorId: 找不到组织 ${req.successorId}` };
  if (successor) {
    if (successor.closedOn) return { ok: false, status: 400, code: 'invalid_body', message: `successorId: ${successor.name}已撤并，不能并入` };
    if (tree.subtree(id).includes(successor.id)) return { ok: false, status: 400, code: 'invalid_parent', message: 'successorId: 不能并入自己或下级单位' };
    const allowed = MERGE_KINDS[unit.kind] ?? [unit.kind];
    if (!allowed.includes(successor.kind))
      return { ok: false, status: 400, code: 'invalid_parent', message: `successorId: ${kindLabel(unit.kind)}只能并入${allowed.map(kindLabel).join('或')}` };
  }
  const moving = [...new Set(req.moveChildren ?? [])];
  if (moving.length && !successor) return { ok: false, status: 400, code: 'invalid_body', message: 'moveChildren: 只有并入其他单位时才能把下级单位一并移过去' };
  for (const childId of moving) {
    const child = tree.get(childId);
    if (!child || child.parentId !== id)
      return { ok: false, status: 400, code: 'invalid_body', message: `moveChildren: ${childId} 不是${unit.name}的直属下级` };
    if (child.closedOn) return { ok: false, status: 400, code: 'invalid_body', message: `moveChildren: ${child.name}已撤并` };
    const misplaced = checkPlacement(child.kind, successor ?? null);
    if (misplaced) return { ok: false, status: 400, code: 'invalid_parent', message: `moveChildren: ${child.name}：${misplaced}` };
  }
  const stays = new Set(moving.flatMap((c) => tree.subtree(c)));
  const closed = tree.subtree(id).filter((u) => u !== id && !stays.has(u) && !tree.get(u)?.closedOn);
  const moves: OrgUnitMove[] = [];
  const updates: { id: string; patch: { closedOn?: string; successorId?: string | null; parentId?: string | null } }[] = [];
  if (successor) {
    moves.push({ unitId: id, fromParentId: unit.parentId, toParentId: successor.id, movedOn: req.closedOn });
    updates.push({ id, patch: { closedOn: req.closedOn, successorId: successor.id, parentId: successor.id } });
    for (const childId of moving) {
      moves.push({ unitId: childId, fromParentId: id, toParentId: successor.id, movedOn: req.closedOn });
      updates.push({ id: childId, patch: { parentId: successor.id } });
    }
  } else {
    updates.push({ id, patch: { closedOn: req.closedOn, successorId: null } });
  }
  for (const u of closed) updates.push({ id: u, patch: { closedOn: req.closedOn } });
  return { ok: true, change: { updates, moves }, closed, moved: moving };
}

/** The tree a period's figures are read with: as it stood on the period's last day (期末). */
export function periodTree(tree: OrgTree, period: PeriodQuery): OrgTree {
  return treeAsOf(tree, periodOf(period).to);
}
