// Drafts the annual report for a year and a unit (a town, usually): its figures over the
// unit's subtree, the names of its villages for the breakdowns, and the office ledgers.
import type { OrgTree } from '../access/org-tree.ts';
import { childOfRoot, placeNamesOf } from '../office/scope-units.ts';
import { figuresOf } from '../office/figures.ts';
import { ledgerFiguresOf } from '../office/ledgers.ts';
import type { OrgUnit } from '../storage/account-store.ts';
import type { Store } from '../storage/store.ts';
import { buildAnnualReport, type AnnualReport } from './model.ts';

export interface DraftRequest {
  year: number;
  root: OrgUnit;
  /** The readable units of the root's subtree. */
  units: string[];
  timeZone: string;
}

export async function draftAnnualReport(store: Store, tree: OrgTree, req: DraftRequest): Promise<AnnualReport> {
  const childOf = childOfRoot(tree, req.root.id);
  const [{ summary }, ledgers] = await Promise.all([
    figuresOf(store, req.units, { year: req.year, timeZone: req.timeZone, childOf }),
    ledgerFiguresOf(store, req.units, req.year, req.timeZone),
  ]);
  const unitNames = new Map(tree.childrenOf(req.root.id).map((u) => [u.id, u.name]));
  const { county, town } = placeNamesOf(tree, req.root);
  return buildAnnualReport({ year: req.year, orgUnitId: req.root.id, countyName: county, townName: town, summary, unitNames, ledgers });
}
