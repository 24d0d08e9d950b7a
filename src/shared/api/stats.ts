// GET /api/stats/summary (office and admin): the period's figures for a unit and everything
// below it, with the definitions shown beside the numbers (#shared/stats/summary).
import * as v from 'valibot';

const counts = v.record(v.string(), v.number());

export const SummaryResponse = v.object({
  year: v.number(),
  month: v.optional(v.number()),
  quarter: v.optional(v.number()),
  /** The local dates the period covers, both inclusive. */
  period: v.object({ from: v.string(), to: v.string() }),
  orgUnitId: v.optional(v.string()),
  mediation: v.object({
    accepted: v.number(),
    closed: v.number(),
    resolved: v.number(),
    failed: v.number(),
    terminated: v.number(),
    successRate: v.number(),
    withAgreement: v.number(),
    performed: v.number(),
    performanceRate: v.number(),
    peopleInvolved: v.number(),
    amountInvolved: v.number(),
    byType: counts,
    bySource: counts,
    byReferrer: counts,
    byChannel: counts,
    byOrgUnit: counts,
    byMonth: v.array(v.number()),
  }),
  outreach: v.object({
    sessions: v.number(),
    audience: v.number(),
    byOrgUnit: counts,
    byMonth: v.array(v.number()),
    audienceByMonth: v.optional(v.array(v.number())),
    byTheme: v.optional(counts),
    byForm: v.optional(counts),
    byCampaign: v.optional(counts),
    audienceByCampaign: v.optional(counts),
  }),
  sweeps: v.object({ count: v.number(), zeroReports: v.number(), households: v.number(), disputesFound: v.number() }),
  timeZone: v.optional(v.string()),
  definitions: v.optional(v.record(v.string(), v.string())),
});
export type SummaryResponse = v.InferOutput<typeof SummaryResponse>;
