// The pull's scope backfill (design.md "Sync contract"), as pure steps the route runs against
// the store. The store keeps, per token, the units it last served. When the readable set has
// grown since (the user moved to another grid or was given a village), the new units' older
// events — seq ≤ the client's cursor — would never come, so the next pulls first page through
// them (answering with the client's cursor unchanged and hasMore: true), then go on normally.
// A token's first pull with a cursor > 0 backfills its whole scope the same way. Events the
// client already has may come twice; the client keeps events by id, so that is harmless.
//
// A case moved into the caller's units by a 更正 (case.updated changes.orgUnitId) is pulled
// there from the move on (each event's scope unit, storage/event-store.ts PullQuery), but its
// earlier events were pulled under the unit it left. So each pull also asks for the moves into
// its units it has not looked at yet; their cases' events up to the move are sent first, page
// by page like the units' backfill, then the ordinary pull goes on. The unit the case left
// keeps what it had and receives the events pushed with the move (its phones see where the
// case went); nothing of the case after that.
//
// A backfill page leaves the client's cursor where it was, so the cursor cannot say whether the
// phone stored it. An answer lost on the way (a dropped connection, a proxy's 502, a tab killed
// before its transaction committed) must not be skipped, so a phone that sends `resume` gets each
// backfill page as an offer: the answer carries an id (`resume`), the token's state keeps what
// was confirmed plus the state the page leads to, and the phone's next pull names the id it
// stored with the page. Named: the pull goes on from the offered state. Not named: the page
// comes again. A phone that sends no `resume` (an app from before) has every answer count as
// received, as before.
import type { PullMovesState, PullOffer, PullQuery, PullScopeState, UnitFilter } from '../storage/event-store.ts';

export interface PullInput {
  /** What the store holds for the token, undefined on its first pull. */
  previous: PullScopeState | undefined;
  /**
   * The `resume` the phone stored with the last page it took in ('' for none); undefined from a
   * phone that does not send it, whose every answer counts as received.
   */
  resume?: string | undefined;
  /** The id this answer's offer takes, should it carry a backfill page to a phone that sends `resume`. */
  offerId?: string;
  /** The caller's readable units now. */
  units: UnitFilter;
  /** The client's cursor: the last seq it was answered. */
  cursor: number;
  limit: number;
  /** Moves into `units` after the token's `moves.seen` (store.movesInto), in seq order. */
  moves?: readonly { subjectId: string; seq: number; unitId: string }[];
}

type Backfill = NonNullable<PullScopeState['backfill']>;

/** Run this query on the store and hand its rows' seqs to continuePull; a backfill step pages through `backfill`. */
export type QueryStep = { kind: 'query'; query: PullQuery; moves: PullMovesState | undefined } & (
  { phase: 'forward' } | { phase: 'backfill'; backfill: Backfill } | { phase: 'moved'; moved: NonNullable<PullMovesState['backfill']> }
);

/** Answer with the first `take` rows of the last query; `save` is the token's new state, when it changed. */
interface AnswerStep {
  kind: 'answer';
  take: number;
  cursor: number;
  hasMore: boolean;
  save: PullScopeState | undefined;
  /** The offer's id, for a backfill page the phone is to confirm with its next pull. */
  resume?: string;
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

/**
 * The state a pull starts from: the offered one when the phone names the offer (it stored that
 * page) or takes no part in offers, else what was confirmed before the offer.
 */
export function settledPull(stored: PullScopeState | undefined, resume: string | undefined): PullScopeState | undefined {
  if (!stored?.offer) return stored;
  const { offer, ...confirmed } = stored;
  return resume === undefined || resume === offer.id ? offer.next : confirmed;
}

/** A backfill page's answer: saved at once for a phone without `resume`, else offered. */
function pageAnswer(input: PullInput, take: number, next: PullScopeState): AnswerStep {
  const { previous, resume, offerId, cursor } = input;
  if (resume === undefined || offerId === undefined) return { kind: 'answer', take, cursor, hasMore: true, save: changed(next, previous) };
  // What stays confirmed: the state the pull started from (a token's first pull: nothing served yet).
  const { offer: _, ...confirmed } = settledPull(previous, resume) ?? { served: [], backfill: undefined };
  const offer: PullOffer = { id: offerId, next };
  return { kind: 'answer', take, cursor, hasMore: true, save: { ...confirmed, offer }, resume: offerId };
}

/** The moves looked at and the moved cases still to send, after this pull's new moves. */
function planMoves(previous: PullScopeState | undefined, moves: PullInput['moves']): PullMovesState | undefined {
  const held = previous?.moves;
  if (!moves || moves.length === 0) return held;
  const seen = Math.max(held?.seen ?? 0, ...moves.map((m) => m.seq));
  const upTo = Math.max(held?.backfill?.upToSeq ?? 0, ...moves.map((m) => m.seq));
  // The latest move of each case into these units says where it is, and how far its history goes:
  // what it did after it left again is another unit's.
  const cases = new Map((held?.backfill?.cases ?? []).map((c) => [c.subjectId, { unitId: c.unitId, movedAt: c.movedAt ?? held!.backfill!.upToSeq }]));
  for (const m of moves) cases.set(m.subjectId, { unitId: m.unitId, movedAt: m.seq });
  const list = [...cases].sort(([a], [b]) => (a < b ? -1 : 1)).map(([subjectId, c]) => ({ subjectId, ...c }));
  // A case added to a backfill under way: start the pages again (what was sent comes twice, harmlessly).
  return { seen, backfill: { cases: list, afterSeq: 0, upToSeq: upTo } };
}

/** The ordinary pull: the caller's units after the client's cursor, one row more than the limit to tell hasMore. */
function forward({ units, cursor, limit }: PullInput, moves: PullMovesState | undefined): QueryStep {
  return { kind: 'query', phase: 'forward', moves, query: { afterSeq: cursor, limit: limit + 1, units } };
}

/** The moved cases' events up to their moves, a page; else the ordinary pull. */
function movedOrForward(input: PullInput, moves: PullMovesState | undefined): QueryStep {
  const held = moves?.backfill;
  // Only cases moved into units the caller still reads: a unit taken away takes its moved cases with it.
  const cases = held?.cases.filter((c) => input.units === 'all' || input.units.includes(c.unitId)) ?? [];
  if (!held || cases.length === 0) return forward(input, moves && { seen: moves.seen });
  const moved = { ...held, cases };
  const subjects = cases.map((c) => ({ subjectId: c.subjectId, upToSeq: c.movedAt ?? held.upToSeq }));
  return {
    kind: 'query',
    phase: 'moved',
    moves,
    moved,
    query: { afterSeq: moved.afterSeq, upToSeq: moved.upToSeq, limit: input.limit, units: input.units, subjects },
  };
}

function stateOf(served: UnitFilter, backfill: PullScopeState['backfill'], moves: PullMovesState | undefined): PullScopeState {
  return moves ? { served, backfill, moves } : { served, backfill };
}

/** The pull's first step: a backfill page when one is due over units still readable, then the moved cases, else the ordinary pull. */
export function startPull(input: PullInput): QueryStep {
  const previous = settledPull(input.previous, input.resume);
  const moves = planMoves(previous, input.moves);
  const backfill = planBackfill(previous, input.units, input.cursor);
  if (!backfill) return movedOrForward(input, moves);
  const units = intersectUnits(backfill.units, input.units);
  if (isEmpty(units)) return movedOrForward(input, moves);
  return { kind: 'query', phase: 'backfill', moves, backfill, query: { afterSeq: backfill.afterSeq, upToSeq: backfill.upToSeq, limit: input.limit, units } };
}

/**
 * After the step's query returned rows with these seqs (in order): the answer, or the next step
 * when a backfill had nothing left. A full backfill page keeps the backfill going from its last
 * seq; a short one ends it.
 */
export function continuePull(input: PullInput, step: QueryStep, seqs: readonly number[]): PullStep {
  const { previous, units, cursor, limit } = input;
  if (step.phase === 'backfill') {
    if (seqs.length === 0) return movedOrForward(input, step.moves);
    const full = seqs.length === limit;
    const backfill = full ? { ...step.backfill, afterSeq: seqs[seqs.length - 1]! } : undefined;
    return pageAnswer(input, seqs.length, stateOf(units, backfill, step.moves));
  }
  if (step.phase === 'moved') {
    const done: PullMovesState = { seen: step.moves?.seen ?? 0 };
    if (seqs.length === 0) return forward(input, done);
    const full = seqs.length === limit;
    const moves = full ? { ...done, backfill: { ...step.moved, afterSeq: seqs[seqs.length - 1]! } } : done;
    return pageAnswer(input, seqs.length, stateOf(units, undefined, moves));
  }
  const hasMore = seqs.length > limit;
  const take = hasMore ? limit : seqs.length;
  return { kind: 'answer', take, cursor: take ? seqs[take - 1]! : cursor, hasMore, save: changed(stateOf(units, undefined, step.moves), previous) };
}
