// Code tables: stable codes on the wire and in storage, Chinese labels for people. Every label
// the phone, the exports and the reports print for a code is here and nowhere else, so a
// screen and a spreadsheet never call the same thing by two names. Statistics group by the
// codes; never store a label. Sub-types always roll up to one of the 15 national dispute
// categories, so the county's form can be filled from them.
import type { EventType } from './events.ts';

export interface Code {
  readonly code: string;
  readonly label: string;
}

export interface DisputeType extends Code {
  readonly subtypes: readonly Code[];
}

/** The 15 national categories of 司法行政 statistics, with the sub-types that roll up to them. */
export const DISPUTE_TYPES: readonly DisputeType[] = [
  {
    code: '01',
    label: '婚姻家庭纠纷',
    subtypes: [
      { code: '01-support', label: '赡养' },
      { code: '01-childcare', label: '抚养' },
      { code: '01-inheritance', label: '继承' },
      { code: '01-divorce', label: '离婚' },
    ],
  },
  { code: '02', label: '邻里纠纷', subtypes: [] },
  { code: '03', label: '房屋宅基地纠纷', subtypes: [{ code: '03-homestead', label: '宅基地' }] },
  { code: '04', label: '合同纠纷', subtypes: [{ code: '04-private-loan', label: '民间借贷' }] },
  { code: '05', label: '生产经营纠纷', subtypes: [] },
  { code: '06', label: '损害赔偿纠纷', subtypes: [] },
  { code: '07', label: '山林土地纠纷', subtypes: [{ code: '07-land-contract', label: '土地承包经营' }] },
  { code: '08', label: '征地拆迁纠纷', subtypes: [] },
  { code: '09', label: '环境污染纠纷', subtypes: [] },
  {
    code: '10',
    label: '劳动争议纠纷',
    subtypes: [
      { code: '10-migrant-wages', label: '拖欠农民工工资' },
      { code: '10-other', label: '其他劳动争议' },
    ],
  },
  {
    code: '11',
    label: '消费纠纷',
    subtypes: [
      { code: '11-tourism', label: '旅游' },
      { code: '11-ecommerce', label: '电子商务' },
      { code: '11-other', label: '其他消费' },
    ],
  },
  { code: '12', label: '医疗纠纷', subtypes: [] },
  { code: '13', label: '道路交通事故纠纷', subtypes: [] },
  { code: '14', label: '物业纠纷', subtypes: [] },
  { code: '99', label: '其他纠纷', subtypes: [{ code: '99-village-affairs', label: '村务管理' }] },
];

export const DISPUTE_TYPE_CODES = DISPUTE_TYPES.map((t) => t.code);

/** The national category a sub-type (or a category) rolls up to; undefined for unknown codes. */
export function rollUpDisputeType(code: string): string | undefined {
  for (const t of DISPUTE_TYPES) {
    if (t.code === code || t.subtypes.some((s) => s.code === code)) return t.code;
  }
  return undefined;
}

export const CASE_SOURCES = [
  { code: 'self_initiated', label: '主动调解' },
  { code: 'application', label: '当事人申请' },
  { code: 'referral', label: '委托移送' },
] as const satisfies readonly Code[];

/** Who referred a 委托移送 case: 诉调 (court), 警调 (police), 访调 (petition), 复调 (reconsideration). */
export const REFERRERS = [
  { code: 'court', label: '法院' },
  { code: 'procuratorate', label: '检察院' },
  { code: 'police', label: '公安' },
  { code: 'petition', label: '信访' },
  { code: 'reconsideration', label: '行政复议' },
  { code: 'other', label: '其他部门' },
] as const satisfies readonly Code[];

export const PARTY_ROLES = [
  { code: 'applicant', label: '申请人' },
  { code: 'respondent', label: '被申请人' },
  { code: 'third_party', label: '第三人' },
  { code: 'agent', label: '代理人' },
  { code: 'guardian', label: '监护人' },
] as const satisfies readonly Code[];

export const SEXES = [
  { code: 'male', label: '男' },
  { code: 'female', label: '女' },
] as const satisfies readonly Code[];

export const CASE_RESULTS = [
  { code: 'success', label: '调解成功' },
  { code: 'failure', label: '调解不成功' },
  { code: 'terminated', label: '终止调解' },
] as const satisfies readonly Code[];
export type CaseResult = (typeof CASE_RESULTS)[number]['code'];

export const AGREEMENT_FORMS = [
  { code: 'written', label: '书面协议' },
  { code: 'oral', label: '口头协议' },
  { code: 'none', label: '无协议' },
] as const satisfies readonly Code[];

export const PERFORMANCE_STATUSES = [
  { code: 'full', label: '已全部履行' },
  { code: 'partial', label: '部分履行' },
  { code: 'none', label: '未履行' },
] as const satisfies readonly Code[];

export const FOLLOWUP_MODES = [
  { code: 'visit', label: '上门' },
  { code: 'phone', label: '电话' },
  { code: 'wechat', label: '微信' },
  { code: 'video', label: '视频' },
] as const satisfies readonly Code[];

export const SATISFACTION = [
  { code: 'satisfied', label: '满意' },
  { code: 'basically', label: '基本满意' },
  { code: 'unsatisfied', label: '不满意' },
] as const satisfies readonly Code[];

export const OUTREACH_FORMS = [
  { code: 'lecture', label: '法治宣讲' },
  { code: 'courtyard', label: '院坝会' },
  { code: 'market', label: '赶场宣传' },
  { code: 'consultation', label: '法律咨询' },
  { code: 'case_explained', label: '以案释法' },
  { code: 'leaflets', label: '发放资料' },
  { code: 'performance', label: '文艺演出' },
  { code: 'online', label: '线上宣传' },
  { code: 'other', label: '其他' },
] as const satisfies readonly Code[];

export const OUTREACH_THEMES = [
  { code: 'constitution', label: '宪法' },
  { code: 'civil_code', label: '民法典' },
  { code: 'anti_fraud', label: '反诈' },
  { code: 'xi_rule_of_law', label: '习近平法治思想' },
  { code: 'minors', label: '未成年人保护' },
  { code: 'anti_drug', label: '禁毒' },
  { code: 'safety', label: '安全生产' },
  { code: 'land', label: '土地管理' },
  { code: 'marriage', label: '婚姻家庭' },
  { code: 'labour', label: '劳动保障' },
  { code: 'anti_gang', label: '扫黑除恶' },
  { code: 'ecology', label: '生态环境' },
  { code: 'elderly', label: '老年人权益' },
  { code: 'other', label: '其他' },
] as const satisfies readonly Code[];

/** Campaign nodes (集中宣传节点) the report subtotals by. */
export const CAMPAIGN_NODES = [
  { code: 'dec4', label: '12·4国家宪法日' },
  { code: 'constitution_week', label: '宪法宣传周' },
  { code: 'civil_code_month', label: '民法典宣传月' },
  { code: 'anti_drug_day', label: '6·26国际禁毒日' },
  { code: 'national_security', label: '4·15全民国家安全教育日' },
  { code: 'women_day', label: '三八妇女节' },
  { code: 'other', label: '其他节点' },
] as const satisfies readonly Code[];

export const AUDIENCE_TYPES = [
  { code: 'villagers', label: '村（居）民' },
  { code: 'students', label: '学生' },
  { code: 'cadres', label: '干部' },
  { code: 'enterprise', label: '企业职工' },
  { code: 'elderly', label: '老年人' },
  { code: 'migrant_workers', label: '外出务工人员' },
  { code: 'mixed', label: '综合' },
] as const satisfies readonly Code[];

/**
 * 结果标记 on a case, each yes/no: what mediation prevented, and what went wrong afterwards
 * (an agreement overturned by a court is often learned months after the closing). Counted in
 * the monthly return and the annual report in the month the flag was set.
 */
export const OUTCOME_FLAGS = [
  { code: 'prevented_suicide', label: '防止民间纠纷引起自杀', kind: 'prevented' },
  { code: 'prevented_criminal', label: '防止民转刑案件', kind: 'prevented' },
  { code: 'prevented_mass_incident', label: '防止群体性事件', kind: 'prevented' },
  { code: 'prevented_mass_petition', label: '防止群体性上访', kind: 'prevented' },
  { code: 'agreement_overturned', label: '协议被法院判决变更、撤销或确认无效', kind: 'adverse' },
  { code: 'payment_order', label: '申请支付令', kind: 'adverse' },
  { code: 'mass_incident', label: '形成群体性事件', kind: 'adverse' },
  { code: 'mass_petition', label: '形成群体性上访', kind: 'adverse' },
] as const satisfies readonly (Code & { kind: 'prevented' | 'adverse' })[];
export type OutcomeFlag = (typeof OUTCOME_FLAGS)[number]['code'];

/**
 * The dispute types reported upward, by default the 15 national categories (a local sub-type
 * reports as its category). The admin's mapping (GET/PUT /api/returns/type-map) may send a
 * local type to another code, e.g. a province's table, without touching field data.
 */
export const UPWARD_DISPUTE_TYPES: readonly Code[] = DISPUTE_TYPES.map((t) => ({ code: t.code, label: t.label }));

/** 调委会类型 as the returns count them. */
export const COMMITTEE_TYPES = [
  { code: 'village', label: '村（居）调委会' },
  { code: 'town', label: '乡镇（街道）调委会' },
  { code: 'enterprise', label: '企事业单位调委会' },
  { code: 'sector', label: '行业性、专业性调委会' },
] as const satisfies readonly Code[];

/** 人民调解员: 专职 or 兼职. */
export const MEDIATOR_EMPLOYMENT = [
  { code: 'full_time', label: '专职' },
  { code: 'part_time', label: '兼职' },
] as const satisfies readonly Code[];
export type MediatorEmployment = (typeof MEDIATOR_EMPLOYMENT)[number]['code'];

/** A table in list form (for pickers and schemas) from its labels keyed by code, in key order. */
function tableOf<C extends string>(labels: Readonly<Record<C, string>>): readonly { readonly code: C; readonly label: string }[] {
  return (Object.keys(labels) as C[]).map((code) => ({ code, label: labels[code] }));
}

export type OrgUnitKind = 'county' | 'town' | 'village' | 'community' | 'grid' | 'committee' | 'station';

/** 乡镇 covers 乡, 镇 and 街道 alike: the kind is the level, the name says which. */
export const ORG_UNIT_KIND_LABELS: Readonly<Record<OrgUnitKind, string>> = {
  county: '县',
  town: '乡镇',
  village: '村',
  community: '社区',
  grid: '网格',
  committee: '调委会',
  station: '派驻调解室',
};
export const ORG_UNIT_KINDS = tableOf(ORG_UNIT_KIND_LABELS);

export type Role = 'admin' | 'office' | 'mediator' | 'grid_worker';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: '管理员',
  office: '机关工作人员',
  mediator: '人民调解员',
  grid_worker: '网格员',
};
export const ROLES = tableOf(ROLE_LABELS);

export type CaseStatus = 'open' | 'closed' | 'voided';

/** How lists and exports show a case's status. */
export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, string>> = { open: '调解中', closed: '已结案', voided: '已作废' };

export type TimelineKind = 'opened' | 'numbered' | 'updated' | 'session' | 'closed' | 'reopened' | 'performed' | 'followup' | 'signed' | 'outcomes' | 'voided';

/** The titles of a case's history on its detail screen. */
export const TIMELINE_LABELS: Readonly<Record<TimelineKind, string>> = {
  opened: '登记受理',
  numbered: '编号',
  updated: '更正',
  session: '调解记录',
  closed: '结案',
  reopened: '重新调解',
  performed: '履行',
  followup: '回访',
  signed: '签名',
  outcomes: '结果标记',
  voided: '作废',
};

/** What one event is, as the unsent list and the late-records list name it. */
export const EVENT_TYPE_LABELS: Readonly<Record<EventType, string>> = {
  'case.opened': '登记案件',
  'case.updated': '更正案件',
  'case.session': '调解记录',
  'case.closed': '结案',
  'case.reopened': '重新调解',
  'case.performed': '履行情况',
  'case.followup': '回访',
  'case.voided': '作废案件',
  'case.signed': '协议书签名',
  'case.numbered': '案件编号',
  'case.outcomes': '结果标记',
  'case.major': '重大矛盾纠纷',
  'case.typical': '典型案例',
  'case.grade_proposed': '建议补助等级',
  'case.graded': '核定补助等级',
  'outreach.recorded': '普法活动',
  'outreach.updated': '更正普法活动',
  'outreach.voided': '作废普法活动',
  'sweep.recorded': '矛盾排查',
  'sweep.voided': '作废排查',
  'ledger.recorded': '机关台账',
  'ledger.voided': '作废机关台账',
};

/** The label of an event type read off the wire or storage; an unknown type shows as itself. */
export function eventTypeLabel(type: string): string {
  // hasOwnProperty, not Object.hasOwn: the app is built for es2020 phones.
  return Object.prototype.hasOwnProperty.call(EVENT_TYPE_LABELS, type) ? EVENT_TYPE_LABELS[type as EventType] : type;
}

/** The label of a code in a table, or the code itself when the table does not know it. */
export function labelOf(table: readonly Code[], code: string | undefined): string {
  if (code === undefined) return '';
  return table.find((c) => c.code === code)?.label ?? code;
}

export function codesOf<T extends readonly Code[]>(table: T): [T[number]['code'], ...T[number]['code'][]] {
  return table.map((c) => c.code) as [T[number]['code'], ...T[number]['code'][]];
}
