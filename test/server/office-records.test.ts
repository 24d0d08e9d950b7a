// The drill-down behind each figure: the records listed for a metric and filters are exactly
// the ones the figure counts, masked for office staff; and sweeps per grid list silent grids.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnnualReport } from '../../src/server/reports/model.ts';
import { loginOfficeMediator, yearOfEvents } from './office-fixtures.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G3, push, seedTownship, TOWN, V1, V2, type Township } from './support/sync-fixtures.ts';

interface RecordsAnswer {
  kind: string;
  total: number;
  rows: Record<string, unknown>[];
  page: number;
  pageSize: number;
}

describe.each(storeCases())('office records on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, yearOfEvents());
  });
  const records = (query: string, token = town.tokens.office!) =>
    t().json<RecordsAnswer>('GET', `/api/office/records?year=2024&orgUnitId=${TOWN}&${query}`, { token });

  it('lists the records each report figure counts, link by link', async () => {
    const report = await t().json<AnnualReport>('GET', `/api/reports/annual?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    const figures = report.body.paragraphs.flatMap((p) => p.spans).filter((s) => s.kind === 'figure' && s.href && /^\d+$/.test(s.text));
    expect(figures.length).toBeGreaterThan(10);
    for (const f of figures) {
      if (f.kind !== 'figure' || !f.href) continue;
      // Sums (people, amount, audience) link to the records they add up; counts must match exactly.
      if (['peopleInvolved', 'amountInvolved', 'outreachAudience', 'disputesFound'].includes(f.key) || f.key.startsWith('audienceByCampaign')) continue;
      const r = await t().json<RecordsAnswer>('GET', f.href.replace('/office/records', '/api/office/records'), { token: town.tokens.office! });
      expect(r.status, f.href).toBe(200);
      expect(r.body.total, `${f.key} ${f.href}`).toBe(Number(f.text));
    }
  });

  it('filters by channel, type, child unit, month and campaign', async () => {
    expect((await records('metric=resolved&channel=court')).body.total).toBe(1);
    expect((await records('metric=resolved&channel=application')).body.total).toBe(1);
    expect((await records('metric=resolved&type=02')).body.total).toBe(2);
    expect((await records(`metric=resolved&unit=${V1}`)).body.total).toBe(2);
    expect((await records(`metric=accepted&unit=${V2}`)).body.total).toBe(2);
    expect((await records('metric=resolved&month=12')).body.total).toBe(1);
    expect((await records('metric=failed')).body.rows.map((r) => r.result)).toEqual(['调解不成功']);
    expect((await records('metric=outreach&campaign=dec4')).body.total).toBe(1);
    expect((await records('metric=zero_reports')).body.total).toBe(2);
    expect((await records(`metric=resolved&unit=nowhere`)).status).toBe(404);
  });

  it('masks personal data for office staff and audits what a mediator-office sees unmasked', async () => {
    const masked = await records('metric=resolved');
    expect(masked.body.rows.map((r) => r.applicants)).not.toContain('张三丰');
    expect(masked.body.rows.every((r) => r.masked === true)).toBe(true);
    const token = await loginOfficeMediator(t(), V1, TOWN);
    const mixed = await records('metric=resolved', token);
    expect(mixed.body.rows.map((r) => r.applicants)).toContain('张三丰');
    const audit = await t().store.listAudit({ action: 'records.viewed_unmasked', limit: 10 });
    expect(audit.length).toBeGreaterThan(0);
  });

  it('pages', async () => {
    const first = await records('metric=accepted&pageSize=2');
    const third = await records('metric=accepted&pageSize=2&page=3');
    expect(first.body.rows).toHaveLength(2);
    expect(third.body.rows).toHaveLength(1);
    expect(first.body.total).toBe(5);
  });

  it('lists sweeps per grid, every grid included, silent ones first', async () => {
    const year = await t().json<{ grids: { id: string; count: number; zeroReports: number }[]; silent: number }>(
      'GET',
      `/api/office/grids?year=2024&orgUnitId=${TOWN}`,
      { token: town.tokens.office! },
    );
    expect(year.status).toBe(200);
    expect(year.body.grids).toHaveLength(3);
    expect(year.body.silent).toBe(0);
    expect(year.body.grids.find((g) => g.id === G1)).toMatchObject({ count: 1, zeroReports: 1 });
    const may = await t().json<{ grids: { id: string; count: number }[]; silent: number }>('GET', `/api/office/grids?year=2024&month=5&orgUnitId=${TOWN}`, {
      token: town.tokens.office!,
    });
    expect(may.body.silent).toBe(3);
    const village = await t().json<{ grids: { id: string }[] }>('GET', `/api/office/grids?year=2024&orgUnitId=${V2}`, { token: town.tokens.office! });
    expect(village.body.grids.map((g) => g.id)).toEqual([G3]);
  });

  it('is for office and admin only', async () => {
    expect((await records('metric=resolved', town.tokens.grid1!)).status).toBe(403);
    expect((await records('metric=bogus')).status).toBe(400);
  });

  it('lists every by-unit bar’s records, the town’s own (本级) included', async () => {
    const own = caseOpened(TOWN, '2024-04-01T09:00:00+08:00');
    const events = [own, caseClosed(own, '2024-04-20T10:00:00+08:00', 'success', 'written')];
    expect((await push(t(), town.tokens.admin!, events)).body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
    const summary = await t().json<{ mediation: { resolved: number; byOrgUnit: Record<string, number> } }>(
      'GET',
      `/api/stats/summary?year=2024&orgUnitId=${TOWN}`,
      { token: town.tokens.office! },
    );
    const byUnit = Object.entries(summary.body.mediation.byOrgUnit).filter(([, n]) => n > 0);
    expect(byUnit.map(([id]) => id)).toContain(TOWN);
    for (const [id, n] of byUnit) expect((await records(`metric=resolved&unit=${id}`)).body.total, id).toBe(n);
    expect((await records(`metric=resolved&unit=${TOWN}`)).body.total).toBe(1);
    expect((await records('metric=resolved')).body.total).toBe(summary.body.mediation.resolved);
  });
});
