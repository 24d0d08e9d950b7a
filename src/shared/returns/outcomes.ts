// 结果标记 counted over a period: each flag of each case not voided whose set date (local) falls
// in [from, to]. The monthly return counts them per row (monthly.ts); the annual report counts
// them for the year with this, over the same facts.
import { OUTCOME_FLAGS, type OutcomeFlag } from '../codes.ts';
import type { CaseFacts } from '../stats/facts.ts';

export function countOutcomes(cases: readonly CaseFacts[], period: { from: string; to: string }): Record<OutcomeFlag, number> {
  const out = Object.fromEntries(OUTCOME_FLAGS.map((f) => [f.code, 0])) as Record<OutcomeFlag, number>;
  for (const c of cases) {
    if (c.voided) continue;
    for (const o of c.outcomes ?? []) if (o.on >= period.from && o.on <= period.to) out[o.code]++;
  }
  return out;
}
