// The org tree in memory: children, subtrees and ancestors. Loaded from the store and cached
// for a few seconds per store (several API servers may share one PostgreSQL, so a change
// made through another server shows here within ORG_TREE_TTL_MS); writes made through this
// server invalidate the cache at once.
import type { AccountStore, OrgUnit } from '../storage/account-store.ts';

export const ORG_TREE_TTL_MS = 5_000;

export interface OrgTree {
  readonly units: ReadonlyMap<string, OrgUnit>;
  get(id: string): OrgUnit | undefined;
  childrenOf(id: string | null): readonly OrgUnit[];
  /** The unit and every unit below it (empty when the unit does not exist). */
  subtree(id: string): string[];
  /** The unit's parents from the nearest up to the root (the unit itself excluded). */
  ancestors(id: string): OrgUnit[];
}

export function buildOrgTree(list: readonly OrgUnit[]): OrgTree {
  const units = new Map(list.map((u) => [u.id, u]));
  const children = new Map<string | null, OrgUnit[]>();
  for (const u of list) {
    const key = u.parentId !== null && units.has(u.parentId) ? u.parentId : null;
    const siblings = children.get(key) ?? [];
    siblings.push(u);
    children.set(key, siblings);
  }
  return {
    units,
    get: (id) => units.get(id),
    childrenOf: (id) => children.get(id) ?? [],
    subtree(id) {
      if (!units.has(id)) return [];
      const out: string[] = [];
      const seen = new Set<string>();
      const stack = [id];
      while (stack.length) {
        const next = stack.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        out.push(next);
        for (const c of children.get(next) ?? []) stack.push(c.id);
      }
      return out;
    },
    ancestors(id) {
      const out: OrgUnit[] = [];
      const seen = new Set<string>([id]);
      let parentId = units.get(id)?.parentId ?? null;
      while (parentId !== null && !seen.has(parentId)) {
        const parent = units.get(parentId);
        if (!parent) break;
        out.push(parent);
        seen.add(parentId);
        parentId = parent.parentId;
      }
      return out;
    },
  };
}


const cache = new WeakMap<AccountStore, { loadedAt: number; tree: Promise<OrgTree> }>();

export function loadOrgTree(store: AccountStore): Promise<OrgTree> {
  const hit = cache.get(store);
  if (hit && Date.now() - hit.loadedAt < ORG_TREE_TTL_MS) return hit.tree;
  const tree = store.listOrgUnits().then(buildOrgTree);
  cache.set(store, { loadedAt: Date.now(), tree });
  // A failed load must not be served from the cache.
  void tree.catch(() => {
    cache.delete(store);
  });
  return tree;
}

export function invalidateOrgTree(store: AccountStore): void {
  cache.delete(store);
}
