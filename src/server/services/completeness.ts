// GET /api/stats/completeness: per grid and month whether a sweep (零报告 included) came in and
// whether the server received it by the deadline. The sweeps are the projection's (voided
// ones left out, as the figures do); receivedAt is the server's stamp on the sweep.recorded
// event, never the phone's clock. The rule and the rates are #shared/stats/completeness.
import { completenessOf, type Completeness, type CompletenessGrid, type SweepReport } from '#shared/stats/completeness';
import { monthsOfPeriod } from '#shared/stats/pivot';
import type { PeriodQuery } from '#shared/stats/summary';
import { localDateOf } from '#shared/time';
import type { OrgTree } from '../access/org-tree.ts';
import { STATE_LIMIT } from '../office/figures.ts';
import type { Store } from '../storage/store.ts';

export async function completenessFor(
  store: Pick<Store, 'listSweeps' | 'listLedgerEvents'>,
  tree: OrgTree,
  units: readonly string[],
  q: PeriodQuery & { graceDays: number; timeZone: string },
): Promise<Completeness> {
  const months = monthsOfPeriod(q);
  const grids: CompletenessGrid[] = units
    .map((id) => tree.get(id))
    .filter((u) => u?.kind === 'grid')
    .map((g) => {
      const parent = g!.parentId ? tree.get(g!.parentId) : undefined;
      return { id: g!.id, name: g!.name, villageId: parent?.id ?? '', villageName: parent?.name ?? '' };
    });
  // Grids stay in tree order (units is the subtree's): a village's grids together, 第一 before 第二.
  const sweeps = await store.listSweeps({ year: q.year, fromMonth: months[0]!, toMonth: months[months.length - 1]!, units: [...units], limit: STATE_LIMIT });
  // A day either side of the year: occurredAt is an instant, the months are local.
  const events = await store.listLedgerEvents({
    types: ['sweep.recorded'],
    units: [...units],
    from: `${q.year - 1}-12-30T00:00:00Z`,
    to: `${q.year + 1}-01-02T00:00:00Z`,
  });
  const receivedAt = new Map(events.map((e) => [e.id, e.receivedAt]));
  const reports: SweepReport[] = [];
  for (const s of sweeps.items) {
    const at = s.recordedEventId !== undefined ? receivedAt.get(s.recordedEventId) : undefined;
    if (s.occurredAt === undefined || at === undefined) continue;
    reports.push({ orgUnitId: s.orgUnitId, sweptOn: localDateOf(s.occurredAt, q.timeZone), receivedAt: at });
  }
  return completenessOf(grids, reports, { year: q.year, months, graceDays: q.graceDays, timeZone: q.timeZone });
}
