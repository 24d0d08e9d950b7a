// A pivot is one snapshot: its month-by-month reads for the period and for the same months a
// year before come from one committed state, never half of one push and half of the next. Each
// push here adds one case accepted in January 2017, one in December 2017 and one in December
// 2016, so in every committed state the three cells are equal.
import { beforeAll, describe, expect, it } from 'vitest';
import type { PivotResponse } from '#shared/stats/pivot';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, push, seedTownship, TOWN, type Township } from './support/sync-fixtures.ts';

describe.each(storeCases())('pivot snapshot on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('never shows January, December and last December apart while pushes commit', async () => {
    const PUSHES = 30;
    let pushing = true;
    const pushes = (async () => {
      try {
        for (let i = 0; i < PUSHES; i++) {
          const day = String((i % 28) + 1).padStart(2, '0');
          const r = await push(t(), town.tokens.mediator1!, [
            caseOpened(G1, `2017-01-${day}T09:00:00+08:00`),
            caseOpened(G1, `2017-12-${day}T09:00:00+08:00`),
            caseOpened(G1, `2016-12-${day}T09:00:00+08:00`),
          ]);
          expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
        }
      } finally {
        pushing = false;
      }
    })();
    const seen: [number, number, number][] = [];
    const reader = async () => {
      while (pushing) {
        const r = await t().json<PivotResponse>('GET', `/api/stats/pivot?year=2017&orgUnitId=${TOWN}&measure=accepted&rows=unit&cols=month`, {
          token: town.tokens.admin!,
        });
        expect(r.status).toBe(200);
        seen.push([r.body.current.colTotals['1'] ?? 0, r.body.current.colTotals['12'] ?? 0, r.body.lastYear.colTotals['12'] ?? 0]);
      }
    };
    await Promise.all([pushes, reader(), reader()]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter(([jan, dec, lastDec]) => jan !== dec || dec !== lastDec)).toEqual([]);
    const last = await t().json<PivotResponse>('GET', `/api/stats/pivot?year=2017&orgUnitId=${TOWN}&measure=accepted&rows=unit&cols=month`, {
      token: town.tokens.admin!,
    });
    expect([last.body.current.colTotals['1'], last.body.current.colTotals['12'], last.body.lastYear.colTotals['12']]).toEqual([PUSHES, PUSHES, PUSHES]);
  }, 90_000);
});
