// The town's 以案定补 rules, as the admin sets them: an amount per grade and the conditions a case
// must meet before it is paid. One valibot schema is the request body, the stored form and the type.
import * as v from 'valibot';

const amount = v.pipe(v.number('请填写金额'), v.integer('金额应为整数元'), v.minValue(0, '金额不能为负数'), v.maxValue(100_000, '金额不超过 100000 元'));

/** What an oral agreement (口头协议) needs before it is paid, beyond the other conditions. */
export const ORAL_AGREEMENT_RULES = [
  { code: 'excluded', label: '口头协议不予补助' },
  { code: 'signed', label: '需有当事人签名（手机签名）' },
  { code: 'followup', label: '需有回访记录证明当事人参与' },
  { code: 'counted', label: '与书面协议同样计算' },
] as const;

export const SubsidyRules = v.object({
  /** 元 per case, by grade. */
  amounts: v.object({ general: amount, difficult: amount, major: amount }),
  /** 一案一卷: registration, at least one 调解记录, the closure with the agreement's terms. */
  requireCompleteFile: v.boolean(),
  /** The latest closure is 调解成功 (always required: a failed mediation is never paid). */
  requirePerformed: v.boolean(),
  requireFollowup: v.boolean(),
  oralAgreement: v.picklist(
    ORAL_AGREEMENT_RULES.map((r) => r.code),
    '口头协议规则不对',
  ),
});
export type SubsidyRules = v.InferOutput<typeof SubsidyRules>;

export const DEFAULT_SUBSIDY_RULES: SubsidyRules = {
  amounts: { general: 100, difficult: 200, major: 500 },
  requireCompleteFile: true,
  requirePerformed: true,
  requireFollowup: true,
  oralAgreement: 'signed',
};
