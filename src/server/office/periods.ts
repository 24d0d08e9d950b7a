// Period close (结账) and late arrivals (迟报). Office staff close a month or a year of a unit:
// the figures are kept as closed, signed by the user, with the event log's high-water mark.
// Records that arrive afterwards but are dated inside the period are listed as 迟报, with the
// change they make to each closed figure, instead of the closed figures moving silently.
// The high-water mark is read before the figures, so an event committed in between is listed
// as late even though the closed figures already hold it; its change then shows as 0.
import { randomUUID } from 'node:crypto';
import type { ReportedFigures } from '#shared/api/reports';
import type { StoredEvent } from '#shared/events';
import type { Summary } from '#shared/stats/summary';
import { localParts } from '#shared/time';
import type { Principal } from '../access/scope.ts';
import type { PeriodClose } from '../storage/office-store.ts';
import type { Store } from '../storage/store.ts';
import { figuresOf } from './figures.ts';

/** The figures a close keeps and compares, with their labels. */
const CLOSED_FIGURES: readonly { key: string; label: string; of: (s: Summary) => number }[] = [
  { key: 'accepted', label: '受理（件）', of: (s) => s.mediation.accepted },
  { key: 'closed', label: '结案（件）', of: (s) => s.mediation.closed },
  { key: 'resolved', label: '化解（件）', of: (s) => s.mediation.resolved },
  { key: 'successRate', label: '调解成功率', of: (s) => s.mediation.successRate },
  { key: 'sessions', label: '法治宣讲（场次）', of: (s) => s.outreach.sessions },
  { key: 'audience', label: '宣传群众（人次）', of: (s) => s.outreach.audience },
  { key: 'sweeps', label: '矛盾纠纷排查（次）', of: (s) => s.sweeps.count },
];

const LATE_LIST_LIMIT = 500;

interface FigureChange {
  key: string;
  label: string;
  atClose: number;
  now: number;
  change: number;
}

interface LateEvent {
  id: string;
  type: string;
  subjectId: string;
  orgUnitId: string;
  occurredAt: string;
  receivedAt: string;
}

export interface ClosedPeriodView {
  id: string;
  year: number;
  month: number;
  label: string;
  closedAt: string;
  closedByName: string;
  lateCount: number;
  late: LateEvent[];
  changes: FigureChange[];
}

export function periodLabelOf(year: number, month: number): string {
  return month === 0 ? `${year}年全年` : `${year}年${month}月`;
}

const periodQuery = (year: number, month: number) => (month === 0 ? { year } : { year, month });

export async function closePeriod(
  store: Store,
  principal: Principal,
  input: { orgUnitId: string; units: readonly string[]; year: number; month: number; childOf: (id: string) => string | undefined },
  now: Date,
  timeZone: string,
): Promise<{ ok: true; close: PeriodClose } | { ok: false; code: 'already_closed' }> {
  // The figures and the seq they include come from one snapshot (statsAggregates): a push
  // committing between two reads would be frozen in the close and then counted as late too.
  const { summary, seq: seqAtClose } = await figuresOf(store, input.units, { ...periodQuery(input.year, input.month), timeZone, childOf: input.childOf });
  const close: PeriodClose = {
    id: randomUUID(),
    orgUnitId: input.orgUnitId,
    year: input.year,
    month: input.month,
    closedAt: now.toISOString(),
    closedBy: principal.userId,
    closedByName: principal.displayName,
    seqAtClose,
    summary: JSON.stringify(summary),
  };
  if ((await store.insertPeriodClose(close)) === 'duplicate') return { ok: false, code: 'already_closed' };
  return { ok: true, close };
}

function inPeriod(e: StoredEvent, year: number, month: number, timeZone: string): boolean {
  const p = localParts(e.occurredAt, timeZone);
  return p.year === year && (month === 0 || p.month === month);
}

/** Every close of the unit with its late arrivals and their effect on the closed figures. */
/** The units a period's figures count and the child of the root each falls under: its 期末 tree's. */
export type PeriodUnits = (year: number, month: number) => { units: readonly string[]; childOf: (id: string) => string | undefined };

export async function closedPeriods(store: Store, orgUnitId: string, timeZone: string, unitsOf: PeriodUnits): Promise<ClosedPeriodView[]> {
  const closes = await store.listPeriodCloses(orgUnitId);
  const out: ClosedPeriodView[] = [];
  for (const c of closes) {
    const { units, childOf } = unitsOf(c.year, c.month);
    out.push(await viewOf(store, c, units, timeZone, childOf));
  }
  return out;
}

/**
 * The close of exactly this period (a month, or the year with month 0) of the unit, with its late
 * arrivals, when there is one: what the exports and the report show as 报送 beside the live figure.
 */
export async function closeOfPeriod(
  store: Store,
  input: { orgUnitId: string; units: readonly string[]; year: number; month: number; timeZone: string; childOf: (id: string) => string | undefined },
): Promise<ClosedPeriodView | undefined> {
  const close = (await store.listPeriodCloses(input.orgUnitId)).find((c) => c.year === input.year && c.month === input.month);
  return close && viewOf(store, close, input.units, input.timeZone, input.childOf);
}

/** The 报送 figures of the period as the report and the exports show them: only once late records changed something to show. */
export async function reportedOf(store: Store, input: Parameters<typeof closeOfPeriod>[1]): Promise<ReportedFigures | undefined> {
  const view = await closeOfPeriod(store, input);
  if (!view || view.lateCount === 0) return undefined;
  return { label: view.label, closedAt: view.closedAt, closedByName: view.closedByName, lateCount: view.lateCount, figures: view.changes };
}

async function viewOf(
  store: Store,
  c: PeriodClose,
  units: readonly string[],
  timeZone: string,
  childOf: (id: string) => string | undefined,
): Promise<ClosedPeriodView> {
  const late: LateEvent[] = [];
  let lateCount = 0;
  let after = c.seqAtClose;
  for (;;) {
    const page = await store.pullEvents({ afterSeq: after, limit: 1000, units });
    for (const e of page) {
      // The server's own case numbers are bookkeeping, not a record anyone sent late.
      if (e.type === 'case.numbered' || !inPeriod(e, c.year, c.month, timeZone)) continue;
      lateCount++;
      if (late.length < LATE_LIST_LIMIT)
        late.push({ id: e.id, type: e.type, subjectId: e.subjectId, orgUnitId: e.orgUnitId, occurredAt: e.occurredAt, receivedAt: e.receivedAt });
    }
    if (page.length < 1000) break;
    after = page[page.length - 1]!.seq;
  }
  const atClose = JSON.parse(c.summary) as Summary;
  const { summary: current } = lateCount > 0 ? await figuresOf(store, units, { ...periodQuery(c.year, c.month), timeZone, childOf }) : { summary: atClose };
  const changes = CLOSED_FIGURES.map((f) => {
    const before = f.of(atClose);
    const after = f.of(current);
    return { key: f.key, label: f.label, atClose: before, now: after, change: Math.round((after - before) * 10_000) / 10_000 };
  });
  return {
    id: c.id,
    year: c.year,
    month: c.month,
    label: periodLabelOf(c.year, c.month),
    closedAt: c.closedAt,
    closedByName: c.closedByName,
    lateCount,
    late,
    changes,
  };
}
