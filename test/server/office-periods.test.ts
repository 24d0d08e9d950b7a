// Period close and late arrivals on every store: closed figures stay as closed, records that
// arrive later dated inside the period are listed as 迟报 with their effect on each figure.
import { beforeAll, describe, expect, it } from 'vitest';
import { localDateOf } from '#shared/time';
import { yearOfEvents } from './office-fixtures.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G3, outreach, push, seedTownship, TOWN, type Township } from './support/sync-fixtures.ts';

interface PeriodsAnswer {
  periods: {
    year: number;
    month: number;
    label: string;
    closedByName: string;
    lateCount: number;
    late: { type: string; orgUnitName: string }[];
    changes: { key: string; atClose: number; now: number; change: number }[];
  }[];
}

describe.each(storeCases())('period close on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, yearOfEvents());
  });
  const close = (body: unknown, token = town.tokens.office!) =>
    t().json<{ closedByName: string; summary: { mediation: { resolved: number } } }>('POST', '/api/office/periods/close', { token, body });
  const periods = () => t().json<PeriodsAnswer>('GET', `/api/office/periods?orgUnitId=${TOWN}`, { token: town.tokens.office! });

  it('closes a month once, signed by the user', async () => {
    const first = await close({ orgUnitId: TOWN, year: 2024, month: 12 });
    expect(first.status).toBe(201);
    expect(first.body.closedByName).toBe('office');
    expect(first.body.summary.mediation.resolved).toBe(1);
    const again = await close({ orgUnitId: TOWN, year: 2024, month: 12 });
    expect(again.status).toBe(409);
    expect((await close({ orgUnitId: TOWN, year: 2024 })).status).toBe(201);
    const audit = await t().store.listAudit({ action: 'period.closed', limit: 10 });
    expect(audit).toHaveLength(2);
  });

  it('lists late arrivals dated inside a closed period and what they change', async () => {
    expect((await periods()).body.periods.map((p) => [p.label, p.lateCount])).toEqual([
      ['2024年12月', 0],
      ['2024年全年', 0],
    ]);
    const late = caseOpened(G3, '2024-12-15T09:00:00+08:00');
    await push(t(), town.tokens.admin!, [
      late,
      caseClosed(late, '2024-12-20T10:00:00+08:00', 'success', 'written'),
      outreach(G3, '2025-01-05T09:00:00+08:00', 50),
    ]);
    const r = await periods();
    expect(r.status).toBe(200);
    const december = r.body.periods.find((p) => p.month === 12)!;
    expect(december.lateCount).toBe(2);
    expect(december.late.map((e) => e.type).sort()).toEqual(['case.closed', 'case.opened']);
    expect(december.late[0]!.orgUnitName).toBe('青山村第一网格');
    const change = Object.fromEntries(december.changes.map((c) => [c.key, [c.atClose, c.now, c.change]]));
    expect(change).toMatchObject({ accepted: [2, 3, 1], resolved: [1, 2, 1], sessions: [1, 1, 0] });
    const year = r.body.periods.find((p) => p.month === 0)!;
    expect(year.lateCount).toBe(2);
    expect(Object.fromEntries(year.changes.map((c) => [c.key, c.change]))).toMatchObject({ resolved: 1, accepted: 1 });
  });

  it('refuses to close a month or a year that is not over, with the reason', async () => {
    const today = localDateOf(new Date().toISOString(), 'Asia/Shanghai');
    const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    const thisMonth = await t().json<{ error: { message: string } }>('POST', '/api/office/periods/close', {
      token: town.tokens.office!,
      body: { orgUnitId: TOWN, year, month },
    });
    expect(thisMonth.status).toBe(422);
    expect(thisMonth.body.error.message).toMatch(new RegExp(`^${year}年${month}月尚未结束（截至 ${year}-\\d{2}-\\d{2}），结束后才能结账$`));
    expect((await close({ orgUnitId: TOWN, year })).status).toBe(422);
    expect((await close({ orgUnitId: TOWN, year: year + 4, month: 1 })).status).toBe(422);
    expect((await periods()).body.periods.some((p) => p.year >= year)).toBe(false);
  });

  it('refuses field roles and bad periods', async () => {
    expect((await close({ orgUnitId: TOWN, year: 2024, month: 11 }, town.tokens.grid1!)).status).toBe(403);
    expect((await close({ orgUnitId: TOWN, year: 2024, month: 13 })).status).toBe(400);
    expect((await close({ orgUnitId: 'nowhere', year: 2024, month: 11 })).status).toBe(404);
  });
});
