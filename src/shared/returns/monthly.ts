// The monthly return (矛盾纠纷排查调处月报): for a month and a town, per village (社区) and the
// town's own level (镇本级), the rows the return asks for in three columns: 本月, 年度累计
// (1 January to the month's end) and 同期 (the same month last year), and a 合计 row that is
// the sum of the rows above it (成功率 recomputed from the summed counts). Pure: the server and
// the tests feed it the same facts (#shared/stats/facts) of folded cases and sweeps; the
// definitions are RETURN_DEFINITIONS, shown beside the table and printed under the sheet.
import { OUTCOME_FLAGS, rollUpDisputeType, type OutcomeFlag } from '../codes.ts';
import type { CaseState } from '../fold/case.ts';
import { caseFactsOf, type CaseFacts, type SweepFacts } from '../stats/facts.ts';
import { daysInMonth, formatLocalDate } from '../time.ts';
import { isMajorCase } from '../major/fold.ts';

type ReturnItemKey =
  'sweeps' | 'disputesFound' | 'prevented' | 'accepted' | 'closed' | 'resolved' | 'successRate' | 'people' | 'amountCents' | 'major' | `outcome:${OutcomeFlag}`;

export interface ReturnItem {
  key: ReturnItemKey;
  label: string;
  /** How the sheet writes it: a count, a percentage (one decimal), or 元 from fen. */
  type: 'int' | 'percent' | 'money';
}

/** The return's rows in the order the paper form lists them. */
export const RETURN_ITEMS: readonly ReturnItem[] = [
  { key: 'sweeps', label: '排查次数（次）', type: 'int' },
  { key: 'disputesFound', label: '排查发现纠纷（件）', type: 'int' },
  { key: 'prevented', label: '预防纠纷（件）', type: 'int' },
  { key: 'accepted', label: '受理（件）', type: 'int' },
  { key: 'closed', label: '结案（件）', type: 'int' },
  { key: 'resolved', label: '调解成功（件）', type: 'int' },
  { key: 'successRate', label: '成功率（%）', type: 'percent' },
  { key: 'people', label: '涉及人数（人）', type: 'int' },
  { key: 'amountCents', label: '涉及金额（元）', type: 'money' },
  { key: 'major', label: '重大纠纷（件）', type: 'int' },
  ...OUTCOME_FLAGS.map((f): ReturnItem => ({ key: `outcome:${f.code}`, label: `${f.label}（件）`, type: 'int' })),
];

export const RETURN_DEFINITIONS = {
  time: '本月、年度累计（1月1日至本月末）、同期（上年同月）均按本地时区的日期划分；已作废的记录不计。',
  sweeps: '排查次数：排查日期在期内的排查记录数（含零报告）；排查发现纠纷：这些记录发现纠纷数之和。',
  prevented: '预防纠纷：受理日期在期内、由排查发现（登记时关联了排查记录）或调委会主动调解的案件数。',
  accepted: '受理：受理日期在期内的案件数。结案：最近一次结案日期在期内的案件数；调解成功：其中结果为调解成功的件数。',
  successRate: '成功率 = 调解成功 ÷ 结案；合计行按合计的件数重新计算。',
  people: '涉及人数、涉及金额：期内调解成功案件登记的涉及人数、涉及金额之和（与年度报告口径一致）。',
  major: '重大纠纷：受理日期在期内、标记为重大矛盾纠纷的案件数。',
  outcomes: '结果标记（防止民转刑、协议被法院撤销等）：在期内标记的案件数，按标记的日期计；后来补标的计入补标当月，不改变已结账的月份。',
  rows: '各村（社区）一行；镇本级含镇调委会、派驻调解室和直接登记在镇的记录；合计为以上各行之和。',
} as const;

type Figures = Record<ReturnItemKey, number>;

interface ReturnRow {
  unitId: string;
  name: string;
  level: 'village' | 'town' | 'total';
  month: Figures;
  ytd: Figures;
  lastYear: Figures;
}

interface LeagueRow {
  unitId: string;
  name: string;
  rank: number;
  /**
   * False for a village with nothing to rank (no 报表质量 and no case closed in the month): it
   * is shown with no rank (—). Its `rank` is still the place it shares with the others so, for
   * an app that predates this field.
   */
  ranked: boolean;
  /** 报表质量 (0–100): the mean of the month's 报告率 and 及时率 of the village's grids. */
  quality: number;
  /** 调解数: cases closed in the month. */
  mediated: number;
  resolved: number;
  /** 0–100, one decimal. */
  successRate: number;
}

interface ReturnPeriod {
  from: string;
  to: string;
}

export interface MonthlyReturn {
  year: number;
  month: number;
  periods: { month: ReturnPeriod; ytd: ReturnPeriod; lastYear: ReturnPeriod };
  rows: ReturnRow[];
  league: LeagueRow[];
}

/** A case as the return counts it: its facts, plus what the facts do not carry. */
export interface ReturnCase extends CaseFacts {
  major: boolean;
  /** The registered type as entered (a sub-type when there is one): what the upward mapping maps. */
  localType: string;
  /** Registered from a sweep (sweepId) or taken up by the committee itself (主动调解). */
  proactive: boolean;
}

export function returnCaseOf(state: CaseState, timeZone: string): ReturnCase {
  const facts = caseFactsOf(state, timeZone);
  const o = state.opened;
  return {
    ...facts,
    major: isMajorCase(state),
    localType: o?.disputeSubtype ?? o?.disputeType ?? facts.disputeType,
    proactive: o !== undefined && (o.sweepId !== undefined || o.source === 'self_initiated'),
  };
}

export interface ReturnInput {
  year: number;
  month: number;
  /** The rows in order: villages and communities, then the town itself (镇本级). */
  units: readonly { id: string; name: string; level: 'village' | 'town' }[];
  /** Which row a record of this org unit counts in; undefined: not in this return. */
  rowOf: (orgUnitId: string) => string | undefined;
  cases: readonly ReturnCase[];
  sweeps: readonly SweepFacts[];
  /** 报表质量 per village (0–100); a village missing here scores 0. */
  quality?: Readonly<Record<string, number>>;
}

function periodsOf(year: number, month: number): MonthlyReturn['periods'] {
  const end = (y: number) => formatLocalDate(y, month, daysInMonth(y, month));
  return {
    month: { from: formatLocalDate(year, month, 1), to: end(year) },
    ytd: { from: formatLocalDate(year, 1, 1), to: end(year) },
    lastYear: { from: formatLocalDate(year - 1, month, 1), to: end(year - 1) },
  };
}

function emptyFigures(): Figures {
  return Object.fromEntries(RETURN_ITEMS.map((i) => [i.key, 0])) as Figures;
}

const within = (date: string | undefined, p: ReturnPeriod) => date !== undefined && date >= p.from && date <= p.to;

/** 0–100 with one decimal; 0 when nothing closed. */
function percentOf(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 1000) / 10;
}

/** Adds one case's share of a period into `f` (counts only; the rate is set by finish). */
function addCase(f: Figures, c: ReturnCase, p: ReturnPeriod): void {
  if (within(c.acceptedOn, p)) {
    f.accepted++;
    if (c.proactive) f.prevented++;
    if (c.major) f.major++;
  }
  if (within(c.closedOn, p)) {
    f.closed++;
    if (c.result === 'success') {
      f.resolved++;
      f.people += c.peopleInvolved;
      f.amountCents += c.amountCents;
    }
  }
  for (const o of c.outcomes ?? []) if (within(o.on, p)) f[`outcome:${o.code}`]++;
}

function addSweep(f: Figures, s: SweepFacts, p: ReturnPeriod): void {
  if (!within(s.sweptOn, p)) return;
  f.sweeps++;
  f.disputesFound += s.disputesFound;
}

function finish(f: Figures): Figures {
  f.successRate = percentOf(f.resolved, f.closed);
  return f;
}

function sumOf(rows: readonly Figures[]): Figures {
  const out = emptyFigures();
  for (const r of rows) for (const i of RETURN_ITEMS) if (i.key !== 'successRate') out[i.key] += r[i.key];
  return finish(out);
}

export function monthlyReturnOf(input: ReturnInput): MonthlyReturn {
  const periods = periodsOf(input.year, input.month);
  const rows = new Map<string, ReturnRow>(
    input.units.map((u) => [u.id, { unitId: u.id, name: u.name, level: u.level, month: emptyFigures(), ytd: emptyFigures(), lastYear: emptyFigures() }]),
  );
  const rowFor = (orgUnitId: string) => {
    const id = input.rowOf(orgUnitId);
    return id === undefined ? undefined : rows.get(id);
  };
  for (const c of input.cases) {
    const row = c.voided ? undefined : rowFor(c.orgUnitId);
    if (!row) continue;
    addCase(row.month, c, periods.month);
    addCase(row.ytd, c, periods.ytd);
    addCase(row.lastYear, c, periods.lastYear);
  }
  for (const s of input.sweeps) {
    const row = s.voided ? undefined : rowFor(s.orgUnitId);
    if (!row) continue;
    addSweep(row.month, s, periods.month);
    addSweep(row.ytd, s, periods.ytd);
    addSweep(row.lastYear, s, periods.lastYear);
  }
  const list = [...rows.values()];
  for (const r of list) for (const col of ['month', 'ytd', 'lastYear'] as const) finish(r[col]);
  const total: ReturnRow = {
    unitId: 'total',
    name: '合计',
    level: 'total',
    month: sumOf(list.map((r) => r.month)),
    ytd: sumOf(list.map((r) => r.ytd)),
    lastYear: sumOf(list.map((r) => r.lastYear)),
  };
  return { year: input.year, month: input.month, periods, rows: [...list, total], league: leagueOf(list, input.quality ?? {}) };
}

/**
 * 村排名: villages by 报表质量, then 调解数, then 成功率 (ties share a rank). Ties keep the rows'
 * order, which is the org tree's (the village rows are the town's children as the tree has them):
 * a code-unit sort of the names would put 三合村 before 向阳村 for no reason anyone could give.
 */
function leagueOf(rows: readonly ReturnRow[], quality: Readonly<Record<string, number>>): LeagueRow[] {
  const list = rows
    .filter((r) => r.level === 'village')
    .map((r) => ({
      unitId: r.unitId,
      name: r.name,
      rank: 0,
      ranked: (quality[r.unitId] ?? 0) > 0 || r.month.closed > 0,
      quality: quality[r.unitId] ?? 0,
      mediated: r.month.closed,
      resolved: r.month.resolved,
      successRate: r.month.successRate,
    }))
    // Array.prototype.sort is stable: equal villages stay in tree order.
    .sort((a, b) => b.quality - a.quality || b.mediated - a.mediated || b.successRate - a.successRate);
  list.forEach((r, i) => {
    const prev = list[i - 1];
    r.rank = prev && prev.quality === r.quality && prev.mediated === r.mediated && prev.successRate === r.successRate ? prev.rank : i + 1;
  });
  return list;
}

export interface UpwardTypeRow {
  code: string;
  label: string;
  month: number;
  ytd: number;
  lastYear: number;
}

/**
 * 受理 cases by the type reported upward: `upwardOf` maps a registered (local) type to its
 * upward code; the 合计 row equals the return's 受理 total by construction.
 */
export function byUpwardType(
  cases: readonly ReturnCase[],
  periods: MonthlyReturn['periods'],
  upward: { upwardOf: (localType: string) => string; labels: readonly { code: string; label: string }[] },
  counts: (c: ReturnCase) => boolean = () => true,
): UpwardTypeRow[] {
  const rows = new Map<string, UpwardTypeRow>(upward.labels.map((l) => [l.code, { code: l.code, label: l.label, month: 0, ytd: 0, lastYear: 0 }]));
  const total: UpwardTypeRow = { code: 'total', label: '合计', month: 0, ytd: 0, lastYear: 0 };
  for (const c of cases) {
    if (c.voided || !counts(c)) continue;
    const code = upward.upwardOf(c.localType);
    const row = rows.get(code) ?? { code, label: code, month: 0, ytd: 0, lastYear: 0 };
    rows.set(code, row);
    for (const col of ['month', 'ytd', 'lastYear'] as const) {
      if (!within(c.acceptedOn, periods[col])) continue;
      row[col]++;
      total[col]++;
    }
  }
  return [...rows.values(), total];
}

/** The default upward code of a local type: its national category (identity on categories). */
export const defaultUpwardOf = (localType: string): string => rollUpDisputeType(localType) ?? localType;

interface HalfMonth {
  count: number;
  zeroReports: number;
  disputesFound: number;
}

export interface HalfMonthRow {
  id: string;
  name: string;
  parentName: string;
  /** Days 1–15 and 16 to the month's end. */
  first: HalfMonth;
  second: HalfMonth;
}

/** 半月排查: each grid's sweeps in each half of the month (a grid with none shows 0 there). */
export function halfMonthSweeps(
  grids: readonly { id: string; name: string; parentName: string }[],
  sweeps: readonly SweepFacts[],
  year: number,
  month: number,
): HalfMonthRow[] {
  const rows = new Map<string, HalfMonthRow>(
    grids.map((g) => [g.id, { ...g, first: { count: 0, zeroReports: 0, disputesFound: 0 }, second: { count: 0, zeroReports: 0, disputesFound: 0 } }]),
  );
  const prefix = formatLocalDate(year, month, 1).slice(0, 8);
  for (const s of sweeps) {
    const row = rows.get(s.orgUnitId);
    if (!row || s.voided || s.sweptOn === undefined || !s.sweptOn.startsWith(prefix)) continue;
    const half = Number(s.sweptOn.slice(8, 10)) <= 15 ? row.first : row.second;
    half.count++;
    if (s.zeroReport) half.zeroReports++;
    half.disputesFound += s.disputesFound;
  }
  return [...rows.values()];
}
