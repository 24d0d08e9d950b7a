// The monthly return of a unit (a town) from the projection tables: the cases and sweeps its
// three columns need (this year to the month, the same month last year, and every flagged case,
// since a flag set this month may sit on a case of any year), folded into facts and counted by
// the shared monthlyReturnOf, so the phone-side tests and the server cannot disagree. A month
// closed (结账) serves the return kept at closing, with the records that came in later listed.
import { DISPUTE_TYPES, UPWARD_DISPUTE_TYPES } from '#shared/codes';
import type { MonthlyReturnBody, MonthlyReturnResponse } from '#shared/api/returns';
import type { CaseState } from '#shared/fold/index';
import { byUpwardType, defaultUpwardOf, halfMonthSweeps, monthlyReturnOf, returnCaseOf } from '#shared/returns/monthly';
import { registryOf } from '#shared/returns/registry';
import { DEFAULT_GRACE_DAYS } from '#shared/stats/completeness';
import { sweepFactsOf } from '#shared/stats/facts';
import { localParts } from '#shared/time';
import type { OrgTree } from '../access/org-tree.ts';
import { STATE_LIMIT } from '../office/figures.ts';
import { closeOfPeriod } from '../office/periods.ts';
import { childOfRoot } from '../office/scope-units.ts';
import { completenessFor } from '../services/completeness.ts';
import type { OrgUnit } from '../storage/account-store.ts';
import type { UpwardTypeEntry } from '../storage/returns-store.ts';
import type { Store } from '../storage/store.ts';

const ROW_KINDS = new Set(['village', 'community', 'town']);

export interface ReturnRequest {
  tree: OrgTree;
  root: OrgUnit;
  /** The readable units of the root's subtree. */
  units: readonly string[];
  year: number;
  month: number;
  timeZone: string;
  now: Date;
}

/** Each local type (category and sub-type) with the code it reports as. */
export function upwardTypesOf(entries: readonly UpwardTypeEntry[]) {
  const mapped = new Map(entries.map((e) => [e.localCode, e]));
  const defaultLabel = new Map(UPWARD_DISPUTE_TYPES.map((t) => [t.code, t.label]));
  const local = DISPUTE_TYPES.flatMap((t) => [{ code: t.code, label: t.label }, ...t.subtypes.map((s) => ({ code: s.code, label: `${t.label}·${s.label}` }))]);
  return local.map((t) => {
    const m = mapped.get(t.code);
    const upwardCode = m?.upwardCode ?? defaultUpwardOf(t.code);
    return {
      localCode: t.code,
      localLabel: t.label,
      upwardCode,
      upwardLabel: m?.upwardLabel ?? defaultLabel.get(upwardCode) ?? upwardCode,
      mapped: m !== undefined,
    };
  });
}

/** The return as it stands now. */
async function computeMonthlyReturn(store: Store, r: ReturnRequest): Promise<MonthlyReturnBody> {
  const { tree, root, year, month, timeZone } = r;
  const units = [...r.units];
  const readable = new Set(units);
  const rowUnits = tree
    .childrenOf(root.id)
    .filter((u) => ROW_KINDS.has(u.kind) && readable.has(u.id))
    .map((u) => ({ id: u.id, name: u.name, level: 'village' as const }));
  const rowIds = new Set(rowUnits.map((u) => u.id));
  const childOf = childOfRoot(tree, root.id);
  // A record counts in its village's row; the town committee, stations and the town itself in 本级.
  const rowOf = (orgUnitId: string) => {
    if (!readable.has(orgUnitId)) return undefined;
    const child = childOf(orgUnitId);
    if (child === undefined) return undefined;
    return rowIds.has(child) ? child : root.id;
  };

  const caseQuery = (basis: 'opened' | 'closed', y: number, fromMonth: number) =>
    store.listCases({ basis, year: y, fromMonth, toMonth: month, units, limit: STATE_LIMIT });
  const [openedNow, closedNow, openedBefore, closedBefore, flagged, sweepsNow, sweepsBefore, upward, completeness, users, employment] = await Promise.all([
    caseQuery('opened', year, 1),
    caseQuery('closed', year, 1),
    caseQuery('opened', year - 1, month),
    caseQuery('closed', year - 1, month),
    store.listFlaggedCases(units),
    store.listSweeps({ year, fromMonth: 1, toMonth: month, units, limit: STATE_LIMIT }),
    store.listSweeps({ year: year - 1, fromMonth: month, toMonth: month, units, limit: STATE_LIMIT }),
    store.listUpwardTypes(),
    completenessFor(store, tree, units, { year, month, graceDays: DEFAULT_GRACE_DAYS, timeZone }),
    store.listUsers(),
    store.listMediatorEmployment(),
  ]);
  const states = new Map<string, CaseState>();
  for (const list of [openedNow.items, closedNow.items, openedBefore.items, closedBefore.items, flagged]) for (const s of list) states.set(s.subjectId, s);
  const cases = [...states.values()].map((s) => returnCaseOf(s, timeZone));
  const sweepStates = [...sweepsNow.items, ...sweepsBefore.items];
  const sweeps = sweepStates.map((s) => sweepFactsOf(s, timeZone));

  const quality: Record<string, number> = {};
  // 报表质量: the mean of the month's 报告率 and 及时率 of the village's grids (数据质量's rates).
  for (const v of completeness.villages) quality[v.id] = Math.round((((v.all.reportRate ?? 0) + (v.all.onTimeRate ?? 0)) / 2) * 1000) / 10;

  const report = monthlyReturnOf({
    year,
    month,
    units: [...rowUnits, { id: root.id, name: root.kind === 'town' ? '镇本级' : `${root.name}本级`, level: 'town' }],
    rowOf,
    cases,
    sweeps,
    quality,
  });

  const types = upwardTypesOf(upward);
  const upwardOf = new Map(types.map((t) => [t.localCode, t.upwardCode]));
  const labels = [...new Map(types.map((t) => [t.upwardCode, { code: t.upwardCode, label: t.upwardLabel }])).values()];
  const upwardTypes = byUpwardType(
    cases,
    report.periods,
    { upwardOf: (t) => upwardOf.get(t) ?? defaultUpwardOf(t), labels },
    (c) => rowOf(c.orgUnitId) !== undefined,
  );

  const grids = units
    .map((id) => tree.get(id))
    .filter((u): u is OrgUnit => u?.kind === 'grid')
    // In tree order (units is the subtree's), as the rows above: a code-unit sort of the names
    // would put 第三网格 before 第二网格 and 三合村 before 向阳村.
    .map((g) => ({ id: g.id, name: g.name, parentName: (g.parentId && tree.get(g.parentId)?.name) || '' }));

  const subtree = units.map((id) => tree.get(id)).filter((u): u is OrgUnit => u !== undefined);
  const employmentOf = new Map(employment.map((e) => [e.userId, e.employment]));
  const mediators = users
    .filter((u) => !u.disabled && u.roles.some((g) => g.role === 'mediator' && g.orgUnitId !== null && readable.has(g.orgUnitId)))
    .map((u) => ({ userId: u.id, employment: employmentOf.get(u.id) }));

  return {
    orgUnitId: root.id,
    unitName: root.name,
    title: `${root.name}矛盾纠纷排查调处情况月报表`,
    periodLabel: `${year}年${month}月`,
    madeAt: localParts(r.now.toISOString(), timeZone).date,
    report,
    upwardTypes,
    halfMonth: halfMonthSweeps(grids, sweeps, year, month),
    registry: registryOf(subtree, mediators),
  };
}

/** The return of the month: the frozen one when the month is closed, else today's. */
export async function monthlyReturnFor(store: Store, r: ReturnRequest): Promise<MonthlyReturnResponse> {
  const close = (await store.listPeriodCloses(r.root.id)).find((c) => c.year === r.year && c.month === r.month);
  if (!close) return { ...(await computeMonthlyReturn(store, r)), frozen: null };
  const snapshot = await store.returnSnapshot(r.root.id, r.year, r.month);
  const body = snapshot ? (JSON.parse(snapshot.body) as MonthlyReturnBody) : await computeMonthlyReturn(store, r);
  const view = await closeOfPeriod(store, {
    orgUnitId: r.root.id,
    units: r.units,
    year: r.year,
    month: r.month,
    timeZone: r.timeZone,
    childOf: childOfRoot(r.tree, r.root.id),
  });
  const names = (id: string) => r.tree.get(id)?.name ?? id;
  return {
    ...body,
    frozen: {
      closedAt: close.closedAt,
      closedByName: close.closedByName,
      kept: snapshot !== undefined,
      lateCount: view?.lateCount ?? 0,
      late: (view?.late ?? []).map((e) => ({
        id: e.id,
        type: e.type,
        subjectId: e.subjectId,
        orgUnitName: names(e.orgUnitId),
        occurredAt: e.occurredAt,
        receivedAt: e.receivedAt,
      })),
    },
  };
}

/**
 * Keeps the month's return with its period close. Read after the close's figures: a record that
 * arrives in between is in the kept return and listed as late too (its change then shows as 0),
 * as the close's own figures behave (office/periods.ts).
 */
export async function freezeMonthlyReturn(store: Store, closeId: string, r: ReturnRequest): Promise<void> {
  const body = await computeMonthlyReturn(store, r);
  await store.insertReturnSnapshot({ closeId, orgUnitId: r.root.id, year: r.year, month: r.month, body: JSON.stringify(body) });
}
