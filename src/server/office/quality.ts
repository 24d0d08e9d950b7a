// Data-quality lists for office staff: what needs chasing before figures are reported —
// cases open more than 30 days, 回访 overdue, resolved cases recorded without an agreement
// form, outreach without photos, implausible audiences, devices silent for 7 days. Each rule
// is a predicate over folded states (the shared folds' isOverdue / isFollowupDue), so the
// lists say exactly what the case screens say. The lists follow the chosen period (withinPeriod).
import { isFollowupDue, isOverdue, type CaseState, type OutreachState } from '#shared/fold/index';
import { localParts } from '#shared/time';
import type { DeviceSyncStatus } from '../storage/event-store.ts';
import type { Store } from '../storage/store.ts';
import { STATE_LIMIT } from './figures.ts';

const SILENT_DEVICE_DAYS = 7;
/** An audience this large for one village or grid session is more likely a typo than a crowd. */
const AUDIENCE_LIMIT_LOCAL = 1500;
/** … and for a town-wide event. */
const AUDIENCE_LIMIT_TOWN = 5000;

interface QualityItem {
  subjectId: string;
  orgUnitId: string;
  orgUnitName: string;
  date: string;
  what: string;
}

export interface QualityReport {
  overdueCases: QualityItem[];
  followupsDue: QualityItem[];
  resolvedWithoutAgreement: QualityItem[];
  outreachWithoutPhotos: QualityItem[];
  audienceOutliers: QualityItem[];
  silentDevices: (DeviceSyncStatus & { lastSeenAt: string | null })[];
}

export interface QualityContext {
  now: Date;
  timeZone: string;
  unitName: (id: string) => string;
  /** Whether a unit is a village/community/grid (local) rather than the town or county. */
  isLocal: (id: string) => boolean;
}

/** Pure: the lists from the states of the year and the year before, and the devices. */
function qualityOf(cases: readonly CaseState[], outreach: readonly OutreachState[], devices: readonly DeviceSyncStatus[], ctx: QualityContext): QualityReport {
  const nowIso = ctx.now.toISOString();
  const date = (iso: string | undefined) => (iso ? localParts(iso, ctx.timeZone).date : '');
  const item = (s: { subjectId: string; orgUnitId: string }, at: string | undefined, what: string): QualityItem => ({
    subjectId: s.subjectId,
    orgUnitId: s.orgUnitId,
    orgUnitName: ctx.unitName(s.orgUnitId),
    date: date(at),
    what,
  });
  const label = (c: CaseState) => `${c.caseNumber ?? '待编号'} ${c.opened?.summary ?? ''}`.trim();
  const live = cases.filter((c) => c.status !== 'voided');
  const report: QualityReport = {
    overdueCases: live.filter((c) => isOverdue(c, nowIso)).map((c) => item(c, c.openedAt, label(c))),
    followupsDue: live.filter((c) => isFollowupDue(c, nowIso, ctx.timeZone)).map((c) => item(c, c.closure?.occurredAt, label(c))),
    resolvedWithoutAgreement: live
      .filter((c) => c.status === 'closed' && c.closure?.result === 'success' && c.closure.agreementForm === 'none')
      .map((c) => item(c, c.closure?.occurredAt, label(c))),
    outreachWithoutPhotos: outreach
      .filter((o) => !o.voided && o.record && (o.record.photos?.length ?? 0) === 0)
      .map((o) => item(o, o.occurredAt, o.record?.title ?? '')),
    audienceOutliers: outreach
      .filter((o) => !o.voided && o.record && o.record.audience > (ctx.isLocal(o.orgUnitId) ? AUDIENCE_LIMIT_LOCAL : AUDIENCE_LIMIT_TOWN))
      .map((o) => item(o, o.occurredAt, `${o.record?.title ?? ''}：${o.record?.audience ?? 0} 人次`)),
    silentDevices: devices
      .map((d) => ({
        ...d,
        lastSeenAt:
          [d.lastPushAt, d.lastPullAt]
            .filter((x): x is string => x !== null)
            .sort()
            .at(-1) ?? null,
      }))
      .filter((d) => d.lastSeenAt === null || ctx.now.getTime() - Date.parse(d.lastSeenAt) > SILENT_DEVICE_DAYS * 86_400_000),
  };
  const byDate = (a: QualityItem, b: QualityItem) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  for (const list of [report.overdueCases, report.followupsDue, report.resolvedWithoutAgreement, report.outreachWithoutPhotos, report.audienceOutliers])
    list.sort(byDate);
  return report;
}

/** A chosen period as local dates, both inclusive (#shared/stats/summary periodOf). */
export interface QualityPeriod {
  from: string;
  to: string;
}

/**
 * The lists for one period: what happened in it (closed, held) — and, for cases still open past
 * 30 days, every one opened up to its end, since an open case from before is still to chase.
 */
function withinPeriod(report: QualityReport, period: QualityPeriod): QualityReport {
  const inside = (i: QualityItem) => i.date >= period.from && i.date <= period.to;
  return {
    ...report,
    overdueCases: report.overdueCases.filter((i) => i.date <= period.to),
    followupsDue: report.followupsDue.filter(inside),
    resolvedWithoutAgreement: report.resolvedWithoutAgreement.filter(inside),
    outreachWithoutPhotos: report.outreachWithoutPhotos.filter(inside),
    audienceOutliers: report.audienceOutliers.filter(inside),
  };
}

/** Loads the year's and the previous year's cases (an open case from last December is still due), the year's outreach, the devices. */
export async function loadQuality(store: Store, units: readonly string[], year: number, ctx: QualityContext, period?: QualityPeriod): Promise<QualityReport> {
  const whole = { fromMonth: 1, toMonth: 12, units, limit: STATE_LIMIT };
  const [openedNow, openedBefore, closedNow, outreach, devices] = await Promise.all([
    store.listCases({ ...whole, year, basis: 'opened' }),
    store.listCases({ ...whole, year: year - 1, basis: 'opened' }),
    store.listCases({ ...whole, year, basis: 'closed' }),
    store.listOutreach({ ...whole, year }),
    store.listDevices(units),
  ]);
  const cases = new Map<string, CaseState>();
  for (const c of [...openedBefore.items, ...openedNow.items, ...closedNow.items]) cases.set(c.subjectId, c);
  const report = qualityOf([...cases.values()], outreach.items, devices, ctx);
  return period ? withinPeriod(report, period) : report;
}
