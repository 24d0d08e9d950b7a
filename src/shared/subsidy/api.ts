// The 以案定补 API (/api/subsidy/*): the town's rules, a case's grade, a month's ledger and its
// approval. Each schema validates the request on the server and types (and checks) the answer.
import * as v from 'valibot';
import { SUBSIDY_GRADES } from './grades.ts';
import { SubsidyRules } from './rules.ts';

const UnitId = v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长'));
const Grade = v.picklist(
  SUBSIDY_GRADES.map((g) => g.code),
  '补助等级不对',
);

export const RulesRequest = v.object({ orgUnitId: UnitId, rules: SubsidyRules });

export const RulesResponse = v.object({
  rules: SubsidyRules,
  /** The unit whose rules apply (the unit itself or the nearest ancestor that has some); null: the defaults. */
  fromUnitId: v.nullable(v.string()),
  updatedAt: v.nullable(v.string()),
  updatedByName: v.nullable(v.string()),
});
export type RulesResponse = v.InferOutput<typeof RulesResponse>;

export const GradeRequest = v.object({ grade: Grade, note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500, '说明不超过 500 字'))) });

export const LedgerCase = v.object({
  subjectId: v.string(),
  caseNumber: v.nullable(v.string()),
  unitId: v.string(),
  unitName: v.optional(v.string()),
  disputeType: v.string(),
  /** Who mediated (the first named is paid: 谁调解、补助谁) and who recorded the registration. */
  mediators: v.array(v.string()),
  recorder: v.nullable(v.string()),
  grade: Grade,
  gradeSource: v.picklist(['office', 'proposed', 'major_flag', 'default']),
  agreementForm: v.string(),
  closedOn: v.string(),
  /** The day the last condition was met; null while one is missing. */
  qualifiedOn: v.nullable(v.string()),
  amount: v.number(),
  /** Why it is not paid this month (reason codes, LEDGER_REASONS); empty when it is. */
  reasons: v.array(v.string()),
});
export type LedgerCase = v.InferOutput<typeof LedgerCase>;

export const MediatorLedger = v.object({
  mediator: v.string(),
  qualifying: v.array(LedgerCase),
  pending: v.array(LedgerCase),
  amount: v.number(),
});
export type MediatorLedger = v.InferOutput<typeof MediatorLedger>;

export const SubsidyLedger = v.object({
  year: v.number(),
  month: v.number(),
  mediators: v.array(MediatorLedger),
  qualifying: v.number(),
  pending: v.number(),
  amount: v.number(),
});
export type SubsidyLedger = v.InferOutput<typeof SubsidyLedger>;

export const LedgerResponse = v.object({
  ledger: SubsidyLedger,
  rules: SubsidyRules,
  approval: v.nullable(v.object({ approvedAt: v.string(), approvedByName: v.string() })),
});
export type LedgerResponse = v.InferOutput<typeof LedgerResponse>;

export const ApproveRequest = v.object({
  orgUnitId: UnitId,
  year: v.pipe(v.number('请指定年份'), v.integer(), v.minValue(2000, '年份不对'), v.maxValue(2200, '年份不对')),
  month: v.pipe(v.number('请指定月份'), v.integer(), v.minValue(1, '月份应为 1–12'), v.maxValue(12, '月份应为 1–12')),
});
