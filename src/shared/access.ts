// Who may read and write what: one rule table per role over the org tree, used by the server
// (src/server/access/scope.ts decides every read and write with it) and by the app (it offers
// only the actions the server would accept), so the two cannot drift apart.
import type { Role } from './codes.ts';

/** What an org unit must tell these rules: its place in the tree and its kind. */
export interface UnitNode {
  id: string;
  parentId: string | null;
  kind: string;
}

export interface Grant {
  /** A string, not Role: a role a newer server adds grants nothing here rather than failing. */
  role: string;
  orgUnitId: string;
}

interface RoleRule {
  /** Where a grant reaches: the whole tree, its unit's subtree, or (committee, station) the subtree of the place it serves. */
  reach: 'all' | 'subtree' | 'served';
  /** Records field events (cases, outreach, sweeps) there. */
  recordsFieldEvents: boolean;
  /** Keeps the office ledgers (法律顾问, 行政执法…) there. */
  keepsLedgers: boolean;
  /** Sees parties' names, phones and ID numbers unmasked there (they need them on the doorstep). */
  seesPersonalData: boolean;
}

const ROLE_RULES: Readonly<Record<Role, RoleRule>> = {
  admin: { reach: 'all', recordsFieldEvents: true, keepsLedgers: true, seesPersonalData: false },
  office: { reach: 'subtree', recordsFieldEvents: false, keepsLedgers: true, seesPersonalData: false },
  mediator: { reach: 'served', recordsFieldEvents: true, keepsLedgers: false, seesPersonalData: true },
  grid_worker: { reach: 'subtree', recordsFieldEvents: true, keepsLedgers: false, seesPersonalData: true },
};

export interface GrantedUnits {
  isAdmin: boolean;
  readable: Set<string>;
  /** Where field events may be recorded. */
  recordable: Set<string>;
  ledgers: Set<string>;
  personalData: Set<string>;
}

/** The units each kind of access reaches for these grants (several grants union). */
export function grantedUnits(units: readonly UnitNode[], grants: readonly Grant[]): GrantedUnits {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (u.parentId === null || !byId.has(u.parentId)) continue;
    const siblings = children.get(u.parentId) ?? [];
    siblings.push(u.id);
    children.set(u.parentId, siblings);
  }
  const subtree = (root: string): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    const stack = [root];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(next);
      for (const c of children.get(next) ?? []) stack.push(c);
    }
    return out;
  };
  const out: GrantedUnits = { isAdmin: false, readable: new Set(), recordable: new Set(), ledgers: new Set(), personalData: new Set() };
  for (const grant of grants) {
    if (!Object.hasOwn(ROLE_RULES, grant.role)) continue;
    const rule = ROLE_RULES[grant.role as Role];
    let reached: string[];
    if (rule.reach === 'all') {
      out.isAdmin = true;
      reached = [...byId.keys()];
    } else {
      const unit = byId.get(grant.orgUnitId);
      if (!unit) continue;
      const served = rule.reach === 'served' && (unit.kind === 'committee' || unit.kind === 'station') && unit.parentId !== null;
      reached = subtree(served ? unit.parentId! : unit.id);
    }
    for (const id of reached) {
      out.readable.add(id);
      if (rule.recordsFieldEvents) out.recordable.add(id);
      if (rule.keepsLedgers) out.ledgers.add(id);
      if (rule.seesPersonalData) out.personalData.add(id);
    }
  }
  return out;
}
