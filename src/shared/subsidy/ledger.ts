// The 以案定补 ledger of one month: per mediator, the cases paid this month with grade and amount,
// and the cases not (yet) paid with the reasons, from the cases' folded states and the town's
// rules. Pure, so the server (both stores) and the tests compute the same ledger.
//
// A case is paid once, in the month its last required condition was met (its "qualifying
// month", local time), or, when that month was already approved without it (a 回访 recorded
// late), in the first month after that is not approved yet: an approved month never changes.
import type { CaseState } from '../fold/case.ts';
import { localDateOf } from '../time.ts';
import type { LedgerCase, MediatorLedger, SubsidyLedger } from './api.ts';
import type { SubsidyGrade } from './grades.ts';
import type { SubsidyRules } from './rules.ts';

/** Why a case is not paid this month; the labels every screen and export shows. */
export const LEDGER_REASONS = {
  not_success: '调解未成功',
  no_agreement: '未达成调解协议',
  file_incomplete: '卷宗不完整（缺调解记录或协议内容）',
  not_performed: '协议未履行完毕',
  no_followup: '未回访',
  oral_excluded: '口头协议不予补助',
  oral_unsigned: '口头协议缺当事人签名',
  oral_no_followup: '口头协议缺回访记录',
} as const;
export type LedgerReason = keyof typeof LEDGER_REASONS;

const NO_MEDIATOR = '（未填调解员）';

export interface LedgerInput {
  year: number;
  month: number;
  cases: readonly CaseState[];
  rules: SubsidyRules;
  /** Months of this unit already approved, as 'YYYY-MM'. */
  approvedMonths: ReadonlySet<string>;
  /** Cases paid in an approved month. */
  paid: ReadonlySet<string>;
  /** The display name of whoever recorded the registration. */
  recorderOf: (subjectId: string) => string | undefined;
  timeZone: string;
}

interface Condition {
  reason: LedgerReason;
  /** When it was met (ISO instant); undefined: not met. */
  metAt: string | undefined;
}

const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;
const nextMonth = (key: string) => {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return m === 12 ? monthKey(y + 1, 1) : monthKey(y, m + 1);
};
const latest = (instants: readonly string[]) => instants.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** The conditions the rules ask of a closed case, each with when it was met. */
function conditionsOf(state: CaseState, rules: SubsidyRules): Condition[] {
  const c = state.closure!;
  const closedAt = Date.parse(c.occurredAt);
  const out: Condition[] = [{ reason: 'not_success', metAt: c.result === 'success' ? c.occurredAt : undefined }];
  out.push({ reason: 'no_agreement', metAt: c.agreementForm !== 'none' ? c.occurredAt : undefined });
  const followupAt = state.followups.find((f) => Date.parse(f.occurredAt) >= closedAt)?.occurredAt;
  if (rules.requireCompleteFile) {
    const hasTerms = c.agreementForm === 'none' || (c.terms ?? '').trim() !== '';
    const firstSession = state.sessions[0]?.occurredAt;
    out.push({ reason: 'file_incomplete', metAt: state.hasOpened && hasTerms && firstSession ? latest([firstSession, c.occurredAt]) : undefined });
  }
  if (rules.requirePerformed) {
    const last = state.performances[state.performances.length - 1];
    out.push({ reason: 'not_performed', metAt: last?.status === 'full' ? last.occurredAt : undefined });
  }
  if (rules.requireFollowup) out.push({ reason: 'no_followup', metAt: followupAt });
  if (c.agreementForm === 'oral') {
    if (rules.oralAgreement === 'excluded') out.push({ reason: 'oral_excluded', metAt: undefined });
    if (rules.oralAgreement === 'signed') {
      const signed = state.signings.find((s) => s.signatures.some((x) => x.role === 'party'));
      out.push({ reason: 'oral_unsigned', metAt: signed?.occurredAt });
    }
    if (rules.oralAgreement === 'followup') out.push({ reason: 'oral_no_followup', metAt: followupAt });
  }
  return out;
}

/** The grade a case is paid at: the office's, else the mediator's proposal, else 重大 when flagged so, else 一般. */
function gradeOf(state: CaseState): { grade: SubsidyGrade; source: LedgerCase['gradeSource'] } {
  if (state.grade?.set) return { grade: state.grade.set.grade, source: 'office' };
  if (state.grade?.proposed) return { grade: state.grade.proposed.grade, source: 'proposed' };
  if (state.major?.flagged) return { grade: 'major', source: 'major_flag' };
  return { grade: 'general', source: 'default' };
}

/** Who mediated, main mediator first: the registration's names, else the first 调解记录's. */
function mediatorsOf(state: CaseState): string[] {
  const named = state.opened?.mediators?.filter((n) => n.trim() !== '');
  if (named && named.length > 0) return named;
  return state.sessions.find((s) => (s.mediators ?? []).length > 0)?.mediators ?? [];
}

export function buildSubsidyLedger(input: LedgerInput): SubsidyLedger {
  const { year, month, rules, timeZone } = input;
  const here = monthKey(year, month);
  // Pending cases closed up to a year before stay listed (a 回访 may still come); older ones drop off.
  const oldest = monthKey(year - 1, month);
  const byMediator = new Map<string, MediatorLedger>();
  const monthOf = (iso: string) => localDateOf(iso, timeZone).slice(0, 7);
  for (const state of input.cases) {
    const c = state.closure;
    if (state.status !== 'closed' || !c || !state.hasOpened || input.paid.has(state.subjectId)) continue;
    const closedMonth = monthOf(c.occurredAt);
    if (closedMonth > here) continue;
    const conditions = conditionsOf(state, rules);
    const allMet = conditions.every((x) => x.metAt !== undefined);
    const qualifiedAt = allMet ? latest(conditions.map((x) => x.metAt!)) : undefined;
    let row: 'qualifying' | 'pending' | undefined;
    if (qualifiedAt !== undefined && monthOf(qualifiedAt) <= here) {
      // Paid in the first month from its qualifying month that is not approved yet.
      let due = monthOf(qualifiedAt);
      while (input.approvedMonths.has(due) && due < here) due = nextMonth(due);
      if (due === here) row = 'qualifying';
    } else if (closedMonth === here || (c.result === 'success' && closedMonth >= oldest)) {
      row = 'pending';
    }
    if (!row) continue;
    const { grade, source } = gradeOf(state);
    const mediators = mediatorsOf(state);
    const unmet = row === 'qualifying' ? [] : conditions.filter((x) => x.metAt === undefined || monthOf(x.metAt) > here).map((x) => x.reason);
    // A failed mediation, or one without an agreement, is never paid: that one reason says it all.
    const final = unmet.find((r) => r === 'not_success' || r === 'no_agreement');
    const reasons = final ? [final] : unmet;
    const item: LedgerCase = {
      subjectId: state.subjectId,
      caseNumber: state.caseNumber ?? null,
      unitId: state.unitId ?? state.orgUnitId,
      disputeType: state.opened?.disputeSubtype ?? state.opened?.disputeType ?? '',
      mediators,
      recorder: input.recorderOf(state.subjectId) ?? null,
      grade,
      gradeSource: source,
      agreementForm: c.agreementForm,
      closedOn: localDateOf(c.occurredAt, timeZone),
      qualifiedOn: row === 'qualifying' && qualifiedAt ? localDateOf(qualifiedAt, timeZone) : null,
      amount: row === 'qualifying' ? rules.amounts[grade] : 0,
      reasons,
    };
    const name = mediators[0] ?? NO_MEDIATOR;
    const entry = byMediator.get(name) ?? { mediator: name, qualifying: [], pending: [], amount: 0 };
    entry[row].push(item);
    entry.amount += item.amount;
    byMediator.set(name, entry);
  }
  const byDate = (a: LedgerCase, b: LedgerCase) =>
    (a.qualifiedOn ?? a.closedOn).localeCompare(b.qualifiedOn ?? b.closedOn) || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0);
  const mediators = [...byMediator.values()].sort((a, b) => a.mediator.localeCompare(b.mediator, 'zh-CN'));
  for (const m of mediators) {
    m.qualifying.sort(byDate);
    m.pending.sort(byDate);
  }
  return {
    year,
    month,
    mediators,
    qualifying: mediators.reduce((n, m) => n + m.qualifying.length, 0),
    pending: mediators.reduce((n, m) => n + m.pending.length, 0),
    amount: mediators.reduce((n, m) => n + m.amount, 0),
  };
}

/** The cases a ledger pays: what an approval freezes as paid. */
export function paidIn(ledger: SubsidyLedger): string[] {
  return ledger.mediators.flatMap((m) => m.qualifying.map((c) => c.subjectId));
}
