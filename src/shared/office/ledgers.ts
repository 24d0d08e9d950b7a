// Office ledgers (机关台账): the annual report's figures that are not field work — 法律顾问
// work, 行政复议 and 行政诉讼 cases, 行政执法 item lists and decisions, 政务公开 items, 应急
// teams and drills, 学法 sessions. Each entry is a `ledger.recorded` event in the same log as
// field records (corrected by voiding and recording again), written through the office API
// only. One schema per kind is validator and type; `ledgerFigures` turns a year's entries into
// the report's figures, with "no entry" kept apart from zero so the report can ask for it.
import * as v from 'valibot';
import { codesOf, type Code } from '../codes.ts';

export const LEDGER_KINDS = [
  { code: 'adviser', label: '法律顾问工作' },
  { code: 'admin_case', label: '行政复议、行政诉讼案件' },
  { code: 'enforcement_list', label: '行政执法事项清单' },
  { code: 'enforcement_decision', label: '行政执法决定' },
  { code: 'disclosure', label: '政务公开' },
  { code: 'emergency_team', label: '应急队伍' },
  { code: 'emergency_drill', label: '应急演练' },
  { code: 'study', label: '学法' },
] as const satisfies readonly Code[];
export type LedgerKind = (typeof LEDGER_KINDS)[number]['code'];

export const ADVISER_ACTIVITIES = [
  { code: 'meeting', label: '参加会议' },
  { code: 'opinion', label: '出具书面法律意见书' },
  { code: 'contract_review', label: '审查合同' },
  { code: 'major_decision', label: '参与重大决策' },
  { code: 'normative_review', label: '审查规范性文件' },
  { code: 'consultation', label: '接待法律咨询' },
  { code: 'lecture', label: '进村宣讲' },
] as const satisfies readonly Code[];

export const ADMIN_CASE_TYPES = [
  { code: 'reconsideration', label: '行政复议' },
  { code: 'litigation', label: '行政诉讼' },
] as const satisfies readonly Code[];

export const ENFORCEMENT_DECISIONS = [
  { code: 'penalty', label: '行政处罚' },
  { code: 'no_penalty', label: '不予处罚' },
  { code: 'other', label: '其他决定' },
] as const satisfies readonly Code[];

export const STUDY_FORMS = [
  { code: 'central_group', label: '党委理论学习中心组法治专题学习' },
  { code: 'leaders', label: '领导干部学法' },
  { code: 'staff', label: '机关干部学法' },
] as const satisfies readonly Code[];

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `不超过 ${max} 字`));
const count = (max: number, what: string) =>
  v.pipe(v.number(`${what}应为数字`), v.integer(`${what}应为整数`), v.minValue(0, `${what}不能为负数`), v.maxValue(max, `${what}不能超过 ${max}`));
const positive = (max: number, what: string) => v.pipe(count(max, what), v.minValue(1, `${what}至少为 1`));

export const LedgerEntry = v.variant('kind', [
  v.object({
    kind: v.literal('adviser'),
    activity: v.picklist(codesOf(ADVISER_ACTIVITIES), '事项类型不对'),
    count: positive(10_000, '件/次'),
    summary: v.optional(text(1000)),
  }),
  v.object({
    kind: v.literal('admin_case'),
    caseType: v.picklist(codesOf(ADMIN_CASE_TYPES), '案件类型不对'),
    title: v.pipe(text(200), v.minLength(1, '请填写案由')),
    /** 行政复议: the decision was performed (履行). */
    performed: v.optional(v.boolean()),
    /** 行政诉讼: the responsible official appeared in court (出庭应诉). */
    appeared: v.optional(v.boolean()),
    note: v.optional(text(1000)),
  }),
  v.object({
    kind: v.literal('enforcement_list'),
    statutory: count(10_000, '法定执法事项'),
    empowered: count(10_000, '赋权执法事项'),
    entrusted: count(10_000, '委托执法事项'),
    note: v.optional(text(1000)),
  }),
  v.object({
    kind: v.literal('enforcement_decision'),
    decision: v.picklist(codesOf(ENFORCEMENT_DECISIONS), '决定类型不对'),
    count: positive(10_000, '次数'),
    note: v.optional(text(1000)),
  }),
  v.object({ kind: v.literal('disclosure'), count: positive(100_000, '条数'), title: v.optional(text(200)), channel: v.optional(text(100)) }),
  v.object({
    kind: v.literal('emergency_team'),
    groups: count(1000, '工作组数'),
    townMembers: count(100_000, '镇级队伍人数'),
    villageMembers: count(1_000_000, '村级队伍人数'),
    note: v.optional(text(1000)),
  }),
  v.object({ kind: v.literal('emergency_drill'), count: positive(1000, '次数'), title: v.optional(text(200)) }),
  v.object({ kind: v.literal('study'), form: v.picklist(codesOf(STUDY_FORMS), '学习形式不对'), count: positive(1000, '次数'), title: v.optional(text(200)) }),
]);
export type LedgerEntry = v.InferOutput<typeof LedgerEntry>;

/** The report's office figures; a key is absent when no entry of its kind exists. */
export type LedgerFigures = {
  studySessions?: number;
  adviserMeetings?: number;
  adviserOpinions?: number;
  adviserContracts?: number;
  adviserDecisions?: number;
  enforcementStatutory?: number;
  enforcementEmpowered?: number;
  enforcementEntrusted?: number;
  noPenaltyDecisions?: number;
  emergencyGroups?: number;
  emergencyTownMembers?: number;
  emergencyVillageMembers?: number;
  emergencyDrills?: number;
  reconsiderationCases?: number;
  /** 0..1 */
  reconsiderationPerformanceRate?: number;
  litigationCases?: number;
  /** 0..1 */
  litigationAppearanceRate?: number;
  disclosureItems?: number;
};

export interface LedgerItem {
  subjectId: string;
  eventId: string;
  occurredAt: string;
  entry: LedgerEntry;
}

/** Which adviser activities the report counts, and under which figure. */
const ADVISER_FIGURES: Partial<Record<string, keyof LedgerFigures>> = {
  meeting: 'adviserMeetings',
  opinion: 'adviserOpinions',
  contract_review: 'adviserContracts',
  major_decision: 'adviserDecisions',
};

/**
 * A year's figures from its live entries (voided ones already left out by the caller): counts
 * add up; lists and teams are snapshots, the latest entry (by occurredAt, then id) wins.
 */
export function ledgerFigures(items: readonly LedgerItem[]): LedgerFigures {
  const out: LedgerFigures = {};
  const add = (key: keyof LedgerFigures, n: number) => {
    out[key] = (out[key] ?? 0) + n;
  };
  const sorted = [...items].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  let performed = 0;
  let appeared = 0;
  for (const { entry: e } of sorted) {
    switch (e.kind) {
      case 'adviser': {
        const key = ADVISER_FIGURES[e.activity];
        if (key) add(key, e.count);
        break;
      }
      case 'admin_case':
        if (e.caseType === 'reconsideration') {
          add('reconsiderationCases', 1);
          if (e.performed) performed++;
        } else {
          add('litigationCases', 1);
          if (e.appeared) appeared++;
        }
        break;
      case 'enforcement_list':
        out.enforcementStatutory = e.statutory;
        out.enforcementEmpowered = e.empowered;
        out.enforcementEntrusted = e.entrusted;
        break;
      case 'enforcement_decision':
        if (e.decision === 'no_penalty') add('noPenaltyDecisions', e.count);
        break;
      case 'disclosure':
        add('disclosureItems', e.count);
        break;
      case 'emergency_team':
        out.emergencyGroups = e.groups;
        out.emergencyTownMembers = e.townMembers;
        out.emergencyVillageMembers = e.villageMembers;
        break;
      case 'emergency_drill':
        add('emergencyDrills', e.count);
        break;
      case 'study':
        if (e.form === 'central_group') add('studySessions', e.count);
        break;
    }
  }
  if (out.reconsiderationCases) out.reconsiderationPerformanceRate = Math.round((performed / out.reconsiderationCases) * 10_000) / 10_000;
  if (out.litigationCases) out.litigationAppearanceRate = Math.round((appeared / out.litigationCases) * 10_000) / 10_000;
  return out;
}
