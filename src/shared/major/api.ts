// The 重大矛盾纠纷 and 典型案例 API (/api/major/*): the office's alerts with their acknowledgement,
// one alert's 快报, and the year's typical cases. Each schema validates and types one message.
import * as v from 'valibot';

const Step = v.object({ stage: v.string(), done: v.boolean(), at: v.optional(v.string()) });

export const Alert = v.object({
  subjectId: v.string(),
  caseNumber: v.nullable(v.string()),
  unitId: v.string(),
  unitName: v.string(),
  disputeType: v.string(),
  summary: v.string(),
  criteria: v.array(v.string()),
  /** When it was flagged, as stated on the phone; the phone's clock when saved; when it reached the server. */
  flaggedAt: v.string(),
  recordedAt: v.string(),
  receivedAt: v.string(),
  stage: v.string(),
  stages: v.array(Step),
  ack: v.nullable(v.object({ at: v.string(), byName: v.string() })),
});
export type Alert = v.InferOutput<typeof Alert>;

export const AlertsResponse = v.object({ alerts: v.array(Alert), open: v.number() });
export type AlertsResponse = v.InferOutput<typeof AlertsResponse>;

/** One alert with what its 快报 prints: the case's facts (parties masked for the desk) and the measures. */
export const FlashReport = v.object({
  alert: Alert,
  unitPath: v.string(),
  acceptedOn: v.nullable(v.string()),
  occurredOn: v.nullable(v.string()),
  occurredPlace: v.nullable(v.string()),
  peopleInvolved: v.nullable(v.number()),
  amountInvolved: v.nullable(v.number()),
  parties: v.array(v.object({ role: v.string(), name: v.string() })),
  mediators: v.array(v.string()),
  risk: v.nullable(v.string()),
  measures: v.nullable(v.string()),
  leader: v.nullable(v.string()),
  responsibleUnit: v.nullable(v.string()),
  transferredTo: v.nullable(v.string()),
  sessions: v.array(v.object({ at: v.string(), content: v.string() })),
});
export type FlashReport = v.InferOutput<typeof FlashReport>;

export const TypicalRequest = v.object({
  typical: v.boolean(),
  title: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, '标题不超过 100 字'))),
  story: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(6000, '案例不超过 6000 字'))),
});

export const TypicalCase = v.object({
  subjectId: v.string(),
  caseNumber: v.nullable(v.string()),
  unitName: v.string(),
  disputeType: v.string(),
  title: v.string(),
  story: v.string(),
  closedOn: v.nullable(v.string()),
  result: v.nullable(v.string()),
});
export type TypicalCase = v.InferOutput<typeof TypicalCase>;

export const TypicalResponse = v.object({ year: v.number(), cases: v.array(TypicalCase) });
export type TypicalResponse = v.InferOutput<typeof TypicalResponse>;
