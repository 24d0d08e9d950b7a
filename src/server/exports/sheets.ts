// What each export holds: the case register (案件登记台账), the outreach ledger (普法台账) and
// the statistics tables (one sheet per table) from a period's summary.
import { CAMPAIGN_NODES, DISPUTE_TYPES, OUTREACH_FORMS, OUTREACH_THEMES } from '#shared/codes';
import { CHANNELS, STAT_DEFINITIONS, type Summary } from '#shared/stats/summary';
import type { CaseRow, OutreachRow } from '../office/records.ts';
import { sheetOf, type Column, type Sheet } from './table.ts';

const CASE_COLUMNS: Column<CaseRow>[] = [
  { header: '案件编号', type: 'text', width: 28, value: (r) => r.caseNumber },
  { header: '所属单位', type: 'text', width: 18, value: (r) => r.orgUnitName },
  { header: '受理日期', type: 'date', width: 12, value: (r) => r.openedDate },
  { header: '纠纷类型', type: 'text', width: 18, value: (r) => r.disputeType },
  { header: '案件来源', type: 'text', width: 16, value: (r) => r.source },
  { header: '对接渠道', type: 'text', width: 12, value: (r) => r.channel },
  { header: '申请人', type: 'text', width: 14, value: (r) => r.applicants },
  { header: '被申请人', type: 'text', width: 14, value: (r) => r.respondents },
  { header: '联系电话', type: 'text', width: 16, value: (r) => r.phones },
  { header: '纠纷简要情况', type: 'text', width: 40, value: (r) => r.summary },
  { header: '涉及人数', type: 'int', value: (r) => r.peopleInvolved },
  { header: '涉及金额（元）', type: 'number', width: 14, value: (r) => r.amountInvolved },
  { header: '调解员', type: 'text', width: 14, value: (r) => r.mediators },
  { header: '状态', type: 'text', value: (r) => r.status },
  { header: '调解结果', type: 'text', width: 12, value: (r) => r.result },
  { header: '协议形式', type: 'text', value: (r) => r.agreementForm },
  { header: '结案日期', type: 'date', width: 12, value: (r) => r.closedDate },
  { header: '履行情况', type: 'text', width: 12, value: (r) => r.performed },
];

const OUTREACH_COLUMNS: Column<OutreachRow>[] = [
  { header: '活动日期', type: 'date', width: 12, value: (r) => r.date },
  { header: '所属单位', type: 'text', width: 18, value: (r) => r.orgUnitName },
  { header: '活动名称', type: 'text', width: 30, value: (r) => r.title },
  { header: '宣传形式', type: 'text', width: 12, value: (r) => r.form },
  { header: '宣传主题', type: 'text', width: 20, value: (r) => r.themes },
  { header: '宣传节点', type: 'text', width: 18, value: (r) => r.campaign },
  { header: '参与人次', type: 'int', value: (r) => r.audience },
  { header: '发放资料（份）', type: 'int', width: 14, value: (r) => r.materials },
  { header: '解答咨询（人次）', type: 'int', width: 16, value: (r) => r.consultations },
  { header: '主讲人', type: 'text', width: 16, value: (r) => r.speakers },
  { header: '地点', type: 'text', width: 20, value: (r) => r.place },
  { header: '照片（张）', type: 'int', value: (r) => r.photos },
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

export interface StatsSheetsInput {
  summary: Summary;
  periodLabel: string;
  unitName: string;
  unitNames: ReadonlyMap<string, string>;
  /** Sweeps per grid in the period, for the grid sheet. */
  sweepsByGrid: readonly { name: string; count: number; zeroReports: number; disputesFound: number }[];
}

/** The statistics workbook: an overview, then one sheet per breakdown. */
export function statsSheets({ summary, periodLabel, unitName, unitNames, sweepsByGrid }: StatsSheetsInput): Sheet[] {
  const m = summary.mediation;
  const o = summary.outreach;
  const w = summary.sweeps;
  const overview = sheetOf(
    '总体',
    [
      { header: '统计项', type: 'text', width: 20, value: (r: [string, number, string, 'int' | 'percent' | 'number']) => r[0] },
      { header: '数值', type: 'number', width: 14, value: (r) => r[1] },
      { header: '口径', type: 'text', width: 80, value: (r) => r[2] },
    ],
    [
      ['受理（件）', m.accepted, STAT_DEFINITIONS.accepted, 'int'],
      ['结案（件）', m.closed, STAT_DEFINITIONS.closed, 'int'],
      ['化解（件）', m.resolved, STAT_DEFINITIONS.resolved, 'int'],
      ['未化解（件）', m.failed, STAT_DEFINITIONS.failed, 'int'],
      ['调解成功率（%）', Math.round(m.successRate * 1000) / 10, STAT_DEFINITIONS.successRate, 'percent'],
      ['协议履行率（%）', Math.round(m.performanceRate * 1000) / 10, STAT_DEFINITIONS.performanceRate, 'percent'],
      ['涉及人数（人）', m.peopleInvolved, STAT_DEFINITIONS.peopleInvolved, 'int'],
      ['涉及金额（元）', m.amountInvolved, STAT_DEFINITIONS.amountInvolved, 'number'],
      ['法治宣讲（场次）', o.sessions, STAT_DEFINITIONS.sessions, 'int'],
      ['宣传群众（人次）', o.audience, STAT_DEFINITIONS.audience, 'int'],
      ['矛盾纠纷排查（次）', w.count, STAT_DEFINITIONS.sweeps, 'int'],
      ['零报告（次）', w.zeroReports, STAT_DEFINITIONS.sweeps, 'int'],
    ] as [string, number, string, 'int' | 'percent' | 'number'][],
  );
  const head = sheetOf('说明', [{ header: '项目', type: 'text', width: 16, value: (r: Pair) => r[0] }, { header: '内容', type: 'text', width: 80, value: (r: Pair) => r[1] }], [
    ['单位', unitName],
    ['统计期', periodLabel],
    ['时间口径', STAT_DEFINITIONS.time],
    ['作废与重复', STAT_DEFINITIONS.voided],
  ]);
  return [
    overview,
    pairs('按纠纷类型', ['纠纷类型', '化解（件）'], DISPUTE_TYPES.map((t) => [t.label, m.byType[t.code] ?? 0])),
    pairs('按来源渠道', ['来源/对接渠道', '化解（件）'], CHANNELS.map((c) => [c.label, m.byChannel[c.code] ?? 0])),
    pairs('按单位', ['单位', '化解（件）'], [...unitNames].map(([id, name]) => [name, m.byOrgUnit[id] ?? 0])),
    sheetOf(
      '按月份',
      [
        { header: '月份', type: 'text', value: (r: number) => `${r + 1}月` },
        { header: '化解（件）', type: 'int', width: 12, value: (r) => m.byMonth[r] ?? 0 },
        { header: '法治宣讲（场次）', type: 'int', width: 16, value: (r) => o.byMonth[r] ?? 0 },
        { header: '宣传群众（人次）', type: 'int', width: 16, value: (r) => o.audienceByMonth[r] ?? 0 },
      ],
      Array.from({ length: 12 }, (_, i) => i),
    ),
    pairs('普法按主题', ['宣传主题', '场次'], OUTREACH_THEMES.map((t) => [t.label, o.byTheme[t.code] ?? 0])),
    pairs('普法按形式', ['宣传形式', '场次'], OUTREACH_FORMS.map((f) => [f.label, o.byForm[f.code] ?? 0])),
    sheetOf(
      '普法按节点',
      [
        { header: '宣传节点', type: 'text', width: 24, value: (r: { label: string; code: string }) => r.label },
        { header: '场次', type: 'int', value: (r) => o.byCampaign[r.code] ?? 0 },
        { header: '人次', type: 'int', value: (r) => o.audienceByCampaign[r.code] ?? 0 },
      ],
      CAMPAIGN_NODES,
    ),
    pairs('普法按单位', ['单位', '场次'], [...unitNames].map(([id, name]) => [name, o.byOrgUnit[id] ?? 0])),
    sheetOf(
      '排查按网格',
      [
        { header: '网格', type: 'text', width: 24, value: (r: StatsSheetsInput['sweepsByGrid'][number]) => r.name },
        { header: '排查（次）', type: 'int', value: (r) => r.count },
        { header: '零报告（次）', type: 'int', width: 12, value: (r) => r.zeroReports },
        { header: '发现纠纷（件）', type: 'int', width: 14, value: (r) => r.disputesFound },
      ],
      sweepsByGrid,
    ),
    head,
  ];
}
