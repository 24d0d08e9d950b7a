// The statistics definitions, as code: the reference the annual report and the office screens
// are held to. A subject's state becomes one row of facts (facts.ts: local dates, keys, sums);
// the summary counts those rows (summarizeFactRows). The server keeps the same facts as
// projection columns, GROUPs BY them and feeds the groups to the same summarizeFactRows; its
// tests compare its figures with summarize() over the same events.
import { CAMPAIGN_NODES, CASE_SOURCES, DISPUTE_TYPE_CODES, OUTREACH_FORMS, OUTREACH_THEMES, REFERRERS } from '../codes.ts';
import type { SubjectState } from '../fold/index.ts';
import { daysInMonth, DEFAULT_TIME_ZONE, formatLocalDate } from '../time.ts';
import { CHANNELS, statFactsOf, UNKNOWN_KEY, type StatFacts } from './facts.ts';

export * from './facts.ts';

export interface PeriodQuery {
  year: number;
  /** 1–12; takes precedence over quarter. */
  month?: number;
  /** 1–4. */
  quarter?: number;
}

export interface SummaryQuery extends PeriodQuery {
  timeZone: string;
  /** Maps a record's org unit to the child of the queried unit that contains it. */
  childOf?: (orgUnitId: string) => string | undefined;
}

export interface Period {
  /** First local date, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last local date, inclusive (YYYY-MM-DD). */
  to: string;
}

export interface MediationSummary {
  accepted: number;
  closed: number;
  resolved: number;
  /** resolved ÷ closed, 4 decimals; 0 when nothing closed. */
  successRate: number;
  /** Closed but not resolved (调解不成功 + 终止调解). */
  failed: number;
  /** Of failed, those terminated (终止调解). */
  terminated: number;
  byType: Record<string, number>;
  bySource: Record<string, number>;
  /** Resolved 委托移送 cases by referring body (court, police, …). */
  byReferrer: Record<string, number>;
  byChannel: Record<string, number>;
  byOrgUnit: Record<string, number>;
  byMonth: number[];
  peopleInvolved: number;
  amountInvolved: number;
  /** Resolved with an agreement (书面 or 口头): the denominator of performanceRate. */
  withAgreement: number;
  /** Of those, fully performed: the numerator of performanceRate. */
  performed: number;
  performanceRate: number;
}

export interface OutreachSummary {
  sessions: number;
  audience: number;
  byOrgUnit: Record<string, number>;
  byMonth: number[];
  audienceByMonth: number[];
  byTheme: Record<string, number>;
  byForm: Record<string, number>;
  byCampaign: Record<string, number>;
  audienceByCampaign: Record<string, number>;
}

export interface SweepSummary {
  count: number;
  zeroReports: number;
  households: number;
  disputesFound: number;
}

export interface Summary {
  year: number;
  month?: number;
  quarter?: number;
  period: Period;
  mediation: MediationSummary;
  outreach: OutreachSummary;
  sweeps: SweepSummary;
}

/** Text shown next to each figure; the wording is the contract with the annual report. */
export const STAT_DEFINITIONS = {
  time: '统计时间一律按本地时区（默认北京时间）的日期划分年、季、月，与手机上报时所带的时区无关。',
  accepted: '受理：受理日期（以登记和更正后的为准）在统计期内的案件数；已作废的案件不计。',
  closed: '结案：最近一次结案记录的日期在统计期内的案件数，无论调解结果；结案后重新调解的仍以最近一次结案为准。',
  resolved: '化解：最近一次结案结果为“调解成功”的案件数，按该次结案日期计入统计期。',
  successRate: '调解成功率 = 化解数 ÷ 结案数（四位小数）；结案数为 0 时记为 0。',
  failed: '未化解：统计期内结案但最近一次结案结果为调解不成功或终止调解的案件数（结案数 − 化解数）。',
  byType: '按纠纷类型：化解案件按全国 15 类纠纷类型（子类归入所属大类）分列。',
  bySource: '按来源：化解案件按主动调解、当事人申请、委托移送分列。',
  byReferrer: '按移送单位：委托移送的化解案件按法院、检察院、公安、信访、行政复议、其他部门分列。',
  byChannel: '按对接渠道：化解案件中诉调（法院）、警调（公安）、访调（信访）、复调（行政复议）委托移送的件数，及主动调解、当事人申请件数。',
  byOrgUnit: '按单位：化解案件按其所属下一级单位（村、社区或调委会）分列。',
  byMonth: '按月：化解案件按结案月份分列（12 个月）。',
  peopleInvolved: '涉及人数：化解案件登记的涉及当事人人数之和。',
  amountInvolved: '涉及金额：化解案件登记的协议涉及金额之和，以万元计（登记时按元填写）。',
  performanceRate: '协议履行率 = 化解且达成协议（书面或口头）的案件中，最近一次履行记录为“已全部履行”的件数 ÷ 化解且达成协议的件数。',
  sessions: '法治宣讲场次：活动日期在统计期内的普法宣传活动数；已作废的不计。',
  audience: '宣传群众人次：上述各场活动参与人数（以最近一次修改为准）之和，按人次计，不是去重人数。',
  byCampaign: '按宣传节点：各集中宣传节点（如 12·4 国家宪法日、宪法宣传周、民法典宣传月）的场次和人次小计。',
  sweeps: '矛盾纠纷排查：排查日期在统计期内的排查记录次数；零报告 = 标明零报告或未发现纠纷的排查次数。',
  zeroReports: '零报告：上述排查中标明零报告或未发现纠纷的次数。',
  voided: '作废的记录在任何统计中都不计；同一条记录重复上报只计一次；上报先后不影响任何数字。',
} as const;

/** The local dates a year, quarter or month covers, both ends inclusive. */
export function periodOf(q: PeriodQuery): Period {
  if (q.month !== undefined) {
    return { from: formatLocalDate(q.year, q.month, 1), to: formatLocalDate(q.year, q.month, daysInMonth(q.year, q.month)) };
  }
  if (q.quarter !== undefined) {
    const first = (q.quarter - 1) * 3 + 1;
    const last = first + 2;
    return { from: formatLocalDate(q.year, first, 1), to: formatLocalDate(q.year, last, daysInMonth(q.year, last)) };
  }
  return { from: formatLocalDate(q.year, 1, 1), to: formatLocalDate(q.year, 12, 31) };
}

function zeros(codes: readonly string[]): Record<string, number> {
  return Object.fromEntries(codes.map((c) => [c, 0]));
}

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : round(numerator / denominator, 4);
}

const SOURCE_KEYS = CASE_SOURCES.map((s) => s.code);
const REFERRER_KEYS = REFERRERS.map((r) => r.code);

/**
 * The figures of a period over folded subjects (already limited to the queried org unit's
 * subtree by the caller). See summarizeFacts for the rules.
 */
export function summarize(states: readonly SubjectState[], query: SummaryQuery): Summary {
  const timeZone = query.timeZone || DEFAULT_TIME_ZONE;
  return summarizeFacts(
    states.map((s) => statFactsOf(s, timeZone)),
    query,
  );
}

/** The month (1–12) of a YYYY-MM-DD date. */
const monthOf = (date: string) => Number(date.slice(5, 7));

/**
 * Facts already limited to a period, grouped: each row stands for `cases` (`sessions`,
 * `count`) subjects that share every key, with their sums. summarizeFacts makes one row per
 * subject; the server's GROUP BY over the projection columns (which are the facts) returns
 * the same rows with counts. Either way summarizeFactRows does the counting, once.
 */
export interface AcceptedFactRow {
  orgUnitId: string;
  cases: number;
}
export interface ClosedFactRow {
  orgUnitId: string;
  /** Month (1–12) of closedOn. */
  month: number;
  result: string | null;
  disputeType: string;
  sourceKey: string;
  channel: string;
  withAgreement: boolean;
  performedFull: boolean;
  cases: number;
  peopleInvolved: number;
  amountCents: number;
}
export interface OutreachFactRow {
  orgUnitId: string;
  /** Month (1–12) of heldOn. */
  month: number;
  form: string | null;
  campaign: string | null;
  sessions: number;
  audience: number;
}
export interface ThemeFactRow {
  orgUnitId: string;
  theme: string;
  sessions: number;
}
export interface SweepFactRow {
  orgUnitId: string;
  count: number;
  zeroReports: number;
  households: number;
  disputesFound: number;
}
export interface FactRows {
  accepted: AcceptedFactRow[];
  closed: ClosedFactRow[];
  outreach: OutreachFactRow[];
  outreachThemes: ThemeFactRow[];
  sweeps: SweepFactRow[];
}

/** The rows of a period over subjects' facts, one per subject (voided ones and those outside the period left out). */
export function factRowsOf(facts: readonly StatFacts[], period: Period): FactRows {
  const inPeriod = (date: string | undefined): date is string => date !== undefined && date >= period.from && date <= period.to;
  const rows: FactRows = { accepted: [], closed: [], outreach: [], outreachThemes: [], sweeps: [] };
  for (const f of facts) {
    if (f.voided) continue;
    if (f.kind === 'case') {
      if (inPeriod(f.acceptedOn)) rows.accepted.push({ orgUnitId: f.orgUnitId, cases: 1 });
      if (!inPeriod(f.closedOn)) continue;
      rows.closed.push({
        orgUnitId: f.orgUnitId,
        month: monthOf(f.closedOn),
        result: f.result ?? null,
        disputeType: f.disputeType,
        sourceKey: f.sourceKey,
        channel: f.channel,
        withAgreement: f.withAgreement,
        performedFull: f.performedFull,
        cases: 1,
        peopleInvolved: f.peopleInvolved,
        amountCents: f.amountCents,
      });
    } else if (f.kind === 'outreach') {
      if (!inPeriod(f.heldOn)) continue;
      rows.outreach.push({
        orgUnitId: f.orgUnitId,
        month: monthOf(f.heldOn),
        form: f.form ?? null,
        campaign: f.campaign ?? null,
        sessions: 1,
        audience: f.audience,
      });
      for (const theme of f.themes) rows.outreachThemes.push({ orgUnitId: f.orgUnitId, theme, sessions: 1 });
    } else {
      if (!inPeriod(f.sweptOn)) continue;
      rows.sweeps.push({ orgUnitId: f.orgUnitId, count: 1, zeroReports: f.zeroReport ? 1 : 0, households: f.households, disputesFound: f.disputesFound });
    }
  }
  return rows;
}

/**
 * The figures of a period over subjects' statistics facts. Every figure is a count or an
 * integer sum, so the order of `facts` never changes one.
 */
export function summarizeFacts(facts: readonly StatFacts[], query: PeriodQuery & Pick<SummaryQuery, 'childOf'>): Summary {
  return summarizeFactRows(factRowsOf(facts, periodOf(query)), query);
}

/** The figures of a period from its fact rows (factRowsOf, or the server's GROUP BY of the same columns). */
export function summarizeFactRows(rows: FactRows, query: PeriodQuery & Pick<SummaryQuery, 'childOf'>): Summary {
  const unitKey = (orgUnitId: string) => query.childOf?.(orgUnitId) ?? orgUnitId;

  const mediation: MediationSummary = {
    accepted: 0,
    closed: 0,
    resolved: 0,
    successRate: 0,
    failed: 0,
    terminated: 0,
    byType: zeros(DISPUTE_TYPE_CODES),
    bySource: zeros(SOURCE_KEYS),
    byReferrer: zeros(REFERRER_KEYS),
    byChannel: zeros(CHANNELS.map((c) => c.code)),
    byOrgUnit: {},
    byMonth: new Array<number>(12).fill(0),
    peopleInvolved: 0,
    amountInvolved: 0,
    withAgreement: 0,
    performed: 0,
    performanceRate: 0,
  };
  let amountCents = 0;
  for (const r of rows.accepted) mediation.accepted += r.cases;
  for (const c of rows.closed) {
    const n = c.cases;
    mediation.closed += n;
    if (c.result === 'terminated') mediation.terminated += n;
    if (c.result !== 'success') continue;
    mediation.resolved += n;
    bump(mediation.byType, c.disputeType, n);
    // sourceKey is 'referral:<referrer>' for 委托移送: bySource counts it under 'referral',
    // byReferrer splits those by the referring body.
    const [source = UNKNOWN_KEY, referrer] = c.sourceKey.split(':');
    bump(mediation.bySource, source, n);
    if (referrer !== undefined) bump(mediation.byReferrer, referrer, n);
    bump(mediation.byChannel, c.channel, n);
    bump(mediation.byOrgUnit, unitKey(c.orgUnitId), n);
    mediation.byMonth[c.month - 1] = (mediation.byMonth[c.month - 1] ?? 0) + n;
    mediation.peopleInvolved += c.peopleInvolved;
    amountCents += c.amountCents;
    if (c.withAgreement) {
      mediation.withAgreement += n;
      if (c.performedFull) mediation.performed += n;
    }
  }
  mediation.amountInvolved = amountCents / 100;
  mediation.failed = mediation.closed - mediation.resolved;
  mediation.successRate = ratio(mediation.resolved, mediation.closed);
  mediation.performanceRate = ratio(mediation.performed, mediation.withAgreement);

  const outreach: OutreachSummary = {
    sessions: 0,
    audience: 0,
    byOrgUnit: {},
    byMonth: new Array<number>(12).fill(0),
    audienceByMonth: new Array<number>(12).fill(0),
    byTheme: zeros(OUTREACH_THEMES.map((t) => t.code)),
    byForm: zeros(OUTREACH_FORMS.map((f) => f.code)),
    byCampaign: zeros(CAMPAIGN_NODES.map((c) => c.code)),
    audienceByCampaign: zeros(CAMPAIGN_NODES.map((c) => c.code)),
  };
  for (const o of rows.outreach) {
    const m = o.month - 1;
    outreach.sessions += o.sessions;
    outreach.audience += o.audience;
    bump(outreach.byOrgUnit, unitKey(o.orgUnitId), o.sessions);
    outreach.byMonth[m] = (outreach.byMonth[m] ?? 0) + o.sessions;
    outreach.audienceByMonth[m] = (outreach.audienceByMonth[m] ?? 0) + o.audience;
    if (o.form !== null) bump(outreach.byForm, o.form, o.sessions);
    if (o.campaign !== null) {
      bump(outreach.byCampaign, o.campaign, o.sessions);
      bump(outreach.audienceByCampaign, o.campaign, o.audience);
    }
  }
  for (const t of rows.outreachThemes) bump(outreach.byTheme, t.theme, t.sessions);

  const sweeps: SweepSummary = { count: 0, zeroReports: 0, households: 0, disputesFound: 0 };
  for (const w of rows.sweeps) {
    sweeps.count += w.count;
    sweeps.zeroReports += w.zeroReports;
    sweeps.households += w.households;
    sweeps.disputesFound += w.disputesFound;
  }

  const summary: Summary = { year: query.year, period: periodOf(query), mediation, outreach, sweeps };
  if (query.month !== undefined) summary.month = query.month;
  else if (query.quarter !== undefined) summary.quarter = query.quarter;
  return summary;
}
