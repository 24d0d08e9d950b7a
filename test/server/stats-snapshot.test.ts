// A summary is one snapshot: taken while pushes commit, it shows a state that was committed,
// never half of one push and half of the next. Each push here adds one case accepted and closed
// in the same batch, so every committed state has accepted == closed.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '#shared/stats/summary';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, push, seedTownship, TOWN, type Township } from './support/sync-fixtures.ts';

describe.each(storeCases())('summary snapshot on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('never shows more or fewer closed than accepted while batches of opened+closed cases commit', async () => {
    const PUSHES = 40;
    let pushing = true;
    const pushes = (async () => {
      try {
        for (let i = 0; i < PUSHES; i++) {
          // 2019: no other test in this file uses it, each push adds exactly one accepted and one closed case.
          const opened = caseOpened(G1, `2019-06-${String((i % 28) + 1).padStart(2, '0')}T09:00:00+08:00`);
          const r = await push(t(), town.tokens.mediator1!, [opened, caseClosed(opened, `2019-06-${String((i % 28) + 1).padStart(2, '0')}T15:00:00+08:00`)]);
          expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
        }
      } finally {
        pushing = false;
      }
    })();
    const seen: { accepted: number; closed: number }[] = [];
    const reader = async () => {
      while (pushing) {
        const r = await t().json<Summary>('GET', `/api/stats/summary?year=2019&orgUnitId=${TOWN}`, { token: town.tokens.admin! });
        expect(r.status).toBe(200);
        seen.push({ accepted: r.body.mediation.accepted, closed: r.body.mediation.closed });
      }
    };
    await Promise.all([pushes, reader(), reader(), reader()]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.accepted !== s.closed)).toEqual([]);
    const last = await t().json<Summary>('GET', `/api/stats/summary?year=2019&orgUnitId=${TOWN}`, { token: town.tokens.admin! });
    expect(last.body.mediation).toMatchObject({ accepted: PUSHES, closed: PUSHES });
  }, 60_000);
});
