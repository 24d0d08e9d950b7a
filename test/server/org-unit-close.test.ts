// 合村并居: 红星村 (V1) is merged into 青山村 (V2) from 2025-07-01, its first grid moving with it
// and its second grid and committee closing. Nothing is deleted; records dated before stay
// counted under 红星村 in periods that end before the merge; periods that end on or after it
// count 红星村's records under 青山村 (the tree as it stood at the period's end); a new record
// dated on or after the close is refused with a Chinese reason, while later events of records
// already there still land; pickers stop offering the closed units; every change is audited.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G2, G3, outreach, push, seedTownship, TOWN, V1, V1_COMMITTEE, V2, type Township } from './support/sync-fixtures.ts';

const CLOSED_ON = '2025-07-01';

interface Summary {
  mediation: { resolved: number; accepted: number; byOrgUnit: Record<string, number> };
  outreach: { sessions: number; byOrgUnit: Record<string, number> };
}
interface MeUnit {
  id: string;
  writable?: boolean;
  closedOn?: string;
  successorId?: string | null;
}

describe.each(storeCases())('closing and merging a unit on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const before = caseOpened(G1, '2025-03-01T09:00:00+08:00', { acceptedOn: '2025-03-01' });
  const open = caseOpened(G2, '2025-05-01T09:00:00+08:00', { acceptedOn: '2025-05-01' });
  const talk = outreach(V1, '2025-02-01T09:00:00+08:00', 80);
  const summary = async (query: string) => {
    const res = await t().json<Summary>('GET', `/api/stats/summary?${query}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    return res.body;
  };
  const close = (id: string, body: unknown) =>
    t().json<{ error?: { code: string; message: string } }>('POST', `/api/admin/org-units/${id}/close`, { token: town.tokens.admin!, body });

  beforeAll(async () => {
    town = await seedTownship(t());
    const first = await push(t(), town.tokens.grid1!, [before, caseClosed(before, '2025-04-01T10:00:00+08:00')]);
    const second = await push(t(), town.tokens.grid2!, [open]);
    const third = await push(t(), town.tokens.admin!, [talk]);
    expect([...first.body.results, ...second.body.results, ...third.body.results].map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  it('refuses what cannot be a close: a future date, a grid as successor, a child that is not one', async () => {
    expect((await close(V1, { closedOn: '2999-01-01', successorId: V2 })).body.error?.message).toBe('closedOn: 撤并日期不能晚于今天');
    const intoGrid = await close(V1, { closedOn: CLOSED_ON, successorId: G3 });
    expect([intoGrid.status, intoGrid.body.error?.message]).toEqual([400, 'successorId: 村只能并入村或社区']);
    const notChild = await close(V1, { closedOn: CLOSED_ON, successorId: V2, moveChildren: [G3] });
    expect([notChild.status, notChild.body.error?.code]).toEqual([400, 'invalid_body']);
    const badDate = await close(V1, { closedOn: '2025-02-30' });
    expect(badDate.status).toBe(400);
    expect((await t().store.listOrgUnits()).every((u) => !u.closedOn)).toBe(true);
  });

  it('merges 红星村 into 青山村: one grid moves, the rest closes, each change audited', async () => {
    const res = await t().json<{
      orgUnits: { id: string; parentId: string; closedOn?: string | null; successorId?: string | null }[];
      closed: string[];
      moved: string[];
    }>('POST', `/api/admin/org-units/${V1}/close`, { token: town.tokens.admin!, body: { closedOn: CLOSED_ON, successorId: V2, moveChildren: [G1] } });
    expect(res.status).toBe(200);
    expect(res.body.moved).toEqual([G1]);
    expect([...res.body.closed].sort()).toEqual([G2, V1_COMMITTEE].sort());
    const units = new Map(
      (await t().json<{ orgUnits: MeUnit[] & { parentId: string }[] }>('GET', '/api/admin/org-units', { token: town.tokens.admin! })).body.orgUnits.map((u) => [
        u.id,
        u,
      ]),
    );
    expect(units.get(V1)).toMatchObject({ parentId: V2, closedOn: CLOSED_ON, successorId: V2 });
    expect(units.get(G1)).toMatchObject({ parentId: V2, closedOn: null });
    expect(units.get(G2)).toMatchObject({ parentId: V1, closedOn: CLOSED_ON });
    const audit = await t().store.listAudit({ limit: 20 });
    expect(
      audit
        .filter((a) => a.action === 'org_unit.closed')
        .map((a) => a.orgUnitId)
        .sort(),
    ).toEqual([G2, V1, V1_COMMITTEE].sort());
    expect(audit.find((a) => a.action === 'org_unit.moved')).toMatchObject({ orgUnitId: G1, detail: { from: V1, to: V2, movedOn: CLOSED_ON } });
    expect(audit.find((a) => a.action === 'org_unit.closed' && a.orgUnitId === V1)?.detail).toMatchObject({ closedOn: CLOSED_ON, successorId: V2 });

    const again = await close(V1, { closedOn: CLOSED_ON });
    expect([again.status, again.body.error?.code]).toEqual([409, 'already_closed']);
  });

  it('refuses a new record dated on or after the close, with the reason; takes the rest', async () => {
    const late = caseOpened(G2, '2025-08-02T09:00:00+08:00', { acceptedOn: '2025-08-02' });
    const oldOneEnteredLate = caseOpened(G2, '2025-06-20T09:00:00+08:00', { acceptedOn: '2025-06-20' });
    const res = await push(t(), town.tokens.grid2!, [late, oldOneEnteredLate, caseClosed(open, '2025-08-01T10:00:00+08:00')]);
    expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'applied', 'applied']);
    expect(res.body.results[0]!.error).toEqual({ code: 'unit_closed', message: '红星村第二网格已于2025年7月1日撤并，请改记在现在负责该地的单位后再上传' });
    const village = await push(t(), town.tokens.admin!, [outreach(V1, '2025-07-01T09:00:00+08:00')]);
    expect(village.body.results[0]!.error).toEqual({
      code: 'unit_closed',
      message: '红星村已于2025年7月1日撤并，已并入青山村，请改记在青山村（或其网格）后再上传',
    });
    // The moved grid is open: its worker records there as before.
    const moved = await push(t(), town.tokens.grid1!, [caseOpened(G1, '2025-08-03T09:00:00+08:00', { acceptedOn: '2025-08-03' })]);
    expect(moved.body.results[0]!.status).toBe('applied');
    // The phone shows the refusal from the quarantine.
    const rejected = await t().json<{ rejected: { eventId: string; code: string; message: string }[] }>('GET', '/api/sync/rejected', {
      token: town.tokens.grid2!,
    });
    expect(rejected.body.rejected.find((r) => r.eventId === late.id)).toMatchObject({ code: 'unit_closed' });
  });

  it('stops offering the closed units to pickers', async () => {
    const me = await t().json<{ orgUnits: MeUnit[] }>('GET', '/api/me', { token: town.tokens.admin! });
    const byId = new Map(me.body.orgUnits.map((u) => [u.id, u]));
    expect(byId.get(V1)).toMatchObject({ writable: false, closedOn: CLOSED_ON, successorId: V2 });
    expect(byId.get(G2)).toMatchObject({ writable: false, closedOn: CLOSED_ON });
    expect(byId.get(G1)).toMatchObject({ writable: true });
    expect(byId.get(G1)!.closedOn).toBeUndefined();
    const grant = await t().json<{ error: { code: string } }>('POST', '/api/admin/users', {
      token: town.tokens.admin!,
      body: { username: 'newgw', password: 'test-pass-123456', displayName: '新网格员', roles: [{ role: 'grid_worker', orgUnitId: G2 }] },
    });
    expect([grant.status, grant.body.error.code]).toEqual([400, 'invalid_grant']);
  });

  it('counts periods that end before the merge with the old tree', async () => {
    const q2 = await summary(`year=2025&quarter=2&orgUnitId=${TOWN}`);
    expect(q2.mediation.byOrgUnit).toMatchObject({ [V1]: 1, [V2]: 0 });
    const v1 = await summary(`year=2025&quarter=1&orgUnitId=${V1}`);
    expect(v1.outreach.sessions).toBe(1);
    const v2 = await summary(`year=2025&quarter=2&orgUnitId=${V2}`);
    expect(v2.mediation.resolved).toBe(0);
  });

  it('counts periods that end on or after it under the successor, town total unchanged', async () => {
    const year = await summary(`year=2025&orgUnitId=${TOWN}`);
    expect(year.mediation.resolved).toBe(2);
    expect(year.mediation.byOrgUnit[V2]).toBe(2);
    expect(Object.keys(year.mediation.byOrgUnit)).not.toContain(V1);
    expect(year.outreach.byOrgUnit[V2]).toBe(1);
    const v2 = await summary(`year=2025&orgUnitId=${V2}`);
    expect([v2.mediation.resolved, v2.mediation.accepted, v2.outreach.sessions]).toEqual([2, 4, 1]);
    // The records behind the successor's figure are the same cases.
    const rows = await t().json<{ total: number }>('GET', `/api/office/records?year=2025&orgUnitId=${V2}&metric=resolved`, { token: town.tokens.office! });
    expect(rows.body.total).toBe(2);
    const q2rows = await t().json<{ total: number }>('GET', `/api/office/records?year=2025&quarter=2&orgUnitId=${V1}&metric=resolved`, {
      token: town.tokens.office!,
    });
    expect(q2rows.body.total).toBe(1);
  });
  it('lists a closed month’s late records with the units as they stood at that month’s end', async () => {
    // 青山村's May was before the merge: 红星村's second grid was not 青山村's then.
    const closed = await t().json('POST', '/api/office/periods/close', { token: town.tokens.office!, body: { orgUnitId: V2, year: 2025, month: 5 } });
    expect(closed.status).toBe(201);
    const lateInV1 = caseOpened(G2, '2025-05-10T09:00:00+08:00', { acceptedOn: '2025-05-10' });
    expect((await push(t(), town.tokens.grid2!, [lateInV1])).body.results[0]!.status).toBe('applied');
    const periods = await t().json<{ periods: { year: number; month: number; lateCount: number }[] }>('GET', `/api/office/periods?orgUnitId=${V2}`, {
      token: town.tokens.office!,
    });
    expect(periods.body.periods.find((p) => p.year === 2025 && p.month === 5)).toMatchObject({ lateCount: 0 });
  });
});
