// The pull's scope backfill (design.md "Sync contract"), as pure steps the route runs against
// the store. The store keeps, per token, the units it last served. When the readable set has
// grown since (the user moved to another grid or was given a village), the new units' older
// events — seq ≤ the client's cursor — would never come, so the next pulls first page through
// them (answering with the client's cursor unchanged and hasMore: true), then go on normally.
// A token's first pull with a cursor > 0 backfills its whole scope the same way. Events the
// client already has may come twice; the client keeps events by id, so that is harmless.
import type { PullQuery, PullScopeState, UnitFilter } from '../storage/event-store.ts';

export interface PullInput {
  /** What the store holds for the token, undefined on its first pull. */
  previous: PullScopeState | undefined;
  /** The caller's readable units now. */
  units: UnitFilter;
  /** The client's cursor: the last seq it was answered. */
  cursor: number;
  limit: number;
}

type Backfill = NonNullable<PullScopeState['backfill']>;

/** Run this query on the store and hand its rows' seqs to continuePull; a backfill step pages through `backfill`. */
export type QueryStep = { kind: 'query'; query: PullQuery } & ({ phase: 'forward' } | { phase: 'backfill'; backfill: Backfill });

/** Answer with the first `take` rows of the last query; `save` is the token's new state, when it changed. */
interface AnswerStep {
  kind: 'answer';
  take: number;
  cursor: number;
  hasMore: boolean;
  save: PullScopeState | undefined;
}

export type PullStep = QueryStep | AnswerStep;

function unionUnits(a: UnitFilter, b: UnitFilter): UnitFilter {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...a, ...b])].sort();
}

function intersectUnits(a: UnitFilter, current: UnitFilter): UnitFilter {
  if (current === 'all') return a;
  if (a === 'all') return current;
  const keep = new Set(current);
  return a.filter((u) => keep.has(u));
}

/** Units readable now that were not served last time (what a backfill must cover). */
function grownUnits(served: UnitFilter, current: UnitFilter): UnitFilter {
  if (served === 'all') return [];
  if (current === 'all') return 'all';
  const had = new Set(served);
  return current.filter((u) => !had.has(u));
}

function isEmpty(u: UnitFilter): boolean {
  return u !== 'all' && u.length === 0;
}

/** The backfill a pull must do first, given what the token was served and the client's cursor. */
function planBackfill(previous: PullScopeState | undefined, current: UnitFilter, cursor: number): PullScopeState['backfill'] {
  const grown = previous ? grownUnits(previous.served, current) : current;
  let backfill = previous?.backfill;
  if (cursor > 0 && !isEmpty(grown)) {
    backfill = backfill
      ? { units: unionUnits(backfill.units, grown), afterSeq: 0, upToSeq: Math.max(backfill.upToSeq, cursor) }
      : { units: grown, afterSeq: 0, upToSeq: cursor };
  }
  return backfill;
}

// Written only when it changes: most pulls of a phone leave it as it was.
function changed(state: PullScopeState, previous: PullScopeState | undefined): PullScopeState | undefined {
  return JSON.stringify(state) !== JSON.stringify(previous) ? state : undefined;
}

/** The ordinary pull: the caller's units after the client's cursor, one row more than the limit to tell hasMore. */
function forward({ units, cursor, limit }: PullInput): QueryStep {
  return { kind: 'query', phase: 'forward', query: { afterSeq: cursor, limit: limit + 1, units } };
}

/** The pull's first step: a backfill page when one is due over units still readable, else the ordinary pull. */
export function startPull(input: PullInput): QueryStep {
  const backfill = planBackfill(input.previous, input.units, input.cursor);
  if (!backfill) return forward(input);
  const units = intersectUnits(backfill.units, input.units);
  if (isEmpty(units)) return forward(input);
  return { kind: 'query', phase: 'backfill', backfill, query: { afterSeq: backfill.afterSeq, upToSeq: backfill.upToSeq, limit: input.limit, units } };
}

/**
 * After the step's query returned rows with these seqs (in order): the answer, or the ordinary pull
 * when the backfill had nothing left. A full backfill page keeps the backfill going from its last
 * seq; a short one ends it.
 */
export function continuePull(input: PullInput, step: QueryStep, seqs: readonly number[]): PullStep {
  const { previous, units, cursor, limit } = input;
  if (step.phase === 'backfill') {
    if (seqs.length === 0) return forward(input);
    const full = seqs.length === limit;
    const backfill = full ? { ...step.backfill, afterSeq: seqs[seqs.length - 1]! } : undefined;
    return { kind: 'answer', take: seqs.length, cursor, hasMore: true, save: changed({ served: units, backfill }, previous) };
  }
  const hasMore = seqs.length > limit;
  const take = hasMore ? limit : seqs.length;
  return { kind: 'answer', take, cursor: take ? seqs[take - 1]! : cursor, hasMore, save: changed({ served: units, backfill: undefined }, previous) };
}
