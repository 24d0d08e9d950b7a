// A period's figures for a subtree: the folded states the projections hold for it, counted by
// the shared reference `summarize` (the statistics definitions live there and only there).
import type { SubjectState, SweepState } from '#shared/fold/index';
import { summarize, type PeriodQuery, type Summary } from '#shared/stats/summary';
import { localParts } from '#shared/time';
import type { OfficeStore } from '../storage/office-store.ts';

/** Enough rows for a township's year many times over; a county-wide year is paged by the caller. */
export const STATE_LIMIT = 200_000;

export function monthRangeOf(q: PeriodQuery): { fromMonth: number; toMonth: number } {
  if (q.month !== undefined) return { fromMonth: q.month, toMonth: q.month };
  if (q.quarter !== undefined) return { fromMonth: (q.quarter - 1) * 3 + 1, toMonth: q.quarter * 3 };
  return { fromMonth: 1, toMonth: 12 };
}

/** Every subject that may count in the period: cases opened or closed in it, outreach and sweeps dated in it. */
export async function loadPeriodStates(store: OfficeStore, units: readonly string[], q: PeriodQuery): Promise<SubjectState[]> {
  const period = { year: q.year, ...monthRangeOf(q) };
  const [opened, closed, outreach, sweeps] = await Promise.all([
    store.listCases({ ...period, units, basis: 'opened', limit: STATE_LIMIT }),
    store.listCases({ ...period, units, basis: 'closed', limit: STATE_LIMIT }),
    store.listOutreach({ ...period, units, limit: STATE_LIMIT }),
    store.listSweeps({ ...period, units, limit: STATE_LIMIT }),
  ]);
  const cases = new Map<string, SubjectState>();
  for (const c of [...opened.items, ...closed.items]) cases.set(c.subjectId, c);
  return [...cases.values(), ...outreach.items, ...sweeps.items];
}

export interface FiguresQuery extends PeriodQuery {
  timeZone: string;
  childOf?: (orgUnitId: string) => string | undefined;
}

export async function figuresOf(store: OfficeStore, units: readonly string[], q: FiguresQuery): Promise<{ summary: Summary; states: SubjectState[] }> {
  const states = await loadPeriodStates(store, units, q);
  return { summary: summarize(states, q), states };
}

export interface GridSweeps {
  id: string;
  name: string;
  /** The village or community the grid belongs to. */
  parentName: string;
  count: number;
  zeroReports: number;
  disputesFound: number;
  /** Latest sweep's local date in the period, '' when none. */
  lastDate: string;
}

/** Sweeps per grid of the subtree (every grid listed, 0 when it reported nothing). */
export function sweepsByGrid(
  grids: readonly { id: string; name: string; parentName: string }[],
  sweeps: readonly SweepState[],
  timeZone: string,
): GridSweeps[] {
  const byId = new Map<string, GridSweeps>(grids.map((g) => [g.id, { ...g, count: 0, zeroReports: 0, disputesFound: 0, lastDate: '' }]));
  for (const s of sweeps) {
    const g = byId.get(s.orgUnitId);
    if (!g || s.voided || !s.occurredAt) continue;
    g.count++;
    if (s.zeroReport) g.zeroReports++;
    g.disputesFound += s.disputesFound;
    const date = localParts(s.occurredAt, timeZone).date;
    if (date > g.lastDate) g.lastDate = date;
  }
  return [...byId.values()];
}
