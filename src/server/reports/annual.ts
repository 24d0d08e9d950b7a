// Drafts the annual report for a year and a unit (a town or a county; the report is theirs, a
// village's is refused): its figures over the unit's subtree, the names of its children for
// the breakdowns, the office ledgers, and what the org tree holds (the county above for the
// letterhead and 主送, the 派驻调解室 below for the claims the report may make).
import { countOutcomes } from '#shared/returns/outcomes';
import { caseFactsOf } from '#shared/stats/facts';
import { formatLocalDate } from '#shared/time';
import type { OrgTree } from '../access/org-tree.ts';
import { childOfRoot, placeNamesOf } from '../office/scope-units.ts';
import { figuresOf } from '../office/figures.ts';
import { ledgerFiguresOf } from '../office/ledgers.ts';
import type { OrgUnit } from '../storage/account-store.ts';
import type { Store } from '../storage/store.ts';
import { buildAnnualReport, type AnnualReport, type ReportUnit } from './model.ts';

export interface DraftRequest {
  year: number;
  root: OrgUnit;
  /** The readable units of the root's subtree. */
  units: string[];
  timeZone: string;
  rounded?: boolean;
}

/** The levels whose own document the annual report is. */
export function reportKindOf(unit: OrgUnit): ReportUnit['kind'] | undefined {
  return unit.kind === 'town' || unit.kind === 'county' ? unit.kind : undefined;
}

/** Which 派驻调解室 the subtree holds, by name: 驻…法庭…调解室 and 驻…派出所…调解室. */
function stationsOf(tree: OrgTree, units: readonly string[]): ReportUnit['stations'] {
  const stations = units.map((id) => tree.get(id)).filter((u) => u?.kind === 'station');
  return { court: stations.some((u) => u!.name.includes('法庭')), police: stations.some((u) => u!.name.includes('派出所')) };
}

export async function draftAnnualReport(store: Store, tree: OrgTree, req: DraftRequest & { kind: ReportUnit['kind'] }): Promise<AnnualReport> {
  const childOf = childOfRoot(tree, req.root.id);
  const [{ summary }, ledgers, flagged] = await Promise.all([
    figuresOf(store, req.units, { year: req.year, timeZone: req.timeZone, childOf }),
    ledgerFiguresOf(store, req.units, req.year, req.timeZone),
    store.listFlaggedCases(req.units),
  ]);
  const outcomes = countOutcomes(
    flagged.map((s) => caseFactsOf(s, req.timeZone)),
    { from: formatLocalDate(req.year, 1, 1), to: formatLocalDate(req.year, 12, 31) },
  );
  const unitNames = new Map(tree.childrenOf(req.root.id).map((u) => [u.id, u.name]));
  const { county, town } = placeNamesOf(tree, req.root);
  return buildAnnualReport({
    year: req.year,
    orgUnitId: req.root.id,
    kind: req.kind,
    countyName: county,
    townName: req.kind === 'county' ? req.root.name : town,
    stations: stationsOf(tree, req.units),
    rounded: req.rounded === true,
    summary,
    unitNames,
    ledgers,
    outcomes,
  });
}
