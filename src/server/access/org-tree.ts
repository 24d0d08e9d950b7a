// The org tree in memory: children, subtrees and ancestors. Loaded from the store and cached
// per store until the database's org version changes (several API servers may share one
// database: a change made through any of them is seen by every other on its next request).
import type { AccountStore, OrgUnit } from '../storage/account-store.ts';
import type { SharedStateStore } from '../storage/shared-state-store.ts';

export interface OrgTree {
  readonly units: ReadonlyMap<string, OrgUnit>;
  get(id: string): OrgUnit | undefined;
  childrenOf(id: string | null): readonly OrgUnit[];
  /**
   * The unit and every unit below it (empty when the unit does not exist), in tree order: each
   * unit before its children, siblings in the order of the tree (a village, then its grids), so
   * lists built from it read like the org chart.
   */
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
        const below = children.get(next) ?? [];
        for (let i = below.length - 1; i >= 0; i--) stack.push(below[i]!.id);
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

/** What loadOrgTree needs: the units, and the version that changes with them (migration 502). */
export type OrgTreeSource = Pick<AccountStore, 'listOrgUnits'> & Pick<SharedStateStore, 'orgVersion'>;

const cache = new WeakMap<OrgTreeSource, { version: number; tree: Promise<OrgTree> }>();

/**
 * The tree, cached per store while the database's org version stays the same: one cheap read
 * per call, so a unit made through another process is seen by the next request here. The
 * version is read before the units: a change landing between the two reads leaves a cached
 * tree newer than its version, which the next call reloads, never an older one kept.
 */
export async function loadOrgTree(store: OrgTreeSource): Promise<OrgTree> {
  const version = await store.orgVersion();
  const hit = cache.get(store);
  if (hit && hit.version === version) return hit.tree;
  const tree = store.listOrgUnits().then(buildOrgTree);
  cache.set(store, { version, tree });
  // A failed load must not be served from the cache.
  void tree.catch(() => {
    if (cache.get(store)?.tree === tree) cache.delete(store);
  });
  return tree;
}

/** Drops the cached tree at once (the version would too, on the next call). */
export function invalidateOrgTree(store: OrgTreeSource): void {
  cache.delete(store);
}
