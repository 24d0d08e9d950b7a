// Plausibility of a record, beyond its schema: dates that cannot be true yet (after today), a
// 履行期限 before the agreement, a dispute that arose after it was accepted. One module for the
// phone (before saving, so the worker fixes it at the field) and the server's push (which
// quarantines what breaks a hard rule as `implausible`), so a phone with a clock at 2099 never
// gets a case numbered "（2099）…第001号".
//
// Two severities: `refuse` for what cannot be true, `confirm` for what is odd but happens in
// real cases (the phone asks once; the server takes it):
// - a session or closure dated before the 受理日期: 现场调解 is often registered afterwards;
// - more disputes found than households visited: one household can have several disputes, and
//   a worker hears of disputes on the way (集市, 村口) without a visit;
// - an outreach activity reaching far more people than its form usually does, or handing out
//   more materials or answering more questions than it reached people.
import * as v from 'valibot';
import { OUTREACH_FORMS } from './codes.ts';
import { LocalDate } from './events.ts';

export type Severity = 'refuse' | 'confirm';

export interface Finding {
  /** Where the problem is, as the schema's issues name it: "occurredAt", "data.performanceDeadline". */
  path: string;
  message: string;
  severity: Severity;
}

/** Clock and zone slack: a date up to this far after now is still taken as today. */
const FUTURE_MARGIN_MS = 24 * 60 * 60 * 1000;
/** Earliest plausible date of any record (the case-number years start at 2000). */
const EARLIEST_DATE = '2000-01-01';

/** What the rules read: the type, the instant and the data of an event as made or pushed. */
export interface Checked {
  type: string;
  occurredAt: string;
  data: unknown;
}

export interface Context {
  now: Date;
  /**
   * The user's own today (YYYY-MM-DD), where the check runs on the phone they write on: a date
   * after it is refused at the field. The server does not know the phone's day and keeps the
   * margin (a phone's zone, a clock a day fast), so a record made on such a phone still goes in.
   */
  today?: string | undefined;
  /** 受理日期 of the case an action is about, when known (the phone knows it; a push may not). */
  acceptedOn?: string | undefined;
}

/** A sweep dated more days back than this is asked about (a late entry is possible, a stale date picker likelier). */
const OLD_SWEEP_DAYS = 60;

/** The written (wall-clock) date of an instant: the day as the user stated it. */
const writtenDate = (iso: string): string => iso.slice(0, 10);

// The latest date that may be "today" somewhere (UTC+14) at now plus the margin.
function latestToday(now: Date): string {
  return new Date(now.getTime() + FUTURE_MARGIN_MS + 14 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

function dateRules(path: string, label: string, date: string | undefined, ctx: Context): Finding[] {
  if (date === undefined || !v.is(LocalDate, date)) return [];
  if (date > (ctx.today ?? latestToday(ctx.now))) return [{ path, message: `${label}晚于今天，请核对（手机的日期是否正确）`, severity: 'refuse' }];
  if (date < EARLIEST_DATE) return [{ path, message: `${label}早于 2000 年，请核对`, severity: 'refuse' }];
  return [];
}

const DATE_LABELS: Record<string, string> = {
  'case.opened': '受理日期',
  'case.updated': '更正日期',
  'case.session': '调解日期',
  'case.closed': '结案日期',
  'case.reopened': '日期',
  'case.performed': '履行日期',
  'case.followup': '回访日期',
  'case.voided': '日期',
  'outreach.recorded': '活动日期',
  'outreach.updated': '日期',
  'outreach.voided': '日期',
  'sweep.recorded': '排查日期',
  'sweep.voided': '日期',
};

/** The registration's own dates (case.opened data, or a correction's changes). */
function registrationRules(prefix: string, d: Record<string, unknown>, acceptedFallback: string | undefined, ctx: Context): Finding[] {
  const accepted = typeof d.acceptedOn === 'string' ? d.acceptedOn : acceptedFallback;
  const arose = typeof d.occurredOn === 'string' ? d.occurredOn : undefined;
  const out = [
    ...dateRules(`${prefix}.acceptedOn`, '受理日期', typeof d.acceptedOn === 'string' ? d.acceptedOn : undefined, ctx),
    ...dateRules(`${prefix}.occurredOn`, '纠纷发生日期', arose, ctx),
  ];
  if (arose && accepted && v.is(LocalDate, arose) && v.is(LocalDate, accepted) && arose > accepted) {
    out.push({ path: `${prefix}.occurredOn`, message: '纠纷发生日期不能晚于受理日期', severity: 'refuse' });
  }
  return out;
}

/**
 * The most people one activity of a form usually reaches: a 院坝会 is a village yard, a 赶场 a
 * market day. Above it the phone asks once (a slip of the thumb, 50000 for 500, goes straight
 * into the township's 宣传群众 figure); a real big event is confirmed and taken. 线上宣传 has
 * no ceiling: a post can be read by anyone.
 */
const USUAL_AUDIENCE: Partial<Record<string, number>> = {
  courtyard: 500,
  consultation: 500,
  lecture: 2000,
  case_explained: 2000,
  market: 5000,
  performance: 5000,
  other: 5000,
  leaflets: 10000,
};
/** Materials handed out per person reached, above which the count is asked about. */
const MATERIALS_PER_PERSON = 10;

function outreachCountRules(data: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  const audience = typeof data.audience === 'number' ? data.audience : undefined;
  if (audience === undefined) return out;
  const form = OUTREACH_FORMS.find((f) => f.code === data.form);
  const usual = form ? USUAL_AUDIENCE[form.code] : undefined;
  if (form && usual !== undefined && audience > usual) {
    out.push({
      path: 'data.audience',
      message: `受众人次（${audience}）远多于一场${form.label}的常见规模（通常不超过 ${usual} 人次），请确认`,
      severity: 'confirm',
    });
  }
  if (typeof data.consultations === 'number' && data.consultations > audience) {
    out.push({ path: 'data.consultations', message: `解答咨询（${data.consultations} 人次）多于受众人次（${audience}），请确认`, severity: 'confirm' });
  }
  if (typeof data.materials === 'number' && data.materials > 1000 && data.materials > audience * MATERIALS_PER_PERSON) {
    out.push({ path: 'data.materials', message: `发放资料（${data.materials} 份）超过受众每人 ${MATERIALS_PER_PERSON} 份，请确认`, severity: 'confirm' });
  }
  return out;
}

/** Every finding about one event; empty when it is plausible. */
export function plausibilityOf(event: Checked, ctx: Context): Finding[] {
  const label = DATE_LABELS[event.type];
  // Office ledger entries are written by the server; the office route checks their dates (not after today, not before 2000).
  if (label === undefined) return [];
  const out = dateRules('occurredAt', label, writtenDate(event.occurredAt), ctx);
  const data = (event.data && typeof event.data === 'object' ? event.data : {}) as Record<string, unknown>;
  const day = writtenDate(event.occurredAt);
  switch (event.type) {
    case 'case.opened':
      // The registration's occurredAt is its acceptance when acceptedOn is not given.
      // The registration's occurredAt is its acceptance when acceptedOn is not given; the same
      // date is not reported twice.
      out.push(...registrationRules('data', data, day, ctx).filter((f) => !(f.path === 'data.acceptedOn' && data.acceptedOn === day)));
      break;
    case 'case.updated': {
      const changes = (data.changes && typeof data.changes === 'object' ? data.changes : {}) as Record<string, unknown>;
      out.push(...registrationRules('data.changes', changes, ctx.acceptedOn, ctx));
      break;
    }
    case 'case.session':
    case 'case.closed':
      if (ctx.acceptedOn && day < ctx.acceptedOn) {
        out.push({ path: 'occurredAt', message: `${label}早于受理日期（${ctx.acceptedOn}），是否先调解后登记？`, severity: 'confirm' });
      }
      if (event.type === 'case.closed' && typeof data.performanceDeadline === 'string' && data.performanceDeadline < day) {
        out.push({ path: 'data.performanceDeadline', message: '履行期限不能早于结案日期', severity: 'refuse' });
      }
      // An agreement is what a successful mediation ends in: a failed or ended one with 书面/口头协议
      // would be counted among the agreements and print a 协议书 for a dispute left unresolved.
      if (event.type === 'case.closed' && (data.agreementForm === 'written' || data.agreementForm === 'oral')) {
        const without = data.result === 'failure' ? '调解不成功' : data.result === 'terminated' ? '终止调解' : undefined;
        if (without) out.push({ path: 'data.agreementForm', message: `${without}时没有调解协议，协议形式请选“无协议”`, severity: 'refuse' });
      }
      break;
    case 'outreach.recorded':
      if (typeof data.endsAt === 'string' && Date.parse(data.endsAt) < Date.parse(event.occurredAt)) {
        out.push({ path: 'data.endsAt', message: '结束时间不能早于开始时间', severity: 'refuse' });
      }
      out.push(...outreachCountRules(data));
      break;
    case 'sweep.recorded': {
      // A sweep is this month's field work: one dated months back is usually a date picker left on
      // an old day (and sinks to the bottom of 最近排查), sometimes a late entry: asked, not refused.
      const today = ctx.today ?? ctx.now.toISOString().slice(0, 10);
      const daysBack = v.is(LocalDate, day) ? Math.round((Date.parse(today) - Date.parse(day)) / 86_400_000) : 0;
      if (daysBack > OLD_SWEEP_DAYS && day >= EARLIEST_DATE) {
        out.push({ path: 'occurredAt', message: `排查日期（${day}）是 ${daysBack} 天前，请核对；补录以前的排查请点“仍然保存”`, severity: 'confirm' });
      }
      if (typeof data.households === 'number' && typeof data.disputesFound === 'number' && data.disputesFound > data.households) {
        out.push({ path: 'data.disputesFound', message: `发现纠纷数（${data.disputesFound}）多于走访户数（${data.households}），请确认`, severity: 'confirm' });
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** The findings that stop a record: the server quarantines an event with any of them. */
export function refusalsOf(event: Checked, ctx: Context): Finding[] {
  return plausibilityOf(event, ctx).filter((f) => f.severity === 'refuse');
}
