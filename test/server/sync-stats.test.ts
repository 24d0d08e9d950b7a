// GET /api/stats/summary against the shared reference: the same events, folded and counted
// by `summarize`, must give the same figures as the server's SQL over its projections.
// And the property: any permutation and duplication of an event set, pushed in any batches,
// leaves the same projection rows and the same summary.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, type DomainEvent } from '#shared/events';
import { foldAll } from '#shared/fold/index';
import { summarize, type PeriodQuery, type Summary } from '#shared/stats/summary';
import { buildOrgTree, invalidateOrgTree } from '../../src/server/access/org-tree.ts';
import { monthRangeOf, summaryFromAggregates } from '../../src/server/services/stats.ts';
import { pushBatch } from '../../src/server/services/push.ts';
import type { ProjectionDump, PushItem } from '../../src/server/storage/event-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { useTestApp } from './support/app.ts';
import { eventsOf, subjectSpecs } from './support/event-sets.ts';
import { storeCases } from './support/stores.ts';
import { G1, ORG_UNITS, pullAll, push, seedTownship, TOWN, V1, V2, type Township } from './support/sync-fixtures.ts';

const tree = buildOrgTree(ORG_UNITS);
const TZ = 'Asia/Shanghai';

/** The reference: fold the events, keep the subtree, summarize with U's children as keys. */
function reference(events: readonly DomainEvent[], orgUnitId: string, q: PeriodQuery): Summary {
  const subtree = new Set(tree.subtree(orgUnitId));
  const childOf = new Map<string, string>();
  for (const child of tree.childrenOf(orgUnitId)) for (const id of tree.subtree(child.id)) childOf.set(id, child.id);
  const states = foldAll(events).filter((s) => subtree.has(s.orgUnitId));
  return summarize(states, { ...q, timeZone: TZ, childOf: (id) => childOf.get(id) });
}

/** Zero entries of byOrgUnit are listed by the route for every child; the reference lists only non-zero ones. */
function comparable(s: Summary): Summary {
  const strip = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, n]) => n !== 0));
  return {
    year: s.year,
    ...(s.month !== undefined ? { month: s.month } : {}),
    ...(s.quarter !== undefined ? { quarter: s.quarter } : {}),
    period: s.period,
    mediation: { ...s.mediation, byOrgUnit: strip(s.mediation.byOrgUnit) },
    outreach: { ...s.outreach, byOrgUnit: strip(s.outreach.byOrgUnit) },
    sweeps: s.sweeps,
  };
}

const PERIODS: PeriodQuery[] = [
  { year: 2023 },
  { year: 2024 },
  { year: 2025 },
  { year: 2024, quarter: 2 },
  { year: 2024, month: 1 },
  { year: 2024, month: 10 },
];

describe.each(storeCases())('statistics on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  let events: DomainEvent[];
  beforeAll(async () => {
    town = await seedTownship(t());
    events = eventsOf(fc.sample(subjectSpecs, { numRuns: 12, seed: 20241231 }).flat());
    for (let i = 0; i < events.length; i += 100) {
      const r = await push(t(), town.tokens.admin!, events.slice(i, i + 100));
      expect(r.body.results.every((x) => x.status === 'applied')).toBe(true);
    }
  });

  it('equals summarize over the same events, for the town, a village, a year, a quarter, a month', async () => {
    const stored = (await pullAll(t(), town.tokens.admin!)).events;
    expect(stored.length).toBeGreaterThan(events.length); // plus the case numbers
    let resolvedSomewhere = 0;
    for (const unit of [TOWN, V1, V2, G1]) {
      for (const q of PERIODS) {
        const url = `/api/stats/summary?year=${q.year}&orgUnitId=${unit}${q.month ? `&month=${q.month}` : ''}${q.quarter ? `&quarter=${q.quarter}` : ''}`;
        const r = await t().json<Summary & { orgUnitId: string }>('GET', url, { token: town.tokens.office! });
        expect(r.status, url).toBe(200);
        expect(r.body.orgUnitId).toBe(unit);
        const expected = reference(stored, unit, q);
        expect(comparable(r.body), url).toEqual(comparable(expected));
        resolvedSomewhere += expected.mediation.resolved + expected.outreach.sessions;
      }
    }
    // The data set is not empty of figures, or the comparison would prove nothing.
    expect(resolvedSomewhere).toBeGreaterThan(10);
  });

  it('lists every child of the queried unit in byOrgUnit', async () => {
    const r = await t().json<Summary>('GET', `/api/stats/summary?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.admin! });
    expect(Object.keys(r.body.mediation.byOrgUnit).sort()).toEqual(
      tree
        .childrenOf(TOWN)
        .map((u) => u.id)
        .sort(),
    );
  });

  it('refuses units outside the caller’s scope and callers without an office role', async () => {
    const grid = await t().json('GET', `/api/stats/summary?year=2024&orgUnitId=${G1}`, { token: town.tokens.grid1! });
    expect(grid.status).toBe(403);
    const mediator = await t().json('GET', `/api/stats/summary?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.mediator1! });
    expect(mediator.status).toBe(403);
    const unknown = await t().json('GET', `/api/stats/summary?year=2024&orgUnitId=nowhere`, { token: town.tokens.admin! });
    expect(unknown.status).toBe(404);
    const bad = await t().json('GET', `/api/stats/summary?year=abc&orgUnitId=${TOWN}`, { token: town.tokens.admin! });
    expect(bad.status).toBe(400);
  });
});

// ---- property: order, batching and duplication never change projections or figures ----

function acceptedItems(events: readonly DomainEvent[]): PushItem[] {
  return events.map((event) => ({ kind: 'accepted', event, canonical: canonicalJson(event) }));
}

async function pushDirect(store: Store, events: readonly DomainEvent[], cuts: number[]): Promise<void> {
  let start = 0;
  for (const cut of [...cuts, events.length]) {
    const end = Math.min(Math.max(cut, start), events.length);
    if (end === start) continue;
    await pushBatch(store, {
      authorId: 'u-prop',
      deviceId: 'dev-prop',
      receivedAt: new Date().toISOString(),
      userOrgUnitId: undefined,
      pending: undefined,
      timeZone: TZ,
      items: acceptedItems(events.slice(start, end)),
    });
    start = end;
  }
}

/** Projection rows without what depends on arrival order: the case number and the time it was given. */
function orderFree(dump: ProjectionDump): ProjectionDump {
  const state = (json: unknown) => {
    const s = JSON.parse(String(json)) as Record<string, unknown>;
    delete s.numbered;
    delete s.caseNumber;
    delete s.lastEventAt;
    delete s.eventCount;
    return s;
  };
  return {
    cases: dump.cases.map(({ case_number: _n, state: s, ...rest }) => ({ ...rest, amount_cents: Number(rest.amount_cents), state: state(s) })),
    outreach: dump.outreach.map((r) => ({ ...r, state: state(r.state) })),
    outreachThemes: dump.outreachThemes,
    sweeps: dump.sweeps.map((r) => ({ ...r, state: state(r.state) })),
    sweepTotals: dump.sweepTotals,
  };
}

async function summaryOf(store: Store, q: PeriodQuery): Promise<Summary> {
  const agg = await store.statsAggregates({ year: q.year, ...monthRangeOf(q) });
  const childOf = new Map<string, string>();
  for (const child of tree.childrenOf(TOWN)) for (const id of tree.subtree(child.id)) childOf.set(id, child.id);
  return summaryFromAggregates(agg, q, { subtree: new Set(tree.subtree(TOWN)), childOf: (id) => childOf.get(id) });
}

describe.each(storeCases())('order-free projections on $name', (storeCase) => {
  it('any permutation, duplication and batching gives the same rows and summary', async () => {
    const runs = Number(process.env.PROPERTY_RUNS ?? (storeCase.name === 'sqlite' ? 25 : 10));
    await fc.assert(
      fc.asyncProperty(
        subjectSpecs,
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat({ max: 60 }), { maxLength: 5 }),
        async (specs, shuffleKeys, dupPicks, cuts) => {
          const events = eventsOf(specs);
          // Duplicates of some events, then a permutation of it all.
          const dups = events.length ? dupPicks.map((i) => events[i % events.length]!) : [];
          const mixed = [...events, ...dups]
            .map((e, i) => ({ e, k: shuffleKeys[i] ?? i * 7919 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          const [a, b] = await Promise.all([storeCase.open(), storeCase.open()]);
          try {
            for (const s of [a.store, b.store]) {
              await s.insertOrgUnits(ORG_UNITS, new Date());
              invalidateOrgTree(s);
            }
            await pushDirect(a.store, events, []);
            await pushDirect(
              b.store,
              mixed,
              [...cuts].sort((x, y) => x - y),
            );
            const [dumpA, dumpB] = [await a.store.dumpProjections(), await b.store.dumpProjections()];
            expect(orderFree(dumpB)).toEqual(orderFree(dumpA));
            // The kept totals are what a GROUP BY over the sweep rows gives.
            const totals = new Map<string, number[]>();
            for (const r of dumpA.sweeps) {
              if (Number(r.voided) !== 0 || r.year === null) continue;
              const key = `${String(r.year)}/${String(r.org_unit_id)}/${String(r.month)}`;
              const t = totals.get(key) ?? [0, 0, 0, 0];
              totals.set(key, [t[0]! + 1, t[1]! + Number(r.zero_report), t[2]! + Number(r.households), t[3]! + Number(r.disputes_found)]);
            }
            expect(
              new Map(
                dumpB.sweepTotals.map((r) => [
                  `${String(r.year)}/${String(r.org_unit_id)}/${String(r.month)}`,
                  [r.count, r.zero_reports, r.households, r.disputes_found].map(Number),
                ]),
              ),
            ).toEqual(totals);
            for (const q of [{ year: 2024 }, { year: 2025 }, { year: 2024, quarter: 4 }]) {
              expect(await summaryOf(b.store, q)).toEqual(await summaryOf(a.store, q));
            }
          } finally {
            await Promise.all([a.dispose(), b.dispose()]);
          }
        },
      ),
      { numRuns: runs },
    );
  }, 120_000);
});
