// GET /api/stats/summary computed in SQL: the store returns GROUP BY aggregates over the
// projection columns for the whole year/period (a few hundred rows at most, whatever the
// number of events), and this module folds them into the shape of the shared reference
// `summarize` for one org unit's subtree. The server tests hold the two equal on the same
// events, so the definitions live in #shared/stats/summary and are only mirrored here.
import { CAMPAIGN_NODES, CASE_SOURCES, DISPUTE_TYPE_CODES, OUTREACH_FORMS, OUTREACH_THEMES, REFERRERS } from '#shared/codes';
import { CHANNELS, periodOf, UNKNOWN_KEY, type PeriodQuery, type Summary } from '#shared/stats/summary';
import type { StatsAggregates } from '../storage/event-store.ts';

export interface StatsScope {
  /** The queried unit and every unit below it. */
  subtree: ReadonlySet<string>;
  /** A unit of the subtree → the child of the queried unit that contains it (undefined for the unit itself). */
  childOf: (orgUnitId: string) => string | undefined;
}

export function monthRangeOf(q: PeriodQuery): { fromMonth: number; toMonth: number } {
  if (q.month !== undefined) return { fromMonth: q.month, toMonth: q.month };
  if (q.quarter !== undefined) return { fromMonth: (q.quarter - 1) * 3 + 1, toMonth: q.quarter * 3 };
  return { fromMonth: 1, toMonth: 12 };
}

const zeros = (codes: readonly string[]): Record<string, number> => Object.fromEntries(codes.map((c) => [c, 0]));
const bump = (r: Record<string, number>, key: string, by: number) => {
  r[key] = (r[key] ?? 0) + by;
};
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const ratio = (n: number, d: number) => (d === 0 ? 0 : round(n / d, 4));
// PostgreSQL answers count/sum over integers as strings (int8): every figure goes through this.
const num = (x: unknown): number => (x === null || x === undefined ? 0 : Number(x));


function channelKey(source: string | null, referrer: string | null): string {
  if (source === null) return UNKNOWN_KEY;
  if (source !== 'referral') return source;
  return referrer === 'court' || referrer === 'police' || referrer === 'petition' || referrer === 'reconsideration' ? referrer : 'other_referral';
}

/** The summary of one subtree from the period's aggregates: the same figures as `summarize`. */
export function summaryFromAggregates(agg: StatsAggregates, q: PeriodQuery, scope: StatsScope): Summary & { orgUnitId?: string } {
  const inScope = (u: string) => scope.subtree.has(u);
  const unitKey = (u: string) => scope.childOf(u) ?? u;
  const mediation: Summary['mediation'] = {
    accepted: 0,
    closed: 0,
    resolved: 0,
    successRate: 0,
    failed: 0,
    terminated: 0,
    byType: zeros(DISPUTE_TYPE_CODES),
    bySource: zeros(CASE_SOURCES.map((s) => s.code)),
    byReferrer: zeros(REFERRERS.map((r) => r.code)),
    byChannel: zeros(CHANNELS.map((c) => c.code)),
    byOrgUnit: {},
    byMonth: new Array<number>(12).fill(0),
    peopleInvolved: 0,
    amountInvolved: 0,
    withAgreement: 0,
    performed: 0,
    performanceRate: 0,
  };
  for (const r of agg.accepted) if (inScope(r.orgUnitId)) mediation.accepted += num(r.accepted);
  let amount = 0;
  for (const r of agg.closed) {
    if (!inScope(r.orgUnitId)) continue;
    const n = num(r.cases);
    mediation.closed += n;
    if (r.result === 'terminated') mediation.terminated += n;
    if (r.result !== 'success') continue;
    mediation.resolved += n;
    bump(mediation.byType, r.disputeType ?? UNKNOWN_KEY, n);
    bump(mediation.bySource, r.source ?? UNKNOWN_KEY, n);
    if (r.source === 'referral') bump(mediation.byReferrer, r.referrer ?? 'other', n);
    bump(mediation.byChannel, channelKey(r.source, r.referrer), n);
    bump(mediation.byOrgUnit, unitKey(r.orgUnitId), n);
    mediation.byMonth[num(r.month) - 1]! += n;
    mediation.peopleInvolved += num(r.peopleInvolved);
    amount += num(r.amountInvolved);
    if (r.agreementForm !== 'none') {
      mediation.withAgreement += n;
      mediation.performed += num(r.performedFull);
    }
  }
  mediation.amountInvolved = round(amount, 2);
  mediation.failed = mediation.closed - mediation.resolved;
  mediation.successRate = ratio(mediation.resolved, mediation.closed);
  mediation.performanceRate = ratio(mediation.performed, mediation.withAgreement);

  const campaigns = CAMPAIGN_NODES.map((c) => c.code);
  const outreach: Summary['outreach'] = {
    sessions: 0,
    audience: 0,
    byOrgUnit: {},
    byMonth: new Array<number>(12).fill(0),
    audienceByMonth: new Array<number>(12).fill(0),
    byTheme: zeros(OUTREACH_THEMES.map((t) => t.code)),
    byForm: zeros(OUTREACH_FORMS.map((f) => f.code)),
    byCampaign: zeros(campaigns),
    audienceByCampaign: zeros(campaigns),
  };
  for (const r of agg.outreach) {
    if (!inScope(r.orgUnitId)) continue;
    const n = num(r.sessions);
    const people = num(r.audience);
    outreach.sessions += n;
    outreach.audience += people;
    bump(outreach.byOrgUnit, unitKey(r.orgUnitId), n);
    outreach.byMonth[num(r.month) - 1]! += n;
    outreach.audienceByMonth[num(r.month) - 1]! += people;
    if (r.form !== null) bump(outreach.byForm, r.form, n);
    if (r.campaign !== null) {
      bump(outreach.byCampaign, r.campaign, n);
      bump(outreach.audienceByCampaign, r.campaign, people);
    }
  }
  for (const r of agg.outreachThemes) if (inScope(r.orgUnitId)) bump(outreach.byTheme, r.theme, num(r.sessions));

  const sweeps: Summary['sweeps'] = { count: 0, zeroReports: 0, households: 0, disputesFound: 0 };
  for (const r of agg.sweeps) {
    if (!inScope(r.orgUnitId)) continue;
    sweeps.count += num(r.count);
    sweeps.zeroReports += num(r.zeroReports);
    sweeps.households += num(r.households);
    sweeps.disputesFound += num(r.disputesFound);
  }

  const summary: Summary = { year: q.year, period: periodOf(q), mediation, outreach, sweeps };
  if (q.month !== undefined) summary.month = q.month;
  else if (q.quarter !== undefined) summary.quarter = q.quarter;
  return summary;
}
