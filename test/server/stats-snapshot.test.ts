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

describe.each(storeCases())('period close snapshot on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('freezes a committed state and counts as late exactly what came after it', async () => {
    const PUSHES = 48;
    const monthOf = (i: number) => (i % 12) + 1;
    const day = (i: number) => `2018-${String(monthOf(i)).padStart(2, '0')}-10`;
    let pushing = true;
    const pushes = (async () => {
      try {
        for (let i = 0; i < PUSHES; i++) {
          const opened = caseOpened(G1, `${day(i)}T09:00:00+08:00`);
          await push(t(), town.tokens.mediator1!, [opened, caseClosed(opened, `${day(i)}T15:00:00+08:00`)]);
        }
      } finally {
        pushing = false;
      }
    })();
    const closes = (async () => {
      const out = new Map<number, { accepted: number; closed: number }>();
      for (let month = 1; month <= 12; month++) {
        // Spread the closes over the pushes so that most land between two commits.
        while (pushing && Math.random() < 0.6) await new Promise((r) => setTimeout(r, 5));
        const r = await t().json<{ summary: { mediation: { accepted: number; closed: number } } }>('POST', '/api/office/periods/close', {
          token: town.tokens.office!,
          body: { orgUnitId: TOWN, year: 2018, month },
        });
        expect(r.status).toBe(201);
        out.set(month, r.body.summary.mediation);
      }
      return out;
    })();
    const [, atClose] = await Promise.all([pushes, closes]);
    const list = await t().json<{ periods: { year: number; month: number; lateCount: number }[] }>('GET', `/api/office/periods?orgUnitId=${TOWN}`, {
      token: town.tokens.office!,
    });
    for (let month = 1; month <= 12; month++) {
      const frozen = atClose.get(month)!;
      expect(frozen.accepted, `month ${month}`).toBe(frozen.closed);
      const total = PUSHES / 12;
      const period = list.body.periods.find((p) => p.year === 2018 && p.month === month)!;
      // Each case pushed after the close is two late events (opened, closed); none frozen is late.
      expect(period.lateCount, `month ${month}`).toBe(2 * (total - frozen.accepted));
    }
  }, 60_000);

  it('records as seen the seq of the snapshot it froze, even when a push commits just before the figures are read', async () => {
    const store = t().store;
    const original = store.statsAggregates.bind(store);
    // A push that commits after the close began and before its figures are read: it is in the
    // frozen figures, so it must not be listed as late as well.
    store.statsAggregates = async (q) => {
      const opened = caseOpened(G1, '2017-03-10T09:00:00+08:00');
      await push(t(), town.tokens.mediator1!, [opened, caseClosed(opened, '2017-03-10T15:00:00+08:00')]);
      return original(q);
    };
    try {
      const r = await t().json<{ summary: { mediation: { accepted: number } } }>('POST', '/api/office/periods/close', {
        token: town.tokens.office!,
        body: { orgUnitId: TOWN, year: 2017, month: 3 },
      });
      expect(r.status).toBe(201);
      expect(r.body.summary.mediation.accepted).toBe(1);
    } finally {
      store.statsAggregates = original;
    }
    const list = await t().json<{ periods: { year: number; month: number; lateCount: number }[] }>('GET', `/api/office/periods?orgUnitId=${TOWN}`, {
      token: town.tokens.office!,
    });
    expect(list.body.periods.find((p) => p.year === 2017 && p.month === 3)).toMatchObject({ lateCount: 0 });
  });
});
