// What each export holds: the case register (案件登记台账), the outreach ledger (普法台账), the
// office ledgers (机关台账), the data-quality lists and the statistics tables (one sheet per
// table) from a period's summary. Every breakdown sheet ends in a 合计 row equal to the
// summary's total: records of the unit itself (镇本级), unknown codes and blank fields get rows
// of their own rather than dropping out of the sum.
import { CAMPAIGN_NODES, DISPUTE_TYPES, labelOf, OUTREACH_FORMS, OUTREACH_THEMES } from '#shared/codes';
import { ADMIN_CASE_TYPES, ADVISER_ACTIVITIES, ENFORCEMENT_DECISIONS, LEDGER_KINDS, STUDY_FORMS, type LedgerEntry } from '#shared/office/ledgers';
import type { ReportedFigures } from '#shared/api/reports';
import { CHANNELS, STAT_DEFINITIONS, type Summary } from '#shared/stats/summary';
import { localDateOf } from '#shared/time';
import type { CaseRow, OutreachRow } from '../office/records.ts';
import { markTotals, sheetOf, TOTAL_LABEL, type Column, type ColumnType, type Sheet } from './table.ts';

// The register prints on one A4 landscape page width (xlsx.ts fits the width): its 18 columns
// add up to 185 digits of Arial 11 (about 1,130 pt), printed at about 0.7, so its 11 pt text
// reads at 7.5–8 pt (xlsx-print.test.ts). Text wraps in its column rather than widening the
// sheet, a four-character word (调解成功, 书面协议) to a line, and the five-character values of
// 案件来源, 对接渠道 and 履行情况 (当事人申请, 已全部履行) whole on theirs; dates, counts and money
// keep the width of their longest value (a number too wide for its column prints as ####).
const CASE_COLUMNS: Column<CaseRow>[] = [
  { header: '案件编号', type: 'text', width: 15, value: (r) => r.caseNumber },
  { header: '所属单位', type: 'text', width: 9, value: (r) => r.orgUnitName },
  { header: '受理日期', type: 'date', width: 11, value: (r) => r.openedDate },
  { header: '纠纷类型', type: 'text', width: 9, value: (r) => r.disputeType },
  { header: '案件来源', type: 'text', width: 11, value: (r) => r.source },
  { header: '对接渠道', type: 'text', width: 11, value: (r) => r.channel },
  { header: '申请人', type: 'text', width: 8, value: (r) => r.applicants },
  { header: '被申请人', type: 'text', width: 9, value: (r) => r.respondents },
  // One number (138****5678) a line.
  { header: '联系电话', type: 'text', width: 12, value: (r) => r.phones },
  { header: '纠纷简要情况', type: 'text', width: 16, value: (r) => r.summary },
  { header: '涉及人数', type: 'int', width: 5, value: (r) => r.peopleInvolved },
  // Up to 9,999,999.99, and wide enough for its header on one line (no lone “）”).
  { header: '涉及金额（元）', type: 'money', width: 14, value: (r) => r.amountInvolved },
  { header: '调解员', type: 'text', width: 8, value: (r) => r.mediators },
  { header: '状态', type: 'text', width: 7, value: (r) => r.status },
  { header: '调解结果', type: 'text', width: 9, value: (r) => r.result },
  { header: '协议形式', type: 'text', width: 9, value: (r) => r.agreementForm },
  { header: '结案日期', type: 'date', width: 11, value: (r) => r.closedDate },
  { header: '履行情况', type: 'text', width: 11, value: (r) => r.performed },
];

// Narrow enough that the twelve columns print on A4 landscape at about 9 pt (fitted to the page
// width; at their first widths the sheet came out at 7 pt): long names and places wrap instead.
const OUTREACH_COLUMNS: Column<OutreachRow>[] = [
  { header: '活动日期', type: 'date', width: 12, value: (r) => r.date },
  { header: '所属单位', type: 'text', width: 14, value: (r) => r.orgUnitName },
  { header: '活动名称', type: 'text', width: 22, value: (r) => r.title },
  { header: '宣传形式', type: 'text', width: 11, value: (r) => r.form },
  { header: '宣传主题', type: 'text', width: 16, value: (r) => r.themes },
  { header: '宣传节点', type: 'text', width: 14, value: (r) => r.campaign },
  { header: '参与人次', type: 'int', width: 9, value: (r) => r.audience },
  { header: '发放资料（份）', type: 'int', width: 9, value: (r) => r.materials },
  { header: '解答咨询（人次）', type: 'int', width: 9, value: (r) => r.consultations },
  { header: '主讲人', type: 'text', width: 10, value: (r) => r.speakers },
  { header: '地点', type: 'text', width: 19, value: (r) => r.place },
  { header: '照片（张）', type: 'int', width: 11, value: (r) => r.photos },
];

export const caseRegisterSheet = (rows: readonly CaseRow[]): Sheet => sheetOf('案件登记台账', CASE_COLUMNS, rows);
export const outreachLedgerSheet = (rows: readonly OutreachRow[]): Sheet => sheetOf('普法台账', OUTREACH_COLUMNS, rows);

type Pair = [label: string, value: number | string];

function pairs(name: string, header: [string, string], rows: readonly Pair[], valueType: 'int' | 'text' = 'int'): Sheet {
  return sheetOf(
    name,
    [
      { header: header[0], type: 'text', width: 24, value: (r: Pair) => r[0] },
      { header: header[1], type: valueType, width: 14, value: (r: Pair) => r[1] },
    ],
    rows,
  );
}

/**
 * A breakdown's rows in the order of `known`, then codes the table does not know (未注明), then
 * what no row holds (未填写: a blank field), then 合计 = `total`: the rows add up to the total by
 * construction.
 */
export function breakdownRows(counts: Readonly<Record<string, number>>, known: readonly (readonly [code: string, label: string])[], total: number): Pair[] {
  const rows: Pair[] = known.map(([code, label]) => [label, counts[code] ?? 0]);
  const knownCodes = new Set(known.map(([code]) => code));
  const unknown = Object.entries(counts)
    .filter(([code]) => !knownCodes.has(code))
    .reduce((n, [, v]) => n + v, 0);
  if (unknown > 0) rows.push(['未注明', unknown]);
  const listed = rows.reduce((n, r) => n + Number(r[1]), 0);
  if (total > listed) rows.push(['未填写', total - listed]);
  rows.push([TOTAL_LABEL, total]);
  return rows;
}

/** "镇本级": the row for records of the unit itself, named by its level. */
export function ownLevelLabel(kind: string): string {
  return kind === 'town' ? '镇本级' : kind === 'county' ? '县本级' : '本级';
}

export interface StatsSheetsInput {
  summary: Summary;
  periodLabel: string;
  unitName: string;
  /** The unit the workbook is for, and its level, for the 镇本级 row. */
  unitId: string;
  unitKind: string;
  /** Its children, in tree order: the rows of the by-unit sheets (a 调委会 or 调解室 only when it holds records). */
  unitNames: ReadonlyMap<string, string>;
  /** Children that are listed only when they hold records. */
  optionalUnits?: ReadonlySet<string>;
  /** 制表时间, local. */
  madeAt: string;
  /** The period's 结账 once late records arrived: the 报送 figures beside the live ones. */
  reported?: ReportedFigures | undefined;
  /** The zone the 结账 date is told in (its closedAt is an instant). */
  timeZone: string;
  /** Sweeps per grid in the period, for the grid sheet. */
  sweepsByGrid: readonly { name: string; count: number; zeroReports: number; disputesFound: number }[];
}

/** A figure of the overview; `key` names it among the figures a 结账 keeps (periods.ts). */
type OverviewRow = [label: string, value: number, definition: string, type: ColumnType, key?: string];
type GridRow = StatsSheetsInput['sweepsByGrid'][number];

/** The statistics workbook: an overview, then one sheet per breakdown, each with its 合计. */
export function statsSheets(input: StatsSheetsInput): Sheet[] {
  const { summary, periodLabel, unitName, unitNames, sweepsByGrid } = input;
  const m = summary.mediation;
  const o = summary.outreach;
  const w = summary.sweeps;
  const titled = (sheet: Sheet, what: string): Sheet =>
    markTotals({ ...sheet, title: { title: `${unitName}${periodLabel.split('（')[0]}${what}`, unitName, periodLabel, madeAt: input.madeAt } });
  // After 结账 with late records, the reported (报送) figure sits beside the live one, with the change.
  const reported = new Map((input.reported?.figures ?? []).map((f) => [f.key, f]));
  const reportedCell = (key: string | undefined, pick: 'atClose' | 'change', asPercent: boolean) => {
    const f = key === undefined ? undefined : reported.get(key);
    if (!f) return null;
    return asPercent ? Math.round(f[pick] * 1000) / 10 : f[pick];
  };
  const overviewColumns: Column<OverviewRow>[] = [
    { header: '统计项', type: 'text', width: 20, value: (r) => r[0] },
    { header: input.reported ? '现数（含迟报）' : '数值', type: 'int', width: 16, value: (r) => r[1], typeOf: (r) => r[3] },
    ...(input.reported
      ? [
          {
            header: '报送数（结账时）',
            type: 'int' as const,
            width: 16,
            value: (r: OverviewRow) => reportedCell(r[4], 'atClose', r[3] === 'percent'),
            typeOf: (r: OverviewRow) => r[3],
          },
          {
            header: '迟报影响',
            type: 'int' as const,
            width: 12,
            value: (r: OverviewRow) => reportedCell(r[4], 'change', r[3] === 'percent'),
            typeOf: (r: OverviewRow) => r[3],
          },
        ]
      : []),
    { header: '口径', type: 'text', width: 80, value: (r) => r[2] },
  ];
  const overview = sheetOf('总体', overviewColumns, [
    ['受理（件）', m.accepted, STAT_DEFINITIONS.accepted, 'int', 'accepted'],
    ['结案（件）', m.closed, STAT_DEFINITIONS.closed, 'int', 'closed'],
    ['化解（件）', m.resolved, STAT_DEFINITIONS.resolved, 'int', 'resolved'],
    ['未化解（件）', m.failed, STAT_DEFINITIONS.failed, 'int'],
    ['调解成功率（%）', Math.round(m.successRate * 1000) / 10, STAT_DEFINITIONS.successRate, 'percent', 'successRate'],
    ['协议履行率（%）', Math.round(m.performanceRate * 1000) / 10, STAT_DEFINITIONS.performanceRate, 'percent'],
    ['涉及人数（人）', m.peopleInvolved, STAT_DEFINITIONS.peopleInvolved, 'int'],
    // In 元 here, as the case register has it; the dashboard and the report say 万元.
    ['涉及金额（元）', m.amountInvolved, '涉及金额：化解案件登记的协议涉及金额之和，本表以元计（统计页和年度报告以万元计）。', 'money'],
    ['法治宣讲（场次）', o.sessions, STAT_DEFINITIONS.sessions, 'int', 'sessions'],
    ['宣传群众（人次）', o.audience, STAT_DEFINITIONS.audience, 'int', 'audience'],
    ['矛盾纠纷排查（次）', w.count, STAT_DEFINITIONS.sweeps, 'int', 'sweeps'],
    ['零报告（次）', w.zeroReports, STAT_DEFINITIONS.zeroReports, 'int'],
  ] satisfies OverviewRow[]);
  const head = sheetOf(
    '说明',
    [
      { header: '项目', type: 'text', width: 16, value: (r: Pair) => r[0] },
      { header: '内容', type: 'text', width: 80, value: (r: Pair) => r[1] },
    ],
    [
      ['单位', unitName],
      ['统计期', periodLabel],
      ['制表时间', input.madeAt],
      ['时间口径', STAT_DEFINITIONS.time],
      ['作废与重复', STAT_DEFINITIONS.voided],
      ['合计', '每张分表的“合计”行等于“总体”表的同一统计项；本单位直接登记的记录列在“' + ownLevelLabel(input.unitKind) + '”行。'],
      ...(input.reported
        ? ([
            [
              '结账与迟报',
              `${input.reported.label}已于${localDateOf(input.reported.closedAt, input.timeZone)}由${input.reported.closedByName}结账；此后迟报 ${input.reported.lateCount} 条。“总体”表的“报送数（结账时）”为结账时报送的数字，“现数（含迟报）”和各分表为现在的数字。`,
            ],
          ] satisfies Pair[])
        : []),
    ],
  );
  const unitsFor = (counts: Readonly<Record<string, number>>): [string, string][] => [
    [input.unitId, ownLevelLabel(input.unitKind)],
    ...[...unitNames].filter(([id]) => !input.optionalUnits?.has(id) || (counts[id] ?? 0) > 0),
  ];
  const campaignRows = (): { label: string; sessions: number; audience: number }[] => {
    const rows = CAMPAIGN_NODES.map((c): { label: string; sessions: number; audience: number } => ({
      label: c.label,
      sessions: o.byCampaign[c.code] ?? 0,
      audience: o.audienceByCampaign[c.code] ?? 0,
    }));
    const sessions = rows.reduce((n, r) => n + r.sessions, 0);
    const audience = rows.reduce((n, r) => n + r.audience, 0);
    if (o.sessions > sessions || o.audience > audience)
      rows.push({ label: '非集中宣传节点', sessions: o.sessions - sessions, audience: o.audience - audience });
    rows.push({ label: TOTAL_LABEL, sessions: o.sessions, audience: o.audience });
    return rows;
  };
  const gridRows = (): GridRow[] => {
    const rows = [...sweepsByGrid];
    const sum = (k: 'count' | 'zeroReports' | 'disputesFound') => rows.reduce((n, r) => n + r[k], 0);
    const rest = { count: w.count - sum('count'), zeroReports: w.zeroReports - sum('zeroReports'), disputesFound: w.disputesFound - sum('disputesFound') };
    if (rest.count > 0) rows.push({ name: '其他单位（非网格）', ...rest });
    rows.push({ name: TOTAL_LABEL, count: w.count, zeroReports: w.zeroReports, disputesFound: w.disputesFound });
    return rows;
  };
  const themes = pairs(
    '普法按主题',
    ['宣传主题', '场次'],
    [...OUTREACH_THEMES.map((t): Pair => [t.label, o.byTheme[t.code] ?? 0]), ['活动总场次（不重复）', o.sessions]],
  );
  return [
    titled(overview, '统计总表'),
    titled(
      pairs(
        '按纠纷类型',
        ['纠纷类型', '化解（件）'],
        breakdownRows(
          m.byType,
          DISPUTE_TYPES.map((t) => [t.code, t.label]),
          m.resolved,
        ),
      ),
      '化解案件按纠纷类型',
    ),
    titled(
      pairs(
        '按来源渠道',
        ['来源/对接渠道', '化解（件）'],
        breakdownRows(
          m.byChannel,
          CHANNELS.map((c) => [c.code, c.label]),
          m.resolved,
        ),
      ),
      '化解案件按来源渠道',
    ),
    titled(pairs('按单位', ['单位', '化解（件）'], breakdownRows(m.byOrgUnit, unitsFor(m.byOrgUnit), m.resolved)), '化解案件按单位'),
    titled(
      sheetOf(
        '按月份',
        [
          { header: '月份', type: 'text', value: (r: number) => (r < 0 ? TOTAL_LABEL : `${r + 1}月`) },
          { header: '化解（件）', type: 'int', width: 12, value: (r) => (r < 0 ? m.byMonth.reduce((a, b) => a + b, 0) : (m.byMonth[r] ?? 0)) },
          { header: '法治宣讲（场次）', type: 'int', width: 16, value: (r) => (r < 0 ? o.byMonth.reduce((a, b) => a + b, 0) : (o.byMonth[r] ?? 0)) },
          {
            header: '宣传群众（人次）',
            type: 'int',
            width: 16,
            value: (r) => (r < 0 ? o.audienceByMonth.reduce((a, b) => a + b, 0) : (o.audienceByMonth[r] ?? 0)),
          },
        ],
        [...Array.from({ length: 12 }, (_, i) => i), -1],
      ),
      '按月份统计',
    ),
    titled({ ...themes, note: '一场活动可涉及多个主题，各主题场次之和可大于活动总场次；活动总场次与“总体”表的法治宣讲场次相同。' }, '普法宣传按主题'),
    titled(
      pairs(
        '普法按形式',
        ['宣传形式', '场次'],
        breakdownRows(
          o.byForm,
          OUTREACH_FORMS.map((f) => [f.code, f.label]),
          o.sessions,
        ),
      ),
      '普法宣传按形式',
    ),
    titled(
      sheetOf(
        '普法按节点',
        [
          { header: '宣传节点', type: 'text', width: 24, value: (r: { label: string; sessions: number; audience: number }) => r.label },
          { header: '场次', type: 'int', value: (r) => r.sessions },
          { header: '人次', type: 'int', value: (r) => r.audience },
        ],
        campaignRows(),
      ),
      '普法宣传按节点',
    ),
    titled(pairs('普法按单位', ['单位', '场次'], breakdownRows(o.byOrgUnit, unitsFor(o.byOrgUnit), o.sessions)), '普法宣传按单位'),
    titled(
      sheetOf(
        '排查按网格',
        [
          { header: '网格', type: 'text', width: 28, value: (r: GridRow) => r.name },
          { header: '排查（次）', type: 'int', value: (r) => r.count },
          { header: '零报告（次）', type: 'int', width: 12, value: (r) => r.zeroReports },
          { header: '发现纠纷（件）', type: 'int', width: 14, value: (r) => r.disputesFound },
        ],
        gridRows(),
      ),
      '矛盾纠纷排查按网格',
    ),
    titled(head, '统计说明'),
  ];
}

const LEDGER_TEXT: { [K in LedgerEntry['kind']]: (e: Extract<LedgerEntry, { kind: K }>) => [what: string, count: number | null] } = {
  adviser: (e) => [`${labelOf(ADVISER_ACTIVITIES, e.activity)}${e.summary ? `：${e.summary}` : ''}`, e.count],
  admin_case: (e) => [
    `${labelOf(ADMIN_CASE_TYPES, e.caseType)}：${e.title}${e.performed === true ? '（已履行）' : ''}${e.appeared === true ? '（负责人出庭应诉）' : ''}${e.note ? `；${e.note}` : ''}`,
    1,
  ],
  enforcement_list: (e) => [
    `法定执法 ${e.statutory} 项、赋权执法 ${e.empowered} 项、委托执法 ${e.entrusted} 项${e.note ? `；${e.note}` : ''}`,
    e.statutory + e.empowered + e.entrusted,
  ],
  enforcement_decision: (e) => [`${labelOf(ENFORCEMENT_DECISIONS, e.decision)}${e.note ? `：${e.note}` : ''}`, e.count],
  disclosure: (e) => [`政务公开${e.title ? `：${e.title}` : ''}${e.channel ? `（${e.channel}）` : ''}`, e.count],
  emergency_team: (e) => [
    `工作组 ${e.groups} 个，镇级队伍 ${e.townMembers} 人，村级队伍 ${e.villageMembers} 人${e.note ? `；${e.note}` : ''}`,
    e.townMembers + e.villageMembers,
  ],
  emergency_drill: (e) => [`应急演练${e.title ? `：${e.title}` : ''}`, e.count],
  study: (e) => [`${labelOf(STUDY_FORMS, e.form)}${e.title ? `：${e.title}` : ''}`, e.count],
};

/** One ledger entry in words, and the count it adds (件/次/条/项/人). */
function describeLedgerEntry(entry: LedgerEntry): [what: string, count: number | null] {
  return (LEDGER_TEXT[entry.kind] as (e: LedgerEntry) => [string, number | null])(entry);
}

export interface LedgerRow {
  date: string;
  unitName: string;
  entry: LedgerEntry;
  voided: boolean;
}

/** 机关台账: every entry of the year, voided ones kept and marked (the ledger is a record, not a tally). */
export function officeLedgerSheet(rows: readonly LedgerRow[]): Sheet {
  return sheetOf(
    '机关台账',
    [
      { header: '日期', type: 'date', width: 12, value: (r: LedgerRow) => r.date },
      { header: '单位', type: 'text', width: 16, value: (r) => r.unitName },
      { header: '台账类别', type: 'text', width: 20, value: (r) => labelOf(LEDGER_KINDS, r.entry.kind) },
      { header: '内容', type: 'text', width: 60, value: (r) => describeLedgerEntry(r.entry)[0] },
      { header: '数量', type: 'int', width: 10, value: (r) => describeLedgerEntry(r.entry)[1] },
      { header: '状态', type: 'text', width: 10, value: (r) => (r.voided ? '已作废' : '有效') },
    ],
    rows,
  );
}

export interface QualityRow {
  list: string;
  date: string;
  unitName: string;
  what: string;
}

/** The data-quality lists in one sheet, a list per block of rows. */
export function qualitySheet(rows: readonly QualityRow[]): Sheet {
  return sheetOf(
    '数据质量',
    [
      { header: '问题', type: 'text', width: 26, value: (r: QualityRow) => r.list },
      { header: '日期', type: 'date', width: 12, value: (r) => r.date },
      { header: '单位', type: 'text', width: 22, value: (r) => r.unitName },
      { header: '说明', type: 'text', width: 60, value: (r) => r.what },
    ],
    rows,
  );
}
