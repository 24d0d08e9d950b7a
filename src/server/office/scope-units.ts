// Which org units an office request covers: the subtree of the unit asked for, and only the
// part of it the caller may read. Expected refusals are codes; routes map them to statuses.
import type { OrgTree } from '../access/org-tree.ts';
import type { Scope } from '../access/scope.ts';
import type { OrgUnit } from '../storage/account-store.ts';

export type UnitsDecision = { ok: true; root: OrgUnit; units: string[] } | { ok: false; code: 'unknown_org_unit' | 'forbidden_org_unit' };

export function unitsInScope(tree: OrgTree, scope: Scope, orgUnitId: string): UnitsDecision {
  const root = tree.get(orgUnitId);
  if (!root) return { ok: false, code: 'unknown_org_unit' };
  if (!scope.canRead(orgUnitId)) return { ok: false, code: 'forbidden_org_unit' };
  return { ok: true, root, units: tree.subtree(orgUnitId).filter((id) => scope.canRead(id)) };
}

/**
 * The units an office write (a ledger entry, a void, a period close) covers: as unitsInScope, and the
 * caller must keep the ledgers of the unit (an office grant over it, or admin). Reading is not enough:
 * a mediator grant on a town committee reads the whole town, and with an office grant on one village
 * it would otherwise write the town's ledger.
 */
export function ledgerUnitsInScope(tree: OrgTree, scope: Scope, orgUnitId: string): UnitsDecision {
  const decision = unitsInScope(tree, scope, orgUnitId);
  if (decision.ok && !scope.canKeepLedger(orgUnitId)) return { ok: false, code: 'forbidden_org_unit' };
  return decision;
}

/** Maps a unit to the child of `rootId` that contains it (itself when it is the root). */
export function childOfRoot(tree: OrgTree, rootId: string): (orgUnitId: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  return (orgUnitId) => {
    if (memo.has(orgUnitId)) return memo.get(orgUnitId);
    let found: string | undefined;
    if (orgUnitId === rootId) found = rootId;
    else {
      let previous = orgUnitId;
      for (const a of tree.ancestors(orgUnitId)) {
        if (a.id === rootId) {
          found = previous;
          break;
        }
        previous = a.id;
      }
    }
    memo.set(orgUnitId, found);
    return found;
  };
}

/** The unit's county and town names ("云阳县", "江口镇") for report titles. */
export function placeNamesOf(tree: OrgTree, unit: OrgUnit): { county: string | undefined; town: string } {
  const chain = [unit, ...tree.ancestors(unit.id)];
  const county = chain.find((u) => u.kind === 'county')?.name;
  const town = chain.find((u) => u.kind === 'town')?.name ?? unit.name;
  return { county, town };
}
