// The event store contract, without HTTP: the same cases on every store (SQLite always,
// PostgreSQL when DATABASE_URL is set), driven through the push service that the route calls.
// What a store must keep true whatever database is under it: statuses of a batch, one commit
// order for seq and case numbers under concurrent pushes, a batch's outcome independent of how
// the outbox was cut, projection columns equal to the shared facts of the folded events, sweep
// totals equal to the projection sums, pull filters, and the quarantine listing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, type DomainEvent, type StoredEvent } from '#shared/events';
import { foldAll } from '#shared/fold/index';
import { factRowsOf, periodOf, statFactsOf, summarizeFactRows, type CaseFacts, type PeriodQuery } from '#shared/stats/summary';
import { pushBatch } from '../../src/server/services/push.ts';
import { factRowsOfAggregates, monthRangeOf, summaryFromAggregates } from '../../src/server/services/stats.ts';
import type { PushBatch, PushItem, RefusedItem } from '../../src/server/storage/event-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { storeCases, type OpenedStore } from './support/stores.ts';
import { caseClosed, caseOpened, caseVoided, G1, G2, G3, ORG_UNITS, outreach, sweep, V1, V1_COMMITTEE, V2, TOWN_COMMITTEE } from './support/sync-fixtures.ts';

const TZ = 'Asia/Shanghai';

const accepted = (event: DomainEvent): PushItem => ({ kind: 'accepted', event, canonical: canonicalJson(event) });

/** A valid event refused by the write scope before the store, as routes/sync.ts prepareItem makes it. */
const outOfScope = (event: DomainEvent): RefusedItem => ({
  kind: 'refused',
  id: event.id,
  code: 'forbidden_org_unit',
  message: '无权上传该单位的记录',
  raw: JSON.stringify(event),
  rawTruncated: false,
  subjectId: event.subjectId,
  orgUnitId: event.orgUnitId,
  type: event.type,
  canonical: JSON.stringify(event),
});

function batch(items: PushItem[], authorId = 'u-1', deviceId = 'dev-1'): PushBatch {
  return { authorId, deviceId, receivedAt: new Date().toISOString(), userOrgUnitId: G1, pending: 0, timeZone: TZ, items };
}

async function pushEvents(store: Store, events: readonly DomainEvent[], authorId = 'u-1') {
  return (await pushBatch(store, batch(events.map(accepted), authorId))).results;
}

async function pullAll(store: Store, units: 'all' | string[] = 'all', upToSeq?: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (;;) {
    const page = await store.pullEvents({ afterSeq: out.at(-1)?.seq ?? 0, limit: 7, units, ...(upToSeq !== undefined ? { upToSeq } : {}) });
    if (!page.length) return out;
    out.push(...page);
  }
}

/** Projection rows without what depends on arrival order (the number, when it was given). */
async function orderFreeDump(store: Store) {
  const dump = await store.dumpProjections();
  const state = (json: unknown) => {
    const { numbered: _n, caseNumber: _c, lastEventAt: _l, eventCount: _e, ...rest } = JSON.parse(String(json)) as Record<string, unknown>;
    return rest;
  };
  const numbers = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) && k !== 'case_number' ? Number(v) : v]));
  return {
    cases: dump.cases.map(({ case_number: _n, state: s, ...rest }) => ({ ...numbers(rest), state: state(s) })),
    outreach: dump.outreach.map((r) => ({ ...numbers(r), state: state(r.state) })),
    outreachThemes: dump.outreachThemes.map(numbers),
    sweeps: dump.sweeps.map((r) => ({ ...numbers(r), state: state(r.state) })),
    sweepTotals: dump.sweepTotals.map(numbers),
  };
}

/** A mixed set: cases with closures and a void, outreach with themes, sweeps, across two months and units. */
function mixedEvents(): DomainEvent[] {
  const c1 = caseOpened(G1, '2024-03-01T09:00:00+08:00', { amountInvolved: 1234.56, peopleInvolved: 3, source: 'referral', referrer: 'court' });
  const c2 = caseOpened(G2, '2024-03-02T09:00:00+08:00', { amountInvolved: 0.29, peopleInvolved: 2 });
  const c3 = caseOpened(G3, '2024-04-02T09:00:00+08:00', { amountInvolved: 10 });
  return [
    c1,
    caseClosed(c1, '2024-03-05T09:00:00+08:00', 'success', 'written'),
    c2,
    caseClosed(c2, '2024-03-31T23:30:00+08:00', 'success', 'none'),
    c3,
    caseClosed(c3, '2024-04-05T09:00:00+08:00', 'terminated', 'none'),
    caseVoided(c3, '2024-04-06T09:00:00+08:00'),
    outreach(G1, '2024-03-04T10:00:00+08:00', 80, { themes: ['constitution', 'civil_code'], campaign: 'dec4' }),
    outreach(G3, '2024-04-04T10:00:00+08:00', 40),
    sweep(G1, '2024-03-06T10:00:00+08:00', 2),
    sweep(G1, '2024-03-07T10:00:00+08:00', 0),
    sweep(G2, '2024-04-07T10:00:00+08:00', 1),
  ];
}

describe.each(storeCases())('event store contract on $name', (storeCase) => {
  let opened: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    opened = await storeCase.open();
    store = opened.store;
    await store.insertOrgUnits(ORG_UNITS, new Date());
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('answers applied, duplicate, id_reuse, and duplicate for a stored event refused by scope', async () => {
    const a = sweep(G1, '2024-05-02T10:00:00+08:00');
    const b = sweep(G1, '2024-05-03T10:00:00+08:00');
    expect((await pushEvents(store, [a, b])).map((r) => r.status)).toEqual(['applied', 'applied']);
    const reused = { ...a, data: { households: 1, disputesFound: 0 } } as DomainEvent;
    const again = await pushBatch(store, batch([accepted(a), accepted(reused), outOfScope(b), outOfScope(sweep(G3, '2024-05-04T10:00:00+08:00'))]));
    expect(again.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['duplicate', undefined],
      ['rejected', 'id_reuse'],
      ['duplicate', undefined],
      ['rejected', 'forbidden_org_unit'],
    ]);
    // The log keeps the originals once each; the rejected ones are in quarantine, not in the log.
    const log = await pullAll(store);
    expect(log.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(log[0]).toMatchObject({ data: a.data, authorId: 'u-1' });
    expect((await store.listQuarantine({ authorId: 'u-1', limit: 10 })).map((q) => q.code).sort()).toEqual(['forbidden_org_unit', 'id_reuse']);
  });

  it('rejects an event naming another unit or kind than its subject, in the same batch or later, and keeps it out of the projections', async () => {
    const opened1 = caseOpened(G1, '2024-03-01T09:00:00+08:00');
    const otherUnit = { ...caseClosed(opened1, '2024-03-02T09:00:00+08:00'), orgUnitId: G2 };
    const otherKind = { ...sweep(G1, '2024-03-03T10:00:00+08:00'), subjectId: opened1.subjectId };
    const first = await pushEvents(store, [opened1, otherUnit]);
    expect(first.map((r) => r.error?.code ?? r.status)).toEqual(['applied', 'forbidden_org_unit']);
    const later = await pushEvents(store, [otherKind, { ...otherUnit, id: crypto.randomUUID() }]);
    expect(later.map((r) => r.error?.code ?? r.status)).toEqual(['invalid_event', 'forbidden_org_unit']);
    const dump = await store.dumpProjections();
    expect(dump.sweeps).toEqual([]);
    expect(dump.cases).toHaveLength(1);
    expect(dump.cases[0]).toMatchObject({ org_unit_id: G1, closed_date: null });
  });

  it('gives seq in commit order and gap-free case numbers under concurrent pushes; a reader paging meanwhile misses nothing', async () => {
    const batches = Array.from({ length: 8 }, (_, i) =>
      Array.from({ length: 3 }, (_, j) =>
        caseOpened(j === 0 ? V1 : G1, `2024-0${1 + (i % 9)}-1${j}T09:00:00+08:00`, { committeeId: j === 2 ? TOWN_COMMITTEE : undefined }),
      ),
    );
    const seen: StoredEvent[] = [];
    let done = false;
    const reader = (async () => {
      for (;;) {
        // An empty page ends the reading only if it was asked for after every push had returned.
        const finished = done;
        const page = await store.pullEvents({ afterSeq: seen.at(-1)?.seq ?? 0, limit: 5, units: 'all' });
        seen.push(...page);
        if (finished && !page.length) return;
      }
    })();
    const outcomes = await Promise.all(batches.map((events, i) => pushEvents(store, events, `u-${i}`)));
    done = true;
    await reader;
    expect(outcomes.flat().every((r) => r.status === 'applied')).toBe(true);
    const log = await pullAll(store);
    expect(seen.map((e) => e.seq)).toEqual(log.map((e) => e.seq));
    expect(log).toHaveLength(48); // 24 openings and their 24 numbers
    // One push's events take consecutive seq: nothing of another push commits in between.
    for (const events of batches) {
      const seqs = events.map((e) => log.find((x) => x.id === e.id)!.seq);
      expect(seqs).toEqual(seqs.map((_, k) => seqs[0]! + k));
    }
    const numbers = log.filter((e) => e.type === 'case.numbered');
    for (const committee of [V1_COMMITTEE, TOWN_COMMITTEE]) {
      const mine = numbers.filter((e) => e.type === 'case.numbered' && e.data.committeeId === committee);
      // Gap-free and in seq order: the n-th number given is n.
      expect(mine.map((e) => (e.type === 'case.numbered' ? e.data.sequence : 0))).toEqual(mine.map((_, k) => k + 1));
      expect(mine).toHaveLength(committee === V1_COMMITTEE ? 16 : 8);
    }
    for (const n of numbers) expect(n.seq).toBeGreaterThan(log.find((e) => e.type === 'case.opened' && e.subjectId === n.subjectId)!.seq);
  });

  it('ends in the same rows, totals and figures whatever the batch cuts and repeats', async () => {
    const events = mixedEvents();
    const other = await storeCase.open();
    try {
      await other.store.insertOrgUnits(ORG_UNITS, new Date());
      const whole = await pushEvents(store, events);
      expect(whole.every((r) => r.status === 'applied')).toBe(true);
      // Reversed, cut in three, with a repeat inside a batch and one across batches.
      const reversed = [...events].reverse();
      const cuts = [[reversed[0]!, reversed[1]!, reversed[0]!], reversed.slice(2, 7), [...reversed.slice(7), reversed[3]!]];
      const statuses = [];
      for (const cut of cuts) statuses.push(...(await pushEvents(other.store, cut)).map((r) => r.status));
      expect(statuses.filter((s) => s === 'applied')).toHaveLength(events.length);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(2);
      expect(await orderFreeDump(other.store)).toEqual(await orderFreeDump(store));
      const units = { subtree: new Set(ORG_UNITS.map((u) => u.id)), childOf: () => undefined };
      const summary = async (s: Store, q: PeriodQuery) => summaryFromAggregates(await s.statsAggregates({ year: q.year, ...monthRangeOf(q) }), q, units);
      for (const q of [{ year: 2024 }, { year: 2024, month: 3 }, { year: 2024, quarter: 2 }])
        expect(await summary(other.store, q)).toEqual(await summary(store, q));
      expect((await summary(store, { year: 2024 })).mediation.resolved).toBe(2);
    } finally {
      await other.dispose();
    }
  });

  it('keeps projection columns equal to the shared facts of the folded log, amounts in whole fen', async () => {
    await pushEvents(store, mixedEvents());
    const log = await pullAll(store);
    const facts = new Map(foldAll(log).map((s) => [s.subjectId, statFactsOf(s, TZ)] as const));
    const dump = await store.dumpProjections();
    expect(dump.cases).toHaveLength(3);
    for (const row of dump.cases) {
      const f = facts.get(String(row.subject_id)) as CaseFacts;
      const { kind: _kind, subjectId: _subject, ...expected } = f;
      // toEqual takes an absent key and an undefined one as the same: NULL columns map to undefined.
      expect({
        orgUnitId: row.org_unit_id,
        voided: Number(row.voided) === 1,
        acceptedOn: row.opened_date ?? undefined,
        closedOn: row.closed_date ?? undefined,
        result: row.result ?? undefined,
        withAgreement: Number(row.with_agreement) === 1,
        performedFull: Number(row.performed_full) === 1,
        disputeType: row.dispute_type,
        sourceKey: row.source_key,
        channel: row.channel,
        peopleInvolved: Number(row.people_involved),
        amountCents: Number(row.amount_cents),
      }).toEqual(expected);
    }
    expect(dump.cases.map((r) => Number(r.amount_cents)).sort((a, b) => a - b)).toEqual([29, 1000, 123456]);
    // The SQL aggregates are the shared fact rows of the same period, grouped.
    const agg = factRowsOfAggregates(await store.statsAggregates({ year: 2024, fromMonth: 1, toMonth: 12 }), new Set(ORG_UNITS.map((u) => u.id)));
    const reference = factRowsOf([...facts.values()], periodOf({ year: 2024 }));
    expect(summarizeFactRows(agg, { year: 2024 })).toEqual(summarizeFactRows(reference, { year: 2024 }));
    expect(summarizeFactRows(agg, { year: 2024 }).mediation).toMatchObject({ accepted: 2, closed: 2, resolved: 2, amountInvolved: 1234.85, withAgreement: 1 });
  });

  it('keeps sweep totals equal to the sums of the sweep rows, through voids before and after the record', async () => {
    const s1 = sweep(G1, '2024-03-06T10:00:00+08:00', 2);
    const s2 = sweep(G1, '2024-03-07T10:00:00+08:00', 0);
    const s3 = sweep(V2, '2024-04-07T10:00:00+08:00', 1);
    const voidOf = (of: DomainEvent, occurredAt: string) =>
      ({ ...of, id: crypto.randomUUID(), type: 'sweep.voided', occurredAt, data: { reason: '重复' } }) as DomainEvent;
    // s3's void arrives before its record (undated, it counts nowhere); s1's after its record.
    expect((await pushEvents(store, [s1, s2, voidOf(s3, '2024-04-08T10:00:00+08:00')])).every((r) => r.status === 'applied')).toBe(true);
    expect((await pushEvents(store, [s3, voidOf(s1, '2024-03-09T10:00:00+08:00')])).every((r) => r.status === 'applied')).toBe(true);
    const dump = await store.dumpProjections();
    const sums = new Map<string, number[]>();
    for (const r of dump.sweeps) {
      if (Number(r.voided) !== 0 || r.year === null) continue;
      const key = `${String(r.year)}/${String(r.org_unit_id)}/${String(r.month)}`;
      const t = sums.get(key) ?? [0, 0, 0, 0];
      sums.set(key, [t[0]! + 1, t[1]! + Number(r.zero_report), t[2]! + Number(r.households), t[3]! + Number(r.disputes_found)]);
    }
    const totals = new Map(
      dump.sweepTotals.map((r) => [
        `${String(r.year)}/${String(r.org_unit_id)}/${String(r.month)}`,
        [r.count, r.zero_reports, r.households, r.disputes_found].map(Number),
      ]),
    );
    expect(totals).toEqual(sums);
    // Only s2 is left to count.
    expect([...totals.keys()]).toEqual([`2024/${G1}/3`]);
    expect(
      totals
        .get(`2024/${G1}/3`)!
        .slice(0, 1)
        .concat(totals.get(`2024/${G1}/3`)!.slice(2)),
    ).toEqual([1, 35, 0]);
  });

  it('pulls by units and up to a seq, in seq order', async () => {
    const events = [
      sweep(G1, '2024-03-06T10:00:00+08:00'),
      sweep(G3, '2024-03-06T11:00:00+08:00'),
      sweep(G2, '2024-03-06T12:00:00+08:00'),
      sweep(G3, '2024-03-06T13:00:00+08:00'),
    ];
    await pushEvents(store, events);
    const all = await pullAll(store);
    expect(all.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect((await pullAll(store, [G3])).map((e) => e.id)).toEqual([events[1]!.id, events[3]!.id]);
    expect((await pullAll(store, [G1, G2], all[2]!.seq)).map((e) => e.id)).toEqual([events[0]!.id, events[2]!.id]);
    expect(await pullAll(store, [])).toEqual([]);
  });

  it('lists quarantine by author or by units, newest first, once per retried rejection, resolved once fixed', async () => {
    const bad = sweep(G1, '2024-05-02T10:00:00+08:00');
    const refusedOther = outOfScope(sweep(G3, '2024-05-03T10:00:00+08:00'));
    const invalid: RefusedItem = { ...outOfScope(bad), code: 'invalid_event', message: '记录格式不对', canonical: undefined };
    await pushBatch(store, batch([invalid, refusedOther], 'u-a'));
    await pushBatch(store, batch([invalid, refusedOther], 'u-a')); // a retry lands on the same rows
    const mine = await store.listQuarantine({ authorId: 'u-a', limit: 10 });
    expect(mine.map((q) => [q.eventId, q.code, q.resolved])).toEqual([
      [refusedOther.id, 'forbidden_org_unit', false],
      [bad.id, 'invalid_event', false],
    ]);
    expect((await store.listQuarantine({ authorId: 'u-b', units: [G3], limit: 10 })).map((q) => q.eventId)).toEqual([refusedOther.id]);
    expect(await store.listQuarantine({ authorId: 'u-b', limit: 10 })).toEqual([]);
    expect(await store.listQuarantine({ units: 'all', limit: 1 })).toHaveLength(1);
    await pushEvents(store, [bad], 'u-a');
    const after = await store.listQuarantine({ authorId: 'u-a', limit: 10 });
    expect(after.find((q) => q.eventId === bad.id)!.resolved).toBe(true);
    expect(after.find((q) => q.eventId === refusedOther.id)!.resolved).toBe(false);
  });
});
