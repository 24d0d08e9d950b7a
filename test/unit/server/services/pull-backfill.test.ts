// The pull's scope backfill, run against an in-memory event log: each step's store query, the
// answer's cursor and hasMore, and what the token's state becomes; then a property over any
// sequence of scope changes, new events, relogins and pulls.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { continuePull, startPull, type PullInput, type PullStep } from '../../../../src/server/services/pull-backfill.ts';
import type { PullQuery, PullScopeState, UnitFilter } from '../../../../src/server/storage/event-store.ts';

interface LogEvent {
  seq: number;
  unit: string;
}

/** What the store's pullEvents answers for a query, over an event log in seq order. */
function runQuery(log: readonly LogEvent[], q: PullQuery): LogEvent[] {
  const inUnits = (u: string) => q.units === 'all' || q.units.includes(u);
  return log.filter((e) => e.seq > q.afterSeq && (q.upToSeq === undefined || e.seq <= q.upToSeq) && inUnits(e.unit)).slice(0, q.limit);
}

/** One pull as the route runs it: the queries it made and the answer. */
function pull(log: readonly LogEvent[], input: PullInput) {
  const queries: PullQuery[] = [];
  let step: PullStep = startPull(input);
  let rows: LogEvent[] = [];
  while (step.kind === 'query') {
    queries.push(step.query);
    rows = runQuery(log, step.query);
    step = continuePull(
      input,
      step,
      rows.map((r) => r.seq),
    );
  }
  return { queries, served: rows.slice(0, step.take).map((r) => r.seq), cursor: step.cursor, hasMore: step.hasMore, save: step.save, resume: step.resume };
}

const log = (...units: string[]): LogEvent[] => units.map((unit, i) => ({ seq: i + 1, unit }));
// g1 holds seqs 1, 3, 5; g2 holds 2, 4, 6.
const LOG = log('g1', 'g2', 'g1', 'g2', 'g1', 'g2');
const served = (units: UnitFilter): PullScopeState => ({ served: units, backfill: undefined });

describe('one pull', () => {
  test("a token's first pull from cursor 0 is the ordinary pull, and records the units it served", () => {
    const r = pull(LOG, { previous: undefined, units: ['g1'], cursor: 0, limit: 10 });
    expect(r.queries).toEqual([{ afterSeq: 0, limit: 11, units: ['g1'] }]);
    expect(r).toMatchObject({ served: [1, 3, 5], cursor: 5, hasMore: false, save: served(['g1']) });
  });

  test('a full page says hasMore and moves the cursor to its last event', () => {
    const r = pull(LOG, { previous: served(['g1', 'g2']), units: ['g1', 'g2'], cursor: 1, limit: 2 });
    expect(r).toMatchObject({ served: [2, 3], cursor: 3, hasMore: true });
  });

  test('an unchanged scope is not written again', () => {
    const r = pull(LOG, { previous: served(['g1']), units: ['g1'], cursor: 5, limit: 10 });
    expect(r).toMatchObject({ served: [], cursor: 5, hasMore: false, save: undefined });
  });

  test("a grown scope first serves the new unit's events up to the client's cursor, the cursor unchanged", () => {
    const r = pull(LOG, { previous: served(['g1']), units: ['g1', 'g2'], cursor: 5, limit: 10 });
    expect(r.queries).toEqual([{ afterSeq: 0, upToSeq: 5, limit: 10, units: ['g2'] }]);
    // A short page ends the backfill: the next pull is the ordinary one.
    expect(r).toMatchObject({ served: [2, 4], cursor: 5, hasMore: true, save: served(['g1', 'g2']) });
    const next = pull(LOG, { previous: r.save, units: ['g1', 'g2'], cursor: 5, limit: 10 });
    expect(next).toMatchObject({ served: [6], cursor: 6, hasMore: false, save: undefined });
  });

  test('a full backfill page keeps the backfill going from its last event', () => {
    const r = pull(LOG, { previous: served(['g1']), units: ['g1', 'g2'], cursor: 5, limit: 1 });
    expect(r).toMatchObject({ served: [2], cursor: 5, hasMore: true, save: { served: ['g1', 'g2'], backfill: { units: ['g2'], afterSeq: 2, upToSeq: 5 } } });
    const next = pull(LOG, { previous: r.save, units: ['g1', 'g2'], cursor: 5, limit: 1 });
    expect(next.queries).toEqual([{ afterSeq: 2, upToSeq: 5, limit: 1, units: ['g2'] }]);
    expect(next).toMatchObject({ served: [4], cursor: 5, hasMore: true });
  });

  test('a backfill with nothing left goes on to the ordinary pull in the same request', () => {
    const previous: PullScopeState = { served: ['g1', 'g2'], backfill: { units: ['g2'], afterSeq: 4, upToSeq: 5 } };
    const r = pull(LOG, { previous, units: ['g1', 'g2'], cursor: 5, limit: 10 });
    expect(r.queries).toEqual([
      { afterSeq: 4, upToSeq: 5, limit: 10, units: ['g2'] },
      { afterSeq: 5, limit: 11, units: ['g1', 'g2'] },
    ]);
    expect(r).toMatchObject({ served: [6], cursor: 6, hasMore: false, save: served(['g1', 'g2']) });
  });

  test("a token's first pull with a cursor > 0 (a new login on a phone that has data) backfills its whole scope", () => {
    const r = pull(LOG, { previous: undefined, units: ['g2'], cursor: 3, limit: 10 });
    expect(r.queries).toEqual([{ afterSeq: 0, upToSeq: 3, limit: 10, units: ['g2'] }]);
    expect(r).toMatchObject({ served: [2], cursor: 3, hasMore: true });
  });

  test('a backfill over units no longer readable is dropped without a query for them', () => {
    const previous: PullScopeState = { served: ['g1', 'g2'], backfill: { units: ['g2'], afterSeq: 0, upToSeq: 5 } };
    const r = pull(LOG, { previous, units: ['g1'], cursor: 5, limit: 10 });
    expect(r.queries).toEqual([{ afterSeq: 5, limit: 11, units: ['g1'] }]);
    expect(r.save).toEqual(served(['g1']));
  });

  test('growing again during a backfill restarts it over both units, up to the larger cursor', () => {
    const previous: PullScopeState = { served: ['g1', 'g2'], backfill: { units: ['g2'], afterSeq: 2, upToSeq: 4 } };
    const r = pull(LOG, { previous, units: ['g1', 'g2', 'g3'], cursor: 5, limit: 10 });
    expect(r.queries).toEqual([{ afterSeq: 0, upToSeq: 5, limit: 10, units: ['g2', 'g3'] }]);
  });

  test('an admin (every unit) served before has nothing to backfill', () => {
    const r = pull(LOG, { previous: served('all'), units: 'all', cursor: 4, limit: 10 });
    expect(r.queries).toEqual([{ afterSeq: 4, limit: 11, units: 'all' }]);
    expect(r).toMatchObject({ served: [5, 6], cursor: 6, hasMore: false, save: undefined });
  });

  test('a user given every unit backfills all of them', () => {
    const r = pull(LOG, { previous: served(['g1']), units: 'all', cursor: 5, limit: 10 });
    expect(r.queries).toEqual([{ afterSeq: 0, upToSeq: 5, limit: 10, units: 'all' }]);
  });
});

describe('a backfill page lost on the way', () => {
  // The phone sends `resume`: each backfill page is an offer it confirms with its next pull.
  const grown = { units: ['g1', 'g2'] as UnitFilter, cursor: 5, limit: 1 };

  test('a page the phone never stored comes again; one it names is passed', () => {
    const first = pull(LOG, { previous: served(['g1']), ...grown, resume: '', offerId: 'o1' });
    expect(first).toMatchObject({ served: [2], cursor: 5, hasMore: true, resume: 'o1' });
    // What stays confirmed is the state before the page: the offer holds where it leads.
    expect(first.save).toEqual({
      ...served(['g1']),
      offer: { id: 'o1', next: { served: ['g1', 'g2'], backfill: { units: ['g2'], afterSeq: 2, upToSeq: 5 } } },
    });

    // The answer was lost: the phone still holds the resume of its page before ('').
    const again = pull(LOG, { previous: first.save, ...grown, resume: '', offerId: 'o2' });
    expect(again).toMatchObject({ served: [2], resume: 'o2' });

    const next = pull(LOG, { previous: again.save, ...grown, resume: 'o2', offerId: 'o3' });
    expect(next.queries).toEqual([{ afterSeq: 2, upToSeq: 5, limit: 1, units: ['g2'] }]);
    expect(next).toMatchObject({ served: [4], resume: 'o3' });
  });

  test("the backfill's last page is offered too: lost, it comes again before the ordinary pull", () => {
    const last = pull(LOG, { previous: served(['g1']), units: ['g1', 'g2'], cursor: 5, limit: 10, resume: '', offerId: 'o1' });
    expect(last).toMatchObject({ served: [2, 4], cursor: 5, hasMore: true, resume: 'o1' });
    const lost = pull(LOG, { previous: last.save, units: ['g1', 'g2'], cursor: 5, limit: 10, resume: '', offerId: 'o2' });
    expect(lost).toMatchObject({ served: [2, 4], cursor: 5, hasMore: true });
    const stored = pull(LOG, { previous: lost.save, units: ['g1', 'g2'], cursor: 5, limit: 10, resume: 'o2', offerId: 'o3' });
    expect(stored).toMatchObject({ served: [6], cursor: 6, hasMore: false, save: served(['g1', 'g2']) });
    expect(stored.resume).toBeUndefined();
  });

  test('a resume the server did not offer confirms nothing (a stale or forged one)', () => {
    const first = pull(LOG, { previous: served(['g1']), ...grown, resume: '', offerId: 'o1' });
    const forged = pull(LOG, { previous: first.save, ...grown, resume: 'o0', offerId: 'o2' });
    expect(forged).toMatchObject({ served: [2] });
  });

  test('a phone that sends no resume has every answer count as received, as before', () => {
    const first = pull(LOG, { previous: served(['g1']), ...grown, offerId: 'o1' });
    expect(first.resume).toBeUndefined();
    expect(first.save).toEqual({ served: ['g1', 'g2'], backfill: { units: ['g2'], afterSeq: 2, upToSeq: 5 } });
  });
});

const UNITS = ['g1', 'g2', 'g3', 'v1'] as const;
const scopeArb: fc.Arbitrary<UnitFilter> = fc.oneof({ weight: 5, arbitrary: fc.subarray([...UNITS]) }, { weight: 1, arbitrary: fc.constant('all' as const) });
const opArb = fc.oneof(
  fc.record({ op: fc.constant('events' as const), units: fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('scope' as const), units: scopeArb }),
  fc.record({ op: fc.constant('pull' as const) }),
  fc.record({ op: fc.constant('drain' as const) }),
  fc.record({ op: fc.constant('relogin' as const) }),
  fc.record({ op: fc.constant('lost' as const) }),
);

test('any scope changes, pulls and lost answers: once a phone pulls until hasMore is false it holds every event of its readable units; the cursor never goes back', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), scopeArb, (ops, limit, firstScope) => {
      const events: LogEvent[] = [];
      let units = firstScope;
      let state: PullScopeState | undefined;
      let cursor = 0;
      let resume = '';
      let offers = 0;
      const held = new Set<number>();

      /** One pull; `lost`: the server answered (and saved its state) but the phone stored nothing. */
      const pullOnce = (lost = false) => {
        const r = pull(events, { previous: state, units, cursor, limit, resume, offerId: `o${++offers}` });
        expect(r.cursor).toBeGreaterThanOrEqual(cursor);
        if (r.save) state = r.save;
        if (lost) return true;
        for (const seq of r.served) held.add(seq);
        cursor = r.cursor;
        resume = r.resume ?? '';
        return r.hasMore;
      };
      const drain = () => {
        let pulls = 0;
        while (pullOnce()) expect(++pulls).toBeLessThan(1000);
        const readable = events.filter((e) => units === 'all' || units.includes(e.unit)).map((e) => e.seq);
        expect(readable.filter((seq) => !held.has(seq))).toEqual([]);
      };

      for (const op of [...ops, { op: 'drain' as const }]) {
        switch (op.op) {
          case 'events':
            for (const unit of op.units) events.push({ seq: events.length + 1, unit });
            break;
          case 'scope':
            units = op.units === 'all' ? 'all' : [...op.units].sort();
            break;
          case 'pull':
            pullOnce();
            break;
          case 'drain':
            drain();
            break;
          case 'relogin':
            state = undefined;
            break;
          case 'lost':
            pullOnce(true);
            break;
        }
      }
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
  );
});
