// The push applies the shared plausibility rules (#shared/plausibility) on every store: a
// record dated after today or a 履行期限 before its closing is quarantined as `implausible`
// with the Chinese reason, and a case dated 2099 never gets a number. A correction moves a
// case to another grid only within the author's write scope; 受理 counts by the acceptance date.
import { beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '#shared/events';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G2, G3, pullAll, push, seedTownship, sweep, TOWN, type Township } from './support/sync-fixtures.ts';

const update = (of: DomainEvent, occurredAt: string, changes: Record<string, unknown>): DomainEvent =>
  ({ ...of, id: uuidv7(), type: 'case.updated', occurredAt, data: { changes } }) as DomainEvent;

describe.each(storeCases())('plausibility at push on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('quarantines a case dated 2099 with the reason in Chinese, numbers nothing, applies the rest', async () => {
    const future = caseOpened(G1, '2099-03-01T09:00:00+08:00');
    const good = caseOpened(G1, '2024-03-01T09:00:00+08:00');
    const r = await push(t(), town.tokens.grid1!, [future, good]);
    expect(r.body.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['rejected', 'implausible'],
      ['applied', undefined],
    ]);
    expect(r.body.results[0]!.error!.message).toContain('晚于今天');
    const mine = await t().json<{ rejected: { eventId: string; code: string; message: string }[] }>('GET', '/api/sync/rejected', { token: town.tokens.grid1! });
    expect(mine.body.rejected.find((x) => x.eventId === future.id)).toMatchObject({ code: 'implausible', message: expect.stringContaining('晚于今天') });
    const all = await pullAll(t(), town.tokens.admin!);
    expect(all.events.filter((e) => e.subjectId === future.subjectId)).toEqual([]);
    const numbers = all.events.filter((e) => e.type === 'case.numbered').map((e) => (e.data as { caseNumber: string }).caseNumber);
    expect(numbers.some((n) => n.includes('2099'))).toBe(false);
    expect(numbers.some((n) => n.includes('（2024）'))).toBe(true);
  });

  it('refuses a 受理日期 after today, a dispute that arose after its acceptance, and a 履行期限 before the closing', async () => {
    const opened = caseOpened(G1, '2024-05-01T09:00:00+08:00');
    const laterAccepted = caseOpened(G1, '2024-05-01T09:00:00+08:00', { acceptedOn: '2099-05-01' });
    const aroseAfter = caseOpened(G1, '2024-05-01T09:00:00+08:00', { occurredOn: '2024-05-03', acceptedOn: '2024-05-02' });
    const closed = caseClosed(opened, '2024-05-10T09:00:00+08:00');
    const badDeadline = { ...closed, data: { ...closed.data, performanceDeadline: '2024-05-09' } };
    const r = await push(t(), town.tokens.grid1!, [opened, laterAccepted, aroseAfter, badDeadline]);
    expect(r.body.results.map((x) => x.error?.code ?? x.status)).toEqual(['applied', 'implausible', 'implausible', 'implausible']);
    expect(r.body.results.map((x) => x.error?.message ?? '')).toEqual([
      '',
      expect.stringContaining('受理日期晚于今天'),
      expect.stringContaining('纠纷发生日期不能晚于受理日期'),
      expect.stringContaining('履行期限不能早于结案日期'),
    ]);
    // Fixed, the closing goes in under its id.
    expect(
      (await push(t(), town.tokens.grid1!, [{ ...closed, id: badDeadline.id, data: { ...closed.data, performanceDeadline: '2024-05-20' } }])).body.results[0]!
        .status,
    ).toBe('applied');
  });

  it('takes what is odd but real: more disputes than households, a record made yesterday evening by a phone a few hours ahead', async () => {
    const many = sweep(G1, '2024-06-01T10:00:00+08:00', 5);
    const slack = sweep(G1, new Date(Date.now() + 12 * 3600_000).toISOString());
    const r = await push(t(), town.tokens.grid1!, [{ ...many, data: { households: 2, disputesFound: 5 } }, slack]);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
  });

  it('moves a case to another grid by 更正 within the write scope only, and counts 受理 by the acceptance date', async () => {
    // Registered on 2 January, accepted on 30 December: a 2023 case in the statistics.
    const opened = caseOpened(G1, '2024-01-02T09:00:00+08:00', { acceptedOn: '2023-12-30' });
    const before = await t().json<{ mediation: { accepted: number } }>('GET', `/api/stats/summary?year=2023&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect((await push(t(), town.tokens.mediator1!, [opened])).body.results[0]!.status).toBe('applied');
    const after = await t().json<{ mediation: { accepted: number } }>('GET', `/api/stats/summary?year=2023&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(after.body.mediation.accepted).toBe(before.body.mediation.accepted + 1);
    const numbered = (await pullAll(t(), town.tokens.admin!)).events.find((e) => e.type === 'case.numbered' && e.subjectId === opened.subjectId);
    expect((numbered?.data as { caseNumber: string } | undefined)?.caseNumber).toMatch(/^（2023）/);

    // grid1 cannot move it out of its own grid; the village's mediator can move it within the village.
    const outOfScope = update(opened, '2024-01-03T09:00:00+08:00', { orgUnitId: G3 });
    expect((await push(t(), town.tokens.grid1!, [outOfScope])).body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_org_unit' } });
    const move = update(opened, '2024-01-03T09:00:00+08:00', { orgUnitId: G2, acceptedOn: '2024-01-02' });
    expect((await push(t(), town.tokens.mediator1!, [move])).body.results[0]!.status).toBe('applied');
    const moved = await t().json<{ mediation: { accepted: number } }>('GET', `/api/stats/summary?year=2023&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(moved.body.mediation.accepted).toBe(before.body.mediation.accepted);
    // Later events name the unit the case is in now (design.md: a moved case is written in its new unit).
    const session = { ...caseClosed(opened, '2024-01-05T09:00:00+08:00'), orgUnitId: G2, type: 'case.session', data: { content: '调解' } } as DomainEvent;
    expect((await push(t(), town.tokens.mediator1!, [session])).body.results[0]!.status).toBe('applied');
    const inG2 = await t().json<{ mediation: { accepted: number } }>('GET', `/api/stats/summary?year=2024&orgUnitId=${G2}`, { token: town.tokens.office! });
    expect(inG2.body.mediation.accepted).toBe(1);
  });
});
