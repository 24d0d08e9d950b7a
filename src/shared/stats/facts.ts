// The statistics facts of one subject: the row a projection table stores per case, outreach
// activity or sweep (one column each, local dates already resolved), and the only input of
// the summary. The server's projection columns are these facts (services/projection.ts), and
// its GROUP BY rows are counted by the same summarizeFactRows as summarizeFacts(); any
// definition change happens here, once.
import { rollUpDisputeType, type CaseResult, type OutcomeFlag } from '../codes.ts';
import { performanceStatusOf, type CaseState } from '../fold/case.ts';
import type { SubjectState } from '../fold/index.ts';
import type { OutreachState } from '../fold/outreach.ts';
import type { SweepState } from '../fold/sweep.ts';
import { localParts } from '../time.ts';

/** The key of a breakdown when a case lacks the field (its closure arrived before its registration). */
export const UNKNOWN_KEY = 'unknown';

/** 对接渠道: 诉调 / 警调 / 访调 / 复调 by referrer, 主动 / 申请 by source. */
export const CHANNELS = [
  { code: 'court', label: '诉调' },
  { code: 'police', label: '警调' },
  { code: 'petition', label: '访调' },
  { code: 'reconsideration', label: '复调' },
  { code: 'other_referral', label: '其他委托移送' },
  { code: 'self_initiated', label: '主动调解' },
  { code: 'application', label: '当事人申请' },
] as const;
export type Channel = (typeof CHANNELS)[number]['code'];

export interface CaseFacts {
  kind: 'case';
  subjectId: string;
  orgUnitId: string;
  voided: boolean;
  /** Local date (YYYY-MM-DD) of case.opened: 受理. */
  acceptedOn?: string;
  /** Local date of the latest case.closed: 结案, and 化解 when result is success. */
  closedOn?: string;
  result?: CaseResult;
  /** The latest closure has a written or oral agreement. */
  withAgreement: boolean;
  /** The latest case.performed says 已全部履行. */
  performedFull: boolean;
  /** National category 01…99, or UNKNOWN_KEY. */
  disputeType: string;
  /** self_initiated | application | referral:<referrer>, or UNKNOWN_KEY. */
  sourceKey: string;
  channel: Channel | typeof UNKNOWN_KEY;
  peopleInvolved: number;
  /** In fen (分), so sums are exact integers in every order and in SQL. */
  amountCents: number;
  /** 结果标记 now set, each with the local date it was set (it counts in that period); absent when none. */
  outcomes?: { code: OutcomeFlag; on: string }[];
}

export interface OutreachFacts {
  kind: 'outreach';
  subjectId: string;
  orgUnitId: string;
  voided: boolean;
  /** Local date of outreach.recorded; absent until it arrives. */
  heldOn?: string;
  audience: number;
  form?: string;
  themes: string[];
  campaign?: string;
}

export interface SweepFacts {
  kind: 'sweep';
  subjectId: string;
  orgUnitId: string;
  voided: boolean;
  /** Local date of sweep.recorded; absent until it arrives. */
  sweptOn?: string;
  households: number;
  disputesFound: number;
  zeroReport: boolean;
}

export type StatFacts = CaseFacts | OutreachFacts | SweepFacts;

const dateOf = (iso: string | undefined, timeZone: string) => (iso === undefined ? undefined : localParts(iso, timeZone).date);

/** The 来源 key of a case: its source, or 'referral:<referrer>' for 委托移送. */
function sourceKeyOf(state: CaseState): string {
  const o = state.opened;
  if (!o) return UNKNOWN_KEY;
  if (o.source === 'referral') return `referral:${o.referrer ?? 'other'}`;
  return o.source;
}

/** The 对接渠道 of a case (诉调 court, 警调 police, 访调 petition, 复调 reconsideration…). */
export function channelOf(state: CaseState): Channel | typeof UNKNOWN_KEY {
  const o = state.opened;
  if (!o) return UNKNOWN_KEY;
  if (o.source !== 'referral') return o.source;
  const r = o.referrer;
  return r === 'court' || r === 'police' || r === 'petition' || r === 'reconsideration' ? r : 'other_referral';
}

/** The national category (01…99) a case's dispute type rolls up to. */
function typeKeyOf(state: CaseState): string {
  const t = state.opened?.disputeType;
  return (t !== undefined ? rollUpDisputeType(t) : undefined) ?? UNKNOWN_KEY;
}

export function caseFactsOf(state: CaseState, timeZone: string): CaseFacts {
  const closure = state.closure;
  const facts: CaseFacts = {
    kind: 'case',
    subjectId: state.subjectId,
    // A case moved by 更正 counts where it was moved to.
    orgUnitId: state.unitId ?? state.orgUnitId,
    voided: state.voided !== undefined,
    withAgreement: closure !== undefined && closure.agreementForm !== 'none',
    performedFull: performanceStatusOf(state) === 'full',
    disputeType: typeKeyOf(state),
    sourceKey: sourceKeyOf(state),
    channel: channelOf(state),
    peopleInvolved: state.opened?.peopleInvolved ?? 0,
    amountCents: Math.round((state.opened?.amountInvolved ?? 0) * 100),
  };
  if (state.outcomes?.length) facts.outcomes = state.outcomes.map((o) => ({ code: o.code, on: localParts(o.since, timeZone).date }));
  // 受理 is the acceptance date as registered (or corrected); old registrations had only occurredAt.
  const acceptedOn = state.opened?.acceptedOn ?? dateOf(state.openedAt, timeZone);
  if (acceptedOn !== undefined) facts.acceptedOn = acceptedOn;
  if (closure) {
    facts.closedOn = localParts(closure.occurredAt, timeZone).date;
    facts.result = closure.result;
  }
  return facts;
}

export function outreachFactsOf(state: OutreachState, timeZone: string): OutreachFacts {
  const r = state.record;
  const facts: OutreachFacts = {
    kind: 'outreach',
    subjectId: state.subjectId,
    orgUnitId: state.orgUnitId,
    voided: state.voided !== undefined,
    audience: r?.audience ?? 0,
    themes: [...new Set(r?.themes ?? [])].sort(),
  };
  // Without its record an activity has no date, so it counts in no period.
  const heldOn = r ? dateOf(state.occurredAt, timeZone) : undefined;
  if (heldOn !== undefined) facts.heldOn = heldOn;
  if (r) facts.form = r.form;
  if (r?.campaign !== undefined) facts.campaign = r.campaign;
  return facts;
}

export function sweepFactsOf(state: SweepState, timeZone: string): SweepFacts {
  const facts: SweepFacts = {
    kind: 'sweep',
    subjectId: state.subjectId,
    orgUnitId: state.orgUnitId,
    voided: state.voided !== undefined,
    households: state.households,
    disputesFound: state.disputesFound,
    zeroReport: state.zeroReport,
  };
  const sweptOn = state.hasRecorded ? dateOf(state.occurredAt, timeZone) : undefined;
  if (sweptOn !== undefined) facts.sweptOn = sweptOn;
  return facts;
}

/** The statistics row of any subject. */
export function statFactsOf(state: SubjectState, timeZone: string): StatFacts {
  if (state.kind === 'case') return caseFactsOf(state, timeZone);
  if (state.kind === 'outreach') return outreachFactsOf(state, timeZone);
  return sweepFactsOf(state, timeZone);
}
