// The 以案定补 ledger rules (#shared/subsidy/ledger) on hand-made cases: what qualifies, the
// reason a case does not, the grade and amount, month edges in local time, and that a case
// whose qualifying month was approved without it is paid in the next open month, once.
import { describe, expect, test } from 'vitest';
import { foldCase, type CaseState } from '#shared/fold/index';
import type { DomainEvent } from '#shared/events';
import { buildSubsidyLedger, paidIn, type LedgerInput } from '#shared/subsidy/ledger';
import { DEFAULT_SUBSIDY_RULES, type SubsidyRules } from '#shared/subsidy/rules';
import { closed, makeEvent, opened, uuid } from '../support/builders.ts';

const TZ = 'Asia/Shanghai';

/** A case through its whole file: registration, a session, a written agreement, performed, followed up. */
function fileOf(
  n: number,
  o: {
    mediators?: string[];
    closedAt?: string;
    performedAt?: string | null;
    followupAt?: string | null;
    agreement?: 'written' | 'oral' | 'none';
    session?: boolean;
    terms?: boolean;
    result?: 'success' | 'failure';
  } = {},
): DomainEvent[] {
  const s = { subjectId: uuid(n) };
  const closedAt = o.closedAt ?? '2024-03-10T10:00:00+08:00';
  const events = [opened('2024-03-01T09:00:00+08:00', s, { mediators: o.mediators ?? ['王调解'] })];
  if (o.session !== false) events.push(makeEvent('case.session', '2024-03-05T10:00:00+08:00', { content: '分别听取双方陈述' }, s));
  const agreement = o.agreement ?? 'written';
  events.push(
    closed(closedAt, o.result ?? 'success', s, {
      agreementForm: agreement,
      ...(o.terms === false || agreement === 'none' ? {} : { terms: '李四赔偿 2000 元' }),
    }),
  );
  if (o.performedAt !== null) events.push(makeEvent('case.performed', o.performedAt ?? '2024-03-15T10:00:00+08:00', { status: 'full' }, s));
  if (o.followupAt !== null) events.push(makeEvent('case.followup', o.followupAt ?? '2024-03-20T10:00:00+08:00', { mode: 'phone' }, s));
  return events;
}

const stateOf = (events: DomainEvent[]): CaseState => foldCase(events)!;

function ledger(cases: CaseState[], over: Partial<LedgerInput> = {}) {
  return buildSubsidyLedger({
    year: 2024,
    month: 3,
    cases,
    rules: DEFAULT_SUBSIDY_RULES,
    approvedMonths: new Set(),
    paid: new Set(),
    recorderOf: () => '录入员甲',
    timeZone: TZ,
    ...over,
  });
}

const rows = (l: ReturnType<typeof ledger>) => l.mediators.flatMap((m) => [...m.qualifying, ...m.pending]);
const reasonsOf = (l: ReturnType<typeof ledger>, n: number) => rows(l).find((c) => c.subjectId === uuid(n))?.reasons;

describe('以案定补 ledger', () => {
  test('a complete, successful, performed and followed-up case is paid at its grade, under its mediator, with its recorder', () => {
    const l = ledger([stateOf(fileOf(1))]);
    expect(l).toMatchObject({ qualifying: 1, pending: 0, amount: 100 });
    expect(l.mediators[0]).toMatchObject({ mediator: '王调解', amount: 100 });
    expect(l.mediators[0]?.qualifying[0]).toMatchObject({
      grade: 'general',
      gradeSource: 'default',
      qualifiedOn: '2024-03-20',
      recorder: '录入员甲',
      reasons: [],
    });
  });

  test('each missing condition is the reason the case is not paid', () => {
    const l = ledger([
      stateOf(fileOf(1, { followupAt: null })),
      stateOf(fileOf(2, { performedAt: null })),
      stateOf(fileOf(3, { session: false })),
      stateOf(fileOf(4, { result: 'failure', agreement: 'none' })),
      stateOf(fileOf(5, { terms: false })),
    ]);
    expect(l.qualifying).toBe(0);
    expect(reasonsOf(l, 1)).toEqual(['no_followup']);
    expect(reasonsOf(l, 2)).toEqual(['not_performed']);
    expect(reasonsOf(l, 3)).toEqual(['file_incomplete']);
    expect(reasonsOf(l, 4)).toEqual(['not_success']);
    expect(reasonsOf(l, 5)).toEqual(['file_incomplete']);
  });

  test('a condition the rules do not ask for is not a reason', () => {
    const rules: SubsidyRules = { ...DEFAULT_SUBSIDY_RULES, requireFollowup: false, requirePerformed: false };
    const l = ledger([stateOf(fileOf(1, { followupAt: null, performedAt: null }))], { rules });
    expect(l.qualifying).toBe(1);
    expect(l.mediators[0]?.qualifying[0]?.qualifiedOn).toBe('2024-03-10');
  });

  test('an oral agreement counts only with the evidence the rules require', () => {
    const oral = fileOf(1, { agreement: 'oral' });
    const img = { sha256: 'a'.repeat(64), mime: 'image/png' as const, size: 900 };
    const signed = [
      ...oral,
      makeEvent('case.signed', '2024-03-11T10:00:00+08:00', { signatures: [{ role: 'party', name: '张三丰', image: img }] }, { subjectId: uuid(1) }),
    ];
    expect(reasonsOf(ledger([stateOf(oral)]), 1)).toEqual(['oral_unsigned']);
    expect(ledger([stateOf(signed)]).qualifying).toBe(1);
    expect(reasonsOf(ledger([stateOf(signed)], { rules: { ...DEFAULT_SUBSIDY_RULES, oralAgreement: 'excluded' } }), 1)).toEqual(['oral_excluded']);
    expect(ledger([stateOf(oral)], { rules: { ...DEFAULT_SUBSIDY_RULES, oralAgreement: 'followup' } }).qualifying).toBe(1);
    expect(ledger([stateOf(oral)], { rules: { ...DEFAULT_SUBSIDY_RULES, oralAgreement: 'counted' } }).qualifying).toBe(1);
  });

  test('the office’s grade beats the mediator’s proposal, which beats the 重大 flag; the amount follows the grade', () => {
    const s = { subjectId: uuid(1) };
    const major = makeEvent('case.major', '2024-03-02T10:00:00+08:00', { flagged: true, criteria: ['many_people'] }, s);
    const proposed = makeEvent('case.grade_proposed', '2024-03-12T10:00:00+08:00', { grade: 'difficult' }, s);
    const set = makeEvent('case.graded', '2024-03-25T10:00:00+08:00', { grade: 'general' }, s);
    const first = (events: DomainEvent[]) => ledger([stateOf(events)]).mediators[0]?.qualifying[0];
    expect(first([...fileOf(1), major])).toMatchObject({ grade: 'major', gradeSource: 'major_flag', amount: 500 });
    expect(first([...fileOf(1), major, proposed])).toMatchObject({ grade: 'difficult', gradeSource: 'proposed', amount: 200 });
    expect(first([...fileOf(1), major, proposed, set])).toMatchObject({ grade: 'general', gradeSource: 'office', amount: 100 });
  });

  test('the qualifying month is local: a 回访 at 23:30 on 31 March (+08:00) sent as UTC counts in March', () => {
    const l = ledger([stateOf(fileOf(1, { followupAt: '2024-03-31T15:30:00Z' }))]);
    expect(l.qualifying).toBe(1);
    expect(ledger([stateOf(fileOf(1, { followupAt: '2024-03-31T16:30:00Z' }))]).qualifying).toBe(0);
  });

  test('a case whose 回访 comes next month is pending this month and paid next month', () => {
    const cases = [stateOf(fileOf(1, { followupAt: '2024-04-03T10:00:00+08:00' }))];
    expect(reasonsOf(ledger(cases), 1)).toEqual(['no_followup']);
    expect(ledger(cases, { month: 4 }).qualifying).toBe(1);
  });

  test('a late 回访 dated in an approved month is paid in the next month that is not approved, and only there', () => {
    const cases = [stateOf(fileOf(1, { followupAt: '2024-03-28T10:00:00+08:00' }))];
    // March not approved yet: paid in March, not in April.
    expect(ledger(cases).qualifying).toBe(1);
    expect(ledger(cases, { month: 4 }).qualifying).toBe(0);
    // March was approved before the 回访 arrived (it is not among March's paid): April pays it.
    const approved = new Set(['2024-03']);
    expect(ledger(cases, { month: 4, approvedMonths: approved }).qualifying).toBe(1);
    expect(ledger(cases, { month: 5, approvedMonths: approved }).qualifying).toBe(0);
    expect(ledger(cases, { month: 5, approvedMonths: new Set(['2024-03', '2024-04']) }).qualifying).toBe(1);
  });

  test('a case paid in an approved month never appears again', () => {
    const cases = [stateOf(fileOf(1))];
    const march = ledger(cases);
    const paid = new Set(paidIn(march));
    expect(paid).toEqual(new Set([uuid(1)]));
    expect(rows(ledger(cases, { month: 4, approvedMonths: new Set(['2024-03']), paid }))).toEqual([]);
  });

  test('voided, reopened and later-closed cases are not in the month; pending ones drop off after a year', () => {
    const v = stateOf([...fileOf(1), makeEvent('case.voided', '2024-03-25T10:00:00+08:00', { reason: '重复' }, { subjectId: uuid(1) })]);
    const r = stateOf([...fileOf(2), makeEvent('case.reopened', '2024-03-26T10:00:00+08:00', { reason: '反悔' }, { subjectId: uuid(2) })]);
    const later = stateOf(
      fileOf(3, { closedAt: '2024-04-02T10:00:00+08:00', performedAt: '2024-04-03T10:00:00+08:00', followupAt: '2024-04-04T10:00:00+08:00' }),
    );
    expect(rows(ledger([v, r, later]))).toEqual([]);
    const waiting = [stateOf(fileOf(4, { followupAt: null }))];
    expect(ledger(waiting, { year: 2025, month: 3 }).pending).toBe(1);
    expect(ledger(waiting, { year: 2025, month: 4 }).pending).toBe(0);
  });

  test('cases are grouped by their first named mediator (谁调解、补助谁) and the totals add up', () => {
    const l = ledger([stateOf(fileOf(1, { mediators: ['刘调解', '王调解'] })), stateOf(fileOf(2)), stateOf(fileOf(3, { followupAt: null }))]);
    expect(l.mediators.map((m) => [m.mediator, m.qualifying.length, m.pending.length, m.amount])).toEqual([
      ['刘调解', 1, 0, 100],
      ['王调解', 1, 1, 100],
    ]);
    expect(l.mediators[0]?.qualifying[0]?.mediators).toEqual(['刘调解', '王调解']);
    expect(l).toMatchObject({ qualifying: 2, pending: 1, amount: 200 });
  });
});
