// 以案定补 through HTTP on each store: the admin's rules, the office's grade, the month's ledger
// (same numbers on SQLite and PostgreSQL: the values asserted are the same on both), approval
// freezing the month, a late 回访 into the next month's ledger, the .xlsx for payment, and bad
// input answered with a code and a Chinese message.
import ExcelJS from 'exceljs';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { localDateOf } from '#shared/time';
import type { LedgerResponse, RulesResponse } from '#shared/subsidy/api';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G2, push, seedTownship, TOWN, type Township } from './support/sync-fixtures.ts';
import type { DomainEvent } from '#shared/events';

let deviceSeq = 0;
/** One more event of a case, on the case's unit. */
function about(of: DomainEvent, type: string, occurredAt: string, data: unknown): DomainEvent {
  return {
    id: uuidv7(),
    subjectId: of.subjectId,
    orgUnitId: of.orgUnitId,
    occurredAt,
    recordedAt: new Date().toISOString(),
    deviceId: 'dev-ledger',
    deviceSeq: ++deviceSeq,
    type,
    data,
  } as DomainEvent;
}

/** A case's file: registered, a session, closed with a written agreement, performed, followed up (each step optional). */
function file(unit: string, mediator: string, o: { followup?: string | null; result?: 'success' | 'failure'; major?: boolean } = {}): DomainEvent[] {
  const open = caseOpened(unit, '2024-03-01T09:00:00+08:00', { mediators: [mediator] });
  const events = [open, about(open, 'case.session', '2024-03-03T10:00:00+08:00', { content: '召集双方调解' })];
  if (o.major) events.push(about(open, 'case.major', '2024-03-01T09:00:00+08:00', { flagged: true, criteria: ['many_people'] }));
  if (o.result === 'failure') {
    events.push(caseClosed(open, '2024-03-12T10:00:00+08:00', 'failure', 'none'));
    return events;
  }
  events.push({
    ...caseClosed(open, '2024-03-10T10:00:00+08:00'),
    data: { result: 'success', agreementForm: 'written', terms: '李某赔偿 2000 元' },
  } as DomainEvent);
  events.push(about(open, 'case.performed', '2024-03-15T10:00:00+08:00', { status: 'full' }));
  if (o.followup !== null) events.push(about(open, 'case.followup', o.followup ?? '2024-03-20T10:00:00+08:00', { mode: 'phone' }));
  return events;
}

const RULES = {
  amounts: { general: 100, difficult: 300, major: 800 },
  requireCompleteFile: true,
  requirePerformed: true,
  requireFollowup: true,
  oralAgreement: 'signed',
};

describe.each(storeCases())('以案定补 ledger on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const A = file(G1, '王调解');
  const B = file(G1, '刘调解', { followup: null });
  const C = file(G2, '王调解', { result: 'failure' });
  const D = file(G2, '王调解', { major: true });
  const ledgerOf = async (month: number) => {
    const res = await t().json<LedgerResponse>('GET', `/api/subsidy/ledger?orgUnitId=${TOWN}&year=2024&month=${month}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    return res.body;
  };
  const summary = (l: LedgerResponse) =>
    l.ledger.mediators.map((m) => ({
      mediator: m.mediator,
      amount: m.amount,
      paid: m.qualifying.map((c) => [c.subjectId, c.grade, c.amount]),
      pending: m.pending.map((c) => [c.subjectId, c.reasons.join(',')]),
    }));

  beforeAll(async () => {
    town = await seedTownship(t());
    const pushed = await push(t(), town.tokens.mediator1!, [...A, ...B, ...C, ...D]);
    expect(pushed.body.results.every((r) => r.status === 'applied')).toBe(true);
  });

  it('follows the admin’s rules, which office staff cannot change', async () => {
    const defaults = await t().json<RulesResponse>('GET', `/api/subsidy/rules?orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(defaults.body).toMatchObject({ fromUnitId: null, rules: { amounts: { general: 100 } } });
    const refused = await t().json('PUT', '/api/subsidy/rules', { token: town.tokens.office!, body: { orgUnitId: TOWN, rules: RULES } });
    expect(refused.status).toBe(403);
    const bad = await t().json<{ error: { code: string; message: string } }>('PUT', '/api/subsidy/rules', {
      token: town.tokens.admin!,
      body: { orgUnitId: TOWN, rules: { ...RULES, amounts: { ...RULES.amounts, general: -5 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('金额不能为负数');
    const set = await t().json<RulesResponse>('PUT', '/api/subsidy/rules', { token: town.tokens.admin!, body: { orgUnitId: TOWN, rules: RULES } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ fromUnitId: TOWN, updatedByName: 'admin', rules: RULES });
    // A village follows its town's rules.
    const village = await t().json<RulesResponse>('GET', `/api/subsidy/rules?orgUnitId=${G1}`, { token: town.tokens.office! });
    expect(village.body.fromUnitId).toBe(TOWN);
  });

  it('lists per mediator the cases paid with grade and amount, and the others with the reason', async () => {
    expect((await t().json('POST', `/api/subsidy/cases/${A[0]!.subjectId}/grade`, { token: town.tokens.office!, body: { grade: 'difficult' } })).status).toBe(
      201,
    );
    const march = await ledgerOf(3);
    expect(march.approval).toBeNull();
    expect(summary(march)).toEqual([
      { mediator: '刘调解', amount: 0, paid: [], pending: [[B[0]!.subjectId, 'no_followup']] },
      {
        mediator: '王调解',
        amount: 1100,
        paid: [
          [A[0]!.subjectId, 'difficult', 300],
          [D[0]!.subjectId, 'major', 800],
        ],
        pending: [[C[0]!.subjectId, 'not_success']],
      },
    ]);
    expect(march.ledger).toMatchObject({ qualifying: 2, pending: 2, amount: 1100 });
    const a = march.ledger.mediators[1]!.qualifying[0]!;
    expect(a).toMatchObject({ recorder: 'mediator1', gradeSource: 'office', unitName: '红星村第一网格', qualifiedOn: '2024-03-20' });
  });

  it('a mediator may propose a grade but not set one', async () => {
    const proposed = await push(t(), town.tokens.mediator1!, [about(B[0]!, 'case.grade_proposed', '2024-03-21T10:00:00+08:00', { grade: 'difficult' })]);
    expect(proposed.body.results[0]?.status).toBe('applied');
    const set = await push(t(), town.tokens.mediator1!, [about(B[0]!, 'case.graded', '2024-03-21T10:00:00+08:00', { grade: 'major' })]);
    expect(set.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_type' } });
    expect((await t().json('POST', `/api/subsidy/cases/${B[0]!.subjectId}/grade`, { token: town.tokens.mediator1!, body: { grade: 'major' } })).status).toBe(
      403,
    );
  });

  it('approving a month freezes it; a late 回访 makes the case qualify in the next month', async () => {
    const approved = await t().json<LedgerResponse>('POST', '/api/subsidy/approve', {
      token: town.tokens.office!,
      body: { orgUnitId: TOWN, year: 2024, month: 3 },
    });
    expect(approved.status).toBe(201);
    expect(approved.body.approval).toMatchObject({ approvedByName: 'office' });
    const before = summary(await ledgerOf(3));
    const again = await t().json<{ error: { code: string } }>('POST', '/api/subsidy/approve', {
      token: town.tokens.office!,
      body: { orgUnitId: TOWN, year: 2024, month: 3 },
    });
    expect(again.status).toBe(409);

    // B's 回访 was made on 28 March but reaches the server after March was approved; A is regraded.
    const late = await push(t(), town.tokens.mediator1!, [about(B[0]!, 'case.followup', '2024-03-28T10:00:00+08:00', { mode: 'visit' })]);
    expect(late.body.results[0]?.status).toBe('applied');
    expect((await t().json('POST', `/api/subsidy/cases/${A[0]!.subjectId}/grade`, { token: town.tokens.office!, body: { grade: 'major' } })).status).toBe(201);

    expect(summary(await ledgerOf(3))).toEqual(before);
    const april = await ledgerOf(4);
    // B proposed 疑难 (300): paid in April; A and D were paid in March and are not listed again.
    expect(summary(april)).toEqual([{ mediator: '刘调解', amount: 300, paid: [[B[0]!.subjectId, 'difficult', 300]], pending: [] }]);
    expect(april.ledger.mediators[0]!.qualifying[0]).toMatchObject({ qualifiedOn: '2024-03-28', gradeSource: 'proposed' });
  });

  it('refuses to approve a month that is not over, with the reason', async () => {
    const today = localDateOf(new Date().toISOString(), 'Asia/Shanghai');
    const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    for (const body of [
      { orgUnitId: TOWN, year, month },
      { orgUnitId: TOWN, year: year + 5, month: 1 },
    ]) {
      const r = await t().json<{ error: { message: string } }>('POST', '/api/subsidy/approve', { token: town.tokens.office!, body });
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error.message).toMatch(/尚未结束（截至 \d{4}-\d{2}-\d{2}），月末之后才能审批$/);
    }
    const current = await t().json<LedgerResponse>('GET', `/api/subsidy/ledger?orgUnitId=${TOWN}&year=${year}&month=${month}`, { token: town.tokens.office! });
    expect(current.body.approval).toBeNull();
  });

  it('pays a case once whichever unit approves it: the town’s approval covers its grids, and back', async () => {
    // The town approved March above (A and D paid). D's grid asks for its own March ledger.
    const grid = await t().json<LedgerResponse>('GET', `/api/subsidy/ledger?orgUnitId=${G2}&year=2024&month=3`, { token: town.tokens.office! });
    expect(grid.status).toBe(200);
    expect(grid.body.approval).toBeNull();
    const paidIds = grid.body.ledger.mediators.flatMap((m) => m.qualifying.map((c) => c.subjectId));
    expect(paidIds).not.toContain(D[0]!.subjectId);
    expect(grid.body.ledger.amount).toBe(0);

    // B's grid approves its own March, where B's late 回访 counts (the grid's March was open): the
    // town's April, which paid B, no longer does.
    const gridMarch = await t().json<LedgerResponse>('POST', '/api/subsidy/approve', {
      token: town.tokens.office!,
      body: { orgUnitId: G1, year: 2024, month: 3 },
    });
    expect(gridMarch.status).toBe(201);
    expect(gridMarch.body.ledger.mediators.flatMap((m) => m.qualifying.map((c) => c.subjectId))).toEqual([B[0]!.subjectId]);
    expect((await ledgerOf(4)).ledger.amount).toBe(0);
  });

  it('exports the month for payment: one row per case, subtotals per mediator, the total and who approved', async () => {
    const res = await t().request('GET', `/api/subsidy/ledger.xlsx?orgUnitId=${TOWN}&year=2024&month=3`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    const rows = Array.from({ length: ws.rowCount }, (_, i) => values(i + 1));
    expect(String(rows[0]?.[0])).toBe('江口镇2024年3月以案定补台账');
    const header = rows[2]!;
    const amountCol = header.indexOf('补助金额（元）');
    const total = rows.find((r) => r[0] === '合计')!;
    expect(total[amountCol]).toBe(1100);
    const paidRows = rows.filter((r) => r[1] === '补助');
    expect(paidRows.reduce((n, r) => n + Number(r[amountCol]), 0)).toBe(1100);
    expect(rows.filter((r) => r[1] === '暂不补助').map((r) => r[header.indexOf('未补助原因')])).toEqual(['未回访', '调解未成功']);
    expect(rows.some((r) => String(r[0]).startsWith('已审批：office'))).toBe(true);
  });

  it('answers bad input with a code and a Chinese message, never a 500', async () => {
    const bad = await t().json<{ error: { code: string; message: string } }>('GET', `/api/subsidy/ledger?orgUnitId=${TOWN}&year=2024&month=13`, {
      token: town.tokens.office!,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_body' });
    expect(bad.body.error.message).toContain('月份');
    expect((await t().json('GET', `/api/subsidy/ledger?orgUnitId=nowhere&year=2024&month=3`, { token: town.tokens.office! })).status).toBe(404);
    expect((await t().json('POST', `/api/subsidy/cases/not-a-case/grade`, { token: town.tokens.office!, body: { grade: 'major' } })).status).toBe(404);
    const grade = await t().json<{ error: { message: string } }>('POST', `/api/subsidy/cases/${A[0]!.subjectId}/grade`, {
      token: town.tokens.office!,
      body: { grade: 'huge' },
    });
    expect(grade.status).toBe(400);
    expect(grade.body.error.message).toContain('补助等级不对');
  });
});
