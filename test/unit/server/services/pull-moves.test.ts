// The pull's backfill of cases moved into the caller's units, against an in-memory log: the
// moved cases' earlier events come first, page by page with the client's cursor held, then
// the ordinary pull; a move looked at once is not sent again.
import { describe, expect, test } from 'vitest';
import { continuePull, settledPull, startPull, type PullInput, type PullStep } from '../../../../src/server/services/pull-backfill.ts';
import type { PullQuery, PullScopeState } from '../../../../src/server/storage/event-store.ts';

interface LogEvent {
  seq: number;
  subject: string;
  unit: string;
}

function runQuery(log: readonly LogEvent[], q: PullQuery): LogEvent[] {
  const wanted = (e: LogEvent) =>
    q.subjects ? q.subjects.some((s) => s.subjectId === e.subject && e.seq <= s.upToSeq) : q.units === 'all' || q.units.includes(e.unit);
  return log.filter((e) => e.seq > q.afterSeq && (q.upToSeq === undefined || e.seq <= q.upToSeq) && wanted(e)).slice(0, q.limit);
}

function pull(log: readonly LogEvent[], input: PullInput) {
  let step: PullStep = startPull(input);
  let rows: LogEvent[] = [];
  while (step.kind === 'query') {
    rows = runQuery(log, step.query);
    step = continuePull(
      input,
      step,
      rows.map((r) => r.seq),
    );
  }
  return { served: rows.slice(0, step.take).map((r) => r.seq), cursor: step.cursor, hasMore: step.hasMore, save: step.save, resume: step.resume };
}

// Case x lived in g1 (seqs 1, 3), moved to g2 at seq 5; g2's own case y holds 2, 4.
const LOG: LogEvent[] = [
  { seq: 1, subject: 'x', unit: 'g1' },
  { seq: 2, subject: 'y', unit: 'g2' },
  { seq: 3, subject: 'x', unit: 'g1' },
  { seq: 4, subject: 'y', unit: 'g2' },
  { seq: 5, subject: 'x', unit: 'g2' },
];
const MOVE = { subjectId: 'x', seq: 5, unitId: 'g2' };
const SERVED: PullScopeState = { served: ['g2'], backfill: undefined };

describe('moved cases', () => {
  test('a phone past the move’s predecessors gets the case’s earlier events first, its cursor held', () => {
    const first = pull(LOG, { previous: SERVED, units: ['g2'], cursor: 4, limit: 10, moves: [MOVE] });
    expect(first).toMatchObject({ served: [1, 3, 5], cursor: 4, hasMore: true });
    expect(first.save?.moves).toEqual({ seen: 5 });
    // Then the ordinary pull, and the move is not looked at again.
    const second = pull(LOG, { previous: first.save, units: ['g2'], cursor: 4, limit: 10, moves: [] });
    expect(second).toMatchObject({ served: [5], cursor: 5, hasMore: false });
    expect(second.save).toBeUndefined();
  });

  test('pages through a backfill larger than the limit, then goes on', () => {
    let previous: PullScopeState | undefined = SERVED;
    const served: number[] = [];
    let moves: PullInput['moves'] = [MOVE];
    for (let i = 0; i < 5; i++) {
      const r = pull(LOG, { previous, units: ['g2'], cursor: 4, limit: 1, moves });
      served.push(...r.served);
      previous = r.save ?? previous;
      moves = [];
      if (r.cursor !== 4) break;
    }
    expect(served).toEqual([1, 3, 5, 5]);
    expect(previous?.moves).toEqual({ seen: 5 });
  });

  test('a moved case’s page lost on the way comes again; the move is looked at again until the page is confirmed', () => {
    const first = pull(LOG, { previous: SERVED, units: ['g2'], cursor: 4, limit: 10, moves: [MOVE], resume: '', offerId: 'o1' });
    expect(first).toMatchObject({ served: [1, 3, 5], cursor: 4, hasMore: true, resume: 'o1' });
    // Lost: the route asks for moves after what was confirmed, so the move comes back in.
    expect(settledPull(first.save, '')?.moves?.seen ?? 0).toBe(0);
    const again = pull(LOG, { previous: first.save, units: ['g2'], cursor: 4, limit: 10, moves: [MOVE], resume: '', offerId: 'o2' });
    expect(again).toMatchObject({ served: [1, 3, 5], resume: 'o2' });
    expect(settledPull(again.save, 'o2')?.moves).toEqual({ seen: 5 });
    const stored = pull(LOG, { previous: again.save, units: ['g2'], cursor: 4, limit: 10, moves: [], resume: 'o2', offerId: 'o3' });
    expect(stored).toMatchObject({ served: [5], cursor: 5, hasMore: false });
    expect(stored.save).toEqual({ served: ['g2'], backfill: undefined, moves: { seen: 5 } });
  });

  test('a case that moved in and out again brings its history up to its move in, not what it did elsewhere after', () => {
    // A: registered in g1, moved to g2 at 2, back to g1 at 3, worked there at 4 and 5. B: moved from g3 into g2 at 7.
    const log: LogEvent[] = [
      { seq: 1, subject: 'A', unit: 'g1' },
      { seq: 2, subject: 'A', unit: 'g2' },
      { seq: 3, subject: 'A', unit: 'g1' },
      { seq: 4, subject: 'A', unit: 'g1' },
      { seq: 5, subject: 'A', unit: 'g1' },
      { seq: 6, subject: 'B', unit: 'g3' },
      { seq: 7, subject: 'B', unit: 'g2' },
    ];
    const moves = [
      { subjectId: 'A', seq: 2, unitId: 'g2' },
      { subjectId: 'B', seq: 7, unitId: 'g2' },
    ];
    const fresh = pull(log, { previous: undefined, units: ['g2'], cursor: 0, limit: 10, moves });
    expect(fresh.served).toEqual([1, 2, 6, 7]);
  });

  test('a moved case’s history stops coming once its unit is no longer read', () => {
    const first = pull(LOG, { previous: SERVED, units: ['g2'], cursor: 4, limit: 1, moves: [MOVE] });
    expect(first.served).toEqual([1]);
    const after = pull(LOG, { previous: first.save, units: ['g9'], cursor: 4, limit: 10, moves: [] });
    expect(after.served).toEqual([]);
    expect(after.save?.moves).toEqual({ seen: 5 });
  });

  test('a fresh phone gets the moved case whole and the grid’s own; without moves nothing changes', () => {
    const fresh = pull(LOG, { previous: undefined, units: ['g2'], cursor: 0, limit: 10, moves: [MOVE] });
    expect(fresh.served).toEqual([1, 3, 5]);
    const next = pull(LOG, { previous: fresh.save, units: ['g2'], cursor: 0, limit: 10, moves: [] });
    expect(next).toMatchObject({ served: [2, 4, 5], cursor: 5, hasMore: false });
    expect(pull(LOG, { previous: SERVED, units: ['g2'], cursor: 5, limit: 10, moves: [] }).save).toBeUndefined();
  });
});
