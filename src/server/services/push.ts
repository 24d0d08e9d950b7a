// Applying a pushed batch, written once for every store: read what the batch needs through the
// store's PushTx, decide everything with pure functions (statuses in push-plan.ts, numbers in
// case-number.ts, rows in projection.ts, and the ones below), then apply the writes. The store
// runs the whole of it as one transaction and answers after the commit is durable, so a push
// is all or nothing and seq order is commit order (storage/event-store.ts transactPush). The
// writes that serialize pushes come last, each held only until the commit: the case-number
// counters (per committee and year), then the events themselves, whose seq PostgreSQL assigns
// under its one cluster-wide lock; everything before them runs alongside other pushes.
import type { DomainEvent } from '#shared/events';
import type {
  CaseCounter,
  CaseSequenceRequest,
  EventStore,
  EventToInsert,
  LeafKind,
  LeafSubjects,
  NumberingContext,
  ProjectionRow,
  ProjectionTableName,
  PushBatch,
  PushOutcome,
  PushTx,
  RollupRow,
  SweepTotalsDelta,
  SweepTotalsSource,
  ThemeRow,
} from '../storage/event-store.ts';
import { foldCase, foldSubject, type SubjectState } from '#shared/fold/index';
import { nowIsoWithOffset } from '#shared/time';
import {
  buildCaseNumbered,
  caseNeedingNumber,
  chooseNumberingBody,
  fittedCaseNumber,
  SYSTEM_AUTHOR,
  type NumberingBody,
  type NumberingRequest,
} from './case-number.ts';
import { projectionOfState, sweepTotalsDeltas, sweepTotalsSourceOf, type SubjectProjection, type SweepChange } from './projection.ts';
import {
  attachmentRefsOf,
  casesToFold,
  clockSkewOf,
  idsToLookUp,
  latestEventOf,
  planBatch,
  subjectsToLookUp,
  type BatchPlan,
  type NewEventRow,
} from './push-plan.ts';

/** Applies a batch in one store transaction; resolves after the commit. */
export async function pushBatch(store: Pick<EventStore, 'transactPush'>, batch: PushBatch): Promise<PushOutcome> {
  return store.transactPush(async (tx) => {
    const homes = await tx.subjectHomes(subjectsToLookUp(batch));
    // A stored case's events decide which unit its new events may name (a 更正 moves it): read first.
    const held = await tx.eventBodies(idsToLookUp(batch));
    const cases = casesToFold(batch, held, homes);
    const caseEvents = cases.length ? await tx.subjectEvents(cases) : new Map<string, DomainEvent[]>();
    const planned = planBatch(batch, held, homes, caseEvents);
    // A subject without a home has no stored event (nor projection row): only the others are read,
    // which for a batch of new cases is none. Read before this batch's events go in: those are in hand.
    const read = new Set(cases);
    const stored = [...new Set(planned.inserts.map((r) => r.event.subjectId))].filter((id) => homes.has(id) && !read.has(id));
    const earlier = stored.length ? new Map([...caseEvents, ...(await tx.subjectEvents(stored))]) : caseEvents;
    const plan = await takeBackNumbers(tx, planned, earlier);
    const bySubject = subjectEventsWith(earlier, plan.inserts);

    const needs = [...bySubject.values()].flatMap((events) => caseNeedingNumber(events, batch.timeZone) ?? []);
    // One lookup for the batch: cases opened in one batch mostly share a few units.
    const lookups = [...new Map(needs.map((need) => [numberingKeyOf(need), need])).values()];
    const contexts = lookups.length ? await tx.numberingContexts(lookups.map((n) => ({ orgUnitId: n.orgUnitId, committeeId: n.committeeId }))) : [];
    const bodies = new Map(lookups.map((need, i) => [numberingKeyOf(need), numberingBodyOf(need, contexts[i]!)]));
    const assigned = needs.map((need) => ({ need, body: bodies.get(numberingKeyOf(need))! }));
    const reserved = assigned.length ? await tx.reserveCaseSequences(sequenceRequestsOf(assigned)) : [];
    // Written in the deployment's local time: the timeline shows the 编号 entry as the office lives it, not in UTC.
    const numbered = numberCases(assigned, reserved, nowIsoWithOffset(new Date(batch.receivedAt), batch.timeZone), batch.sealKey);
    for (const e of numbered) bySubject.get(e.subjectId)!.push(e);

    // Each subject folded once, for its projection row and its pull scope.
    const states = new Map([...bySubject].map(([subjectId, events]) => [subjectId, foldSubject(events, subjectId)]));
    const projections = [...states.values()].flatMap((state) => (state && projectionOfState(state, batch.timeZone)) ?? []);
    const sweeps = projections.filter((p) => p.table === 'sweep_projection' && homes.has(p.subjectId)).map((p) => p.subjectId);
    const oldSweeps = sweeps.length ? await tx.sweepRows(sweeps) : new Map<string, SweepTotalsSource>();
    const writes = projectionWrites(projections, oldSweeps);
    // The rollup's share of each subject before and after its rows are replaced, both read by the
    // one SQL that makes rollup rows of projection rows (storage/event-sql.ts leafFactsSql).
    const replaced = projections.filter((p) => homes.has(p.subjectId));
    const rollupBefore = replaced.length ? await tx.leafFacts(leafSubjectsOf(replaced)) : [];

    if (plan.quarantine.length) await tx.insertQuarantine(plan.quarantine);
    const refs = plan.inserts.flatMap((r) => attachmentRefsOf(r.event));
    if (refs.length) await tx.insertAttachmentRefs(refs);
    for (const [table, rows] of writes.rows) await tx.upsertProjections(table, rows);
    if (writes.themeSubjects.length) await tx.replaceThemes(writes.themeSubjects, writes.themes);
    if (writes.sweepTotals.length) await tx.addSweepTotals(writes.sweepTotals);
    const rollupAfter = projections.length ? await tx.leafFacts(leafSubjectsOf(projections)) : [];
    const rollup = rollupDeltas(rollupBefore, rollupAfter);

    const clockSkewMs = clockSkewOf(batch);
    await tx.recordDevicePush({
      deviceId: batch.deviceId,
      userId: batch.authorId,
      orgUnitId: batch.userOrgUnitId ?? null,
      at: batch.receivedAt,
      pending: batch.pending ?? null,
      clockSkewMs: clockSkewMs ?? null,
      lastRecordedAt: latestEventOf(batch)?.recordedAt ?? null,
    });
    const counted = plan.results.filter((r) => r.status !== 'duplicate').length;
    if (batch.usage && counted > 0) await tx.addPushUsage(batch.usage.subjects, batch.usage.day, counted);
    const scopes = pullScopesOf(earlier, states);
    const inserts: EventToInsert[] = [
      ...plan.inserts.map((r) => ({
        event: r.event,
        body: r.canonical,
        // A number given back stays the server's, as when it was made.
        authorId: r.event.type === 'case.numbered' ? SYSTEM_AUTHOR : batch.authorId,
        receivedAt: batch.receivedAt,
        ...scopes.get(r.event.subjectId),
      })),
      ...numbered.map((e) => ({ event: e, body: JSON.stringify(e), authorId: SYSTEM_AUTHOR, receivedAt: batch.receivedAt, ...scopes.get(e.subjectId) })),
    ];
    // Last: on PostgreSQL this takes the lock that orders every process's commits.
    if (inserts.length) await tx.insertEvents(inserts);
    // After it, under that lock: the rollup rows of a county are every push's (storage/event-store.ts addStatsRollup).
    if (rollup.length) await tx.addStatsRollup(rollup);
    return { results: plan.results, clockSkewMs };
  });
}

/**
 * Where each case of the batch is pulled (design.md "Sync contract"): its unit after the batch,
 * which a 更正 may have changed; and, when the batch moved it, the unit it left, whose phones
 * get this batch's events (the move among them) and nothing later. Other subjects: none, they
 * are pulled under their envelope's unit.
 */
function pullScopesOf(
  earlier: ReadonlyMap<string, readonly DomainEvent[]>,
  states: ReadonlyMap<string, SubjectState | undefined>,
): Map<string, { scopeUnitId: string; movedFromUnitId?: string }> {
  const out = new Map<string, { scopeUnitId: string; movedFromUnitId?: string }>();
  for (const [subjectId, after] of states) {
    if (after?.kind !== 'case') continue;
    const held = earlier.get(subjectId) ?? [];
    const before = held.length ? foldCase(held, subjectId) : undefined;
    const now = after.unitId ?? after.orgUnitId;
    const was = before ? (before.unitId ?? before.orgUnitId) : now;
    out.set(subjectId, was !== now ? { scopeUnitId: now, movedFromUnitId: was } : { scopeUnitId: now });
  }
  return out;
}

/** Each subject's stored events followed by the batch's new ones, subjects in first-insert order. */
export function subjectEventsWith(earlier: ReadonlyMap<string, readonly DomainEvent[]>, inserts: readonly NewEventRow[]): Map<string, DomainEvent[]> {
  const bySubject = new Map<string, DomainEvent[]>();
  for (const r of inserts) {
    let list = bySubject.get(r.event.subjectId);
    if (!list) bySubject.set(r.event.subjectId, (list = [...(earlier.get(r.event.subjectId) ?? [])]));
    list.push(r.event);
  }
  return bySubject;
}

// Each (unit, named committee) is resolved once per batch.
const numberingKeyOf = (need: NumberingRequest): string => `${need.orgUnitId}\n${need.committeeId ?? ''}`;

function numberingBodyOf(need: NumberingRequest, ctx: NumberingContext): NumberingBody {
  return chooseNumberingBody(ctx.explicit, ctx.chain, ctx.committees, need.orgUnitId);
}

/**
 * The case numbers given back in this batch after a restore (sealed case.numbered events a phone
 * offers again, routes/sync.ts prepareItem; the only case.numbered a push can hold): each is
 * taken again when its case is registered (in the log or in this batch) and holds no number yet,
 * and no other case holds it. The counters are
 * raised past them before that check (on PostgreSQL this waits for a push numbering a case of
 * the committee meanwhile, whose number the check then sees), so a fresh number never repeats
 * one. A number not taken is answered duplicate, as what the server no longer needs: the case's
 * opening, when it comes, is numbered afresh. Raising for a number another case holds leaves no
 * gap: every held number is at most its counter.
 */
async function takeBackNumbers(tx: PushTx, plan: BatchPlan, earlier: ReadonlyMap<string, readonly DomainEvent[]>): Promise<BatchPlan> {
  const given = plan.inserts.flatMap((r) => (r.event.type === 'case.numbered' ? [r.event] : []));
  if (!given.length) return plan;
  const numberedCases = new Set([...earlier].filter(([, events]) => events.some((e) => e.type === 'case.numbered')).map(([id]) => id));
  // Only for a case registered in the log or in this batch: a number must not be held by a case whose registration never came.
  const registered = new Set([...earlier].filter(([, events]) => events.some((e) => e.type === 'case.opened')).map(([id]) => id));
  for (const r of plan.inserts) if (r.event.type === 'case.opened') registered.add(r.event.subjectId);
  const refused = new Set<string>();
  const candidates = given.filter((e) => {
    if (registered.has(e.subjectId) && !numberedCases.has(e.subjectId)) return numberedCases.add(e.subjectId);
    refused.add(e.id);
    return false;
  });
  if (candidates.length) {
    await tx.raiseCaseCounters(candidates.map(({ data }) => ({ committeeId: data.committeeId, year: data.year, lastSequence: data.sequence })));
    // Each number as printed then and as the committee's name prints it now: a rename since must not let one sequence serve twice.
    const contexts = await tx.numberingContexts(candidates.map((e) => ({ orgUnitId: e.orgUnitId, committeeId: e.data.committeeId })));
    const forms = candidates.map((e, i) => {
      const committee = contexts[i]!.explicit;
      const now = committee ? fittedCaseNumber(e.data.year, committee.shortName || committee.name, e.data.sequence) : e.data.caseNumber;
      return [...new Set([e.data.caseNumber, now])];
    });
    const held = await tx.caseNumbersHeld(forms.flat());
    candidates.forEach((e, i) => {
      if (forms[i]!.some((n) => held.has(n))) refused.add(e.id);
      else for (const n of forms[i]!) held.add(n);
    });
  }
  if (!refused.size) return plan;
  return {
    ...plan,
    inserts: plan.inserts.filter((r) => !refused.has(r.event.id)),
    results: plan.results.map((r) => (refused.has(r.id) ? { id: r.id, status: 'duplicate' } : r)),
  };
}

const counterKeyOf = (committeeId: string, year: number): string => `${committeeId}\n${year}`;

/** How many numbers each (committee, year) hands out to these cases. */
export function sequenceRequestsOf(assigned: readonly { need: NumberingRequest; body: NumberingBody }[]): CaseSequenceRequest[] {
  const byKey = new Map<string, CaseSequenceRequest>();
  for (const { need, body } of assigned) {
    const key = counterKeyOf(body.committeeId, need.year);
    const request = byKey.get(key);
    if (request) request.count++;
    else byKey.set(key, { committeeId: body.committeeId, year: need.year, count: 1 });
  }
  return [...byKey.values()];
}

/**
 * The case.numbered events of the cases that need one, in order, each committee's numbers for a
 * year following the last one handed out before this batch's reservation, without a gap.
 */
export function numberCases(
  assigned: readonly { need: NumberingRequest; body: NumberingBody }[],
  before: readonly CaseCounter[],
  now: string,
  sealKey?: Buffer,
): DomainEvent[] {
  const last = new Map(before.map((c) => [counterKeyOf(c.committeeId, c.year), c.lastSequence]));
  return assigned.map(({ need, body }) => {
    const key = counterKeyOf(body.committeeId, need.year);
    const sequence = (last.get(key) ?? 0) + 1;
    last.set(key, sequence);
    return buildCaseNumbered(need, body, sequence, now, sealKey);
  });
}

const LEAF_KINDS: Record<ProjectionTableName, LeafKind> = { case_projection: 'case', outreach_projection: 'outreach', sweep_projection: 'sweep' };

/** The subjects of these projection rows by the projection they are in: each is read only there. */
function leafSubjectsOf(projections: readonly SubjectProjection[]): LeafSubjects {
  const out: Record<LeafKind, string[]> = { case: [], outreach: [], sweep: [] };
  for (const p of projections) out[LEAF_KINDS[p.table]].push(p.subjectId);
  return out;
}

const rollupKeyOf = (r: RollupRow): string => [r.year, r.unit_id, r.fact, r.month, r.k1, r.k2, r.k3, r.k4, r.k5, r.k6].join('\n');

/**
 * What replacing subjects' projection rows changes in the rollup, at their own units: each old
 * row's share taken out, each new one's put in, summed per rollup key; rows that cancel out
 * (a replayed or unchanged subject) are left out.
 */
function rollupDeltas(before: readonly RollupRow[], after: readonly RollupRow[]): RollupRow[] {
  const into = new Map<string, RollupRow>();
  for (const [rows, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    for (const { subject_id: _subject, ...r } of rows) {
      const key = rollupKeyOf(r);
      const d = into.get(key) ?? { ...r, n: 0, v1: 0, v2: 0, v3: 0 };
      d.n += sign * r.n;
      d.v1 += sign * r.v1;
      d.v2 += sign * r.v2;
      d.v3 += sign * r.v3;
      into.set(key, d);
    }
  }
  return [...into.values()].filter((d) => d.n !== 0 || d.v1 !== 0 || d.v2 !== 0 || d.v3 !== 0);
}

/** The projection writes of a batch: rows per table, theme rows, and the sweep totals they move. */
export function projectionWrites(
  projections: readonly SubjectProjection[],
  oldSweeps: ReadonlyMap<string, SweepTotalsSource>,
): { rows: Map<ProjectionTableName, ProjectionRow[]>; themeSubjects: string[]; themes: ThemeRow[]; sweepTotals: SweepTotalsDelta[] } {
  const rows = new Map<ProjectionTableName, ProjectionRow[]>();
  const themeSubjects: string[] = [];
  const themes: ThemeRow[] = [];
  const sweepChanges: SweepChange[] = [];
  for (const p of projections) {
    const list = rows.get(p.table) ?? [];
    list.push(p.row);
    rows.set(p.table, list);
    if (p.table === 'outreach_projection') {
      themeSubjects.push(p.subjectId);
      themes.push(...p.themes);
    }
    if (p.table === 'sweep_projection') sweepChanges.push({ before: oldSweeps.get(p.subjectId), after: sweepTotalsSourceOf(p.row) });
  }
  return { rows, themeSubjects, themes, sweepTotals: sweepTotalsDeltas(sweepChanges) };
}
