// A case's summary: the few fields a list row shows, filters and searches on, derived from its
// folded state and kept in the 'summaries' store beside the record, in the same transaction.
// Lists read summaries by index (a screen at a time); the detail reads the whole record.
// A pure function of the state and the record's sync flags, so a rebuild always agrees.
import { rollUpDisputeType, type CaseStatus } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import { followupDueDate, performanceDueDate, type DueKind } from '#shared/fold/due';

/** Bumped when CaseSummary changes shape: summaries are then rebuilt from the records on start. */
export const SUMMARY_VERSION = 2;

const DAY_MS = 86_400_000;

export interface CaseSummary {
  subjectId: string;
  kind: 'case';
  /** The case's home unit (every event's envelope) and where it belongs now (after a 更正). */
  orgUnitId: string;
  unitId: string;
  status: CaseStatus;
  reopened: boolean;
  hasOpened: boolean;
  /** Whether a mediation session is recorded: an open case without one reads 待调解, not 调解中. */
  mediated: boolean;
  closure?: { result: string };
  caseNumber?: string;
  disputeType?: string;
  /** The national category the type rolls up to ('' when none): the list's type filter. */
  typeGroup: string;
  openedAt?: string;
  acceptedOn?: string;
  /** Date.parse of openedAt, else of the first event. */
  openedMs: number;
  /** −openedMs: an ascending index read is the list's "newest first" in one request. */
  newestFirst: number;
  names: string[];
  /** Phone numbers as digits only ("138 0000 0001" → "13800000001"). */
  phones: string[];
  /** 纠纷简要情况: searched by a scan after the indexed terms (free text has no index). */
  about: string;
  /** Every suffix of each name, phone number and the case number: an index prefix match is a substring match. */
  terms: string[];
  conflicts: number;
  followupDue?: string;
  performanceDue?: string;
  /** The earliest of the two, and which it is. */
  dueDate?: string;
  dueKind?: DueKind;
  /** From this instant an open case is 超过 30 天未结 (isOverdue); absent when it cannot be. */
  overdueFromMs?: number;
  sweepId?: string;
  pending: boolean;
  rejected: boolean;
  updatedAt: number;
}

/** Every suffix of `text` at least `min` long. */
function suffixes(text: string, into: Set<string>, min = 1): void {
  for (let i = 0; i <= text.length - min; i++) into.add(text.slice(i));
}

/** Digits of a phone number as typed or said: spaces and dashes go. */
export function phoneDigits(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export function summarizeCase(state: CaseState, flags: { pending?: boolean; rejected?: boolean; updatedAt: number }): CaseSummary {
  const parties = state.opened?.parties ?? [];
  const names = parties.map((p) => p.name);
  const phones = parties.flatMap((p) => (p.phone ? [phoneDigits(p.phone)] : []));
  const terms = new Set<string>();
  for (const n of names) suffixes(n, terms);
  // A phone search needs three digits (matchesSummary): shorter tails would only fill the index.
  for (const p of phones) suffixes(p, terms, 3);
  if (state.caseNumber) suffixes(state.caseNumber, terms);
  const openedMs = Date.parse(state.openedAt ?? state.firstEventAt) || 0;
  const summary: CaseSummary = {
    subjectId: state.subjectId,
    kind: 'case',
    orgUnitId: state.orgUnitId,
    unitId: state.unitId ?? state.orgUnitId,
    status: state.status,
    reopened: state.reopened,
    hasOpened: state.hasOpened,
    mediated: state.sessions.length > 0,
    typeGroup: rollUpDisputeType(state.opened?.disputeType ?? '') ?? '',
    openedMs,
    newestFirst: -openedMs,
    names,
    phones,
    about: state.opened?.summary ?? '',
    terms: [...terms],
    conflicts: state.conflicts.length,
    pending: flags.pending === true,
    rejected: flags.rejected === true,
    updatedAt: flags.updatedAt,
  };
  if (state.closure) summary.closure = { result: state.closure.result };
  if (state.caseNumber) summary.caseNumber = state.caseNumber;
  if (state.opened?.disputeType) summary.disputeType = state.opened.disputeType;
  if (state.openedAt) summary.openedAt = state.openedAt;
  if (state.acceptedOn) summary.acceptedOn = state.acceptedOn;
  if (state.opened?.sweepId) summary.sweepId = state.opened.sweepId;
  const followup = followupDueDate(state);
  const performance = performanceDueDate(state);
  if (followup) summary.followupDue = followup;
  if (performance) summary.performanceDue = performance;
  // Ties go to 回访, as dueItems orders kinds.
  if (followup && (!performance || followup <= performance)) Object.assign(summary, { dueDate: followup, dueKind: 'followup' });
  else if (performance) Object.assign(summary, { dueDate: performance, dueKind: 'performance' });
  if (state.status === 'open' && state.openedAt) {
    // isOverdue: more than 30 whole days since the acceptance, at the registration's time of day.
    const from = Date.parse(state.acceptedOn ? `${state.acceptedOn}${state.openedAt.slice(10)}` : state.openedAt);
    if (!Number.isNaN(from)) summary.overdueFromMs = from + 31 * DAY_MS;
  }
  return summary;
}

export interface CaseFilter {
  /** 'open' | 'closed' | 'voided' | 'pending' | '' (all). */
  status: string;
  /** A national category code, or ''. */
  type: string;
  text: string;
}

/**
 * Whether a summary passes the filters: `units` (a village with its grids) when given; the
 * text in a party's name, a phone number (three digits or more, typed with spaces or dashes),
 * the case number or, with `withAbout`, the 纠纷简要情况.
 */
export function matchesSummary(s: CaseSummary, f: CaseFilter, units?: ReadonlySet<string>, withAbout = true): boolean {
  if (f.status === 'pending' ? !s.pending : f.status && s.status !== f.status) return false;
  if (f.type && s.typeGroup !== f.type) return false;
  if (units && !units.has(s.unitId)) return false;
  const q = f.text.trim();
  if (!q) return true;
  if (s.names.some((n) => n.includes(q))) return true;
  const digits = phoneDigits(q);
  if (/^\+?\d{3,}$/.test(digits) && s.phones.some((p) => p.includes(digits))) return true;
  if (s.caseNumber?.includes(q)) return true;
  return withAbout && s.about.includes(q);
}
