// The statistics rollup (migration 540) against the aggregates it replaces in the year summary:
// for any set of events pushed in any batches, replayed, with cases moved between units by 更正
// and units moved in the tree between pushes, every unit's summary read from the rollup equals
// the one counted from the projections' GROUP BY (the oracle), on every store; and the rollup
// rebuilt in bulk (the migration's backfill, the bench's load) equals the one the pushes kept.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, type DomainEvent } from '#shared/events';
import type { PeriodQuery, Summary } from '#shared/stats/summary';
import { invalidateOrgTree, loadOrgTree } from '../../src/server/access/org-tree.ts';
import { pushBatch } from '../../src/server/services/push.ts';
import { monthRangeOf, summaryFromAggregates, summaryFromRollup } from '../../src/server/services/stats.ts';
import { ROLLUP_BACKFILL_SQL } from '../../src/server/storage/event-sql.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { eventsOf, subjectSpecs } from './support/event-sets.ts';
import { execRaw } from './support/raw-sql.ts';
import { storeCases } from './support/stores.ts';
import { G1, G2, G3, ORG_UNITS, V1, V2 } from './support/sync-fixtures.ts';

const TZ = 'Asia/Shanghai';
const PERIODS: PeriodQuery[] = [{ year: 2024 }, { year: 2025 }, { year: 2024, quarter: 2 }, { year: 2024, month: 12 }, { year: 2023, month: 12 }];
/** Parent changes made in the org screen (undated: every period reads the tree as it is now). */
const TREE_MOVES = [
  { id: G2, parentId: V2 },
  { id: V2, parentId: V1 },
  { id: G3, parentId: V1 },
];

async function pushAll(store: Store, events: readonly DomainEvent[]): Promise<void> {
  if (!events.length) return;
  await pushBatch(store, {
    authorId: 'u-rollup',
    deviceId: 'dev-rollup',
    receivedAt: new Date().toISOString(),
    userOrgUnitId: undefined,
    pending: undefined,
    timeZone: TZ,
    items: events.map((event) => ({ kind: 'accepted', event, canonical: canonicalJson(event) })),
  });
}

/** 更正 moving a case to another unit, written after everything else of the case. */
function caseMove(of: DomainEvent, to: string): DomainEvent {
  return {
    id: crypto.randomUUID(),
    subjectId: of.subjectId,
    orgUnitId: of.orgUnitId,
    occurredAt: '2025-02-02T09:00:00+08:00',
    recordedAt: '2025-03-02T00:00:00Z',
    deviceId: 'dev-gen',
    deviceSeq: 1,
    type: 'case.updated',
    data: { changes: { orgUnitId: to } },
  };
}

/** The oracle and the rollup's summary of every unit and period, with the tree as the store holds it now. */
async function summaries(store: Store): Promise<{ oracle: Summary[]; rollup: Summary[] }> {
  invalidateOrgTree(store);
  const tree = await loadOrgTree(store);
  const out = { oracle: [] as Summary[], rollup: [] as Summary[] };
  for (const q of PERIODS) {
    const agg = await store.statsAggregates({ year: q.year, ...monthRangeOf(q) });
    for (const unit of ORG_UNITS) {
      const children = tree.childrenOf(unit.id).map((u) => u.id);
      const childOf = new Map<string, string>();
      for (const child of children) for (const id of tree.subtree(child)) childOf.set(id, child);
      out.oracle.push(summaryFromAggregates(agg, q, { subtree: new Set(tree.subtree(unit.id)), childOf: (id) => childOf.get(id) }));
      out.rollup.push(summaryFromRollup(await store.statsRollup({ year: q.year, ...monthRangeOf(q), orgUnitId: unit.id, children }), q, unit.id));
    }
  }
  return out;
}

describe.each(storeCases())('statistics rollup on $name', (storeCase) => {
  it('equals the aggregates through replays, 更正 moves, voids, late events and tree moves, and equals its bulk rebuild', async () => {
    const runs = Number(process.env.PROPERTY_RUNS ?? (storeCase.name === 'sqlite' ? 20 : 8));
    await fc.assert(
      fc.asyncProperty(
        subjectSpecs,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.record({ pick: fc.nat(), to: fc.constantFrom(G1, G2, G3, V1, V2) }), { maxLength: 3 }),
        fc.subarray(TREE_MOVES.map((_, i) => i)),
        fc.nat({ max: 30 }),
        async (specs, replays, moves, treeMoves, cut) => {
          const events = eventsOf(specs);
          const opened = events.filter((e) => e.type === 'case.opened');
          const caseMoves = opened.length ? moves.map((m) => caseMove(opened[m.pick % opened.length]!, m.to)) : [];
          const replayed = events.length ? replays.map((i) => events[i % events.length]!) : [];
          const handle = await storeCase.open();
          const store = handle.store;
          try {
            await store.insertOrgUnits(ORG_UNITS, new Date());
            // Early events, a tree move, the rest (late events of the same subjects among them), replays, 更正 moves.
            const at = Math.min(cut, events.length);
            await pushAll(store, events.slice(0, at));
            for (const i of treeMoves.slice(0, 1)) expect(await store.updateOrgUnit(TREE_MOVES[i]!.id, { parentId: TREE_MOVES[i]!.parentId })).toBe('ok');
            await pushAll(store, events.slice(at));
            await pushAll(store, replayed);
            for (const i of treeMoves.slice(1)) {
              const m = TREE_MOVES[i]!;
              const r = await store.applyOrgChanges({ updates: [{ id: m.id, patch: { parentId: m.parentId } }], moves: [], audit: [] }, new Date());
              expect(r).toBe('ok');
            }
            for (const m of caseMoves) await pushAll(store, [m]);

            const kept = await summaries(store);
            expect(kept.rollup).toEqual(kept.oracle);
            await execRaw(handle, `DELETE FROM stats_rollup; ${ROLLUP_BACKFILL_SQL}`);
            expect((await summaries(store)).rollup).toEqual(kept.oracle);
          } finally {
            await handle.dispose();
          }
        },
      ),
      { numRuns: runs },
    );
  });
});

describe.each(storeCases())('statistics rollup under concurrency on $name', (storeCase) => {
  it('equals the aggregates after pushes and org moves run at once', async () => {
    const handle = await storeCase.open();
    const store = handle.store;
    try {
      await store.insertOrgUnits(ORG_UNITS, new Date());
      const sets = [0, 1, 2, 3, 4, 5].map((k) => eventsOf(fc.sample(subjectSpecs, { numRuns: 1, seed: 13 + k })[0]!));
      const moves = TREE_MOVES.map((m) => () => store.updateOrgUnit(m.id, { parentId: m.parentId }));
      // Pushes of different subjects over the same units (their ancestors' rows are shared), with
      // each tree move started between them: on PostgreSQL they run side by side.
      await Promise.all([...sets.map((events) => pushAll(store, events)), ...moves.map((move) => move())]);
      const kept = await summaries(store);
      expect(kept.rollup).toEqual(kept.oracle);
      expect(kept.oracle.some((s) => s.mediation.accepted + s.outreach.sessions + s.sweeps.count > 0)).toBe(true);
    } finally {
      await handle.dispose();
    }
  });
});

describe('rollup backfill', () => {
  it('is the same statement in both migrations as the one the bench runs', () => {
    for (const dialect of ['sqlite', 'postgres']) {
      const file = path.join(import.meta.dirname, `../../src/server/storage/migrations/${dialect}/540-stats-rollup.sql`);
      expect(readFileSync(file, 'utf8')).toContain(ROLLUP_BACKFILL_SQL);
    }
  });
});
