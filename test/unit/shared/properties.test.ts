// Order and duplication must never change a fold or a figure: sync is a set union, and the
// server, the phone and the statistics fold whatever order the events arrived in.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { foldAll, type SubjectState } from '#shared/fold/index';
import { summarize, type Summary } from '#shared/stats/summary';
import { nowIsoWithOffset } from '#shared/time';
import { makeEvent, uuid } from './support/builders.ts';

const DEVICES = ['a', 'b', 'c'] as const;
const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York'] as const;
// Six-hour steps around New Year: ties on occurredAt are frequent and year edges are crossed.
const START = Date.parse('2024-12-28T00:00:00Z');
const STEP = 6 * 3_600_000;

interface Spec {
  subject: number;
  step: number;
  zone: (typeof ZONES)[number];
  device: (typeof DEVICES)[number];
  variant: number;
  basedOn: number[];
}

const spec: fc.Arbitrary<Spec> = fc.record({
  subject: fc.integer({ min: 0, max: 7 }),
  step: fc.integer({ min: 0, max: 30 }),
  zone: fc.constantFrom(...ZONES),
  device: fc.constantFrom(...DEVICES),
  variant: fc.integer({ min: 0, max: 11 }),
  basedOn: fc.array(fc.nat(), { maxLength: 3 }),
});

const RESULTS = ['success', 'failure', 'terminated'] as const;
const FORMS = ['written', 'oral', 'none'] as const;
const PERFORMANCE = ['full', 'partial', 'none'] as const;

// Subjects 0–3 are cases, 4–5 outreach activities, 6–7 sweeps.
function eventFrom(s: Spec, index: number, seqs: Map<string, number>, earlier: string[]): DomainEvent {
  const seq = (seqs.get(s.device) ?? 0) + 1;
  seqs.set(s.device, seq);
  const basedOn = [...new Set(s.basedOn.filter((i) => i < earlier.length).map((i) => earlier[i] as string))];
  const o = { id: uuid(10_000 + index), subjectId: uuid(s.subject + 1), orgUnitId: `grid-${s.subject % 3}`, deviceId: s.device, deviceSeq: seq, basedOn };
  const at = nowIsoWithOffset(new Date(START + s.step * STEP), s.zone);
  const v = s.variant;
  if (s.subject <= 3) {
    switch (v) {
      case 0:
      case 1:
        return makeEvent(
          'case.opened',
          at,
          {
            disputeType: v === 0 ? '01-divorce' : '07',
            source: v === 0 ? 'referral' : 'application',
            referrer: v === 0 ? 'court' : undefined,
            summary: `登记${index}`,
            parties: [{ role: 'applicant', name: '张三' }],
            peopleInvolved: index % 5,
            amountInvolved: index * 0.1,
          },
          o,
        );
      case 2:
        return makeEvent('case.updated', at, { changes: { summary: `更正${index}`, peopleInvolved: index % 7 } }, o);
      case 3:
        return makeEvent('case.updated', at, { changes: { disputeType: '02' } }, o);
      case 4:
      case 5:
      case 6:
        return makeEvent('case.closed', at, { result: RESULTS[index % 3] ?? 'success', agreementForm: FORMS[index % 3] ?? 'none' }, o);
      case 7:
        return makeEvent('case.reopened', at, { reason: '重新调解' }, o);
      case 8:
        return makeEvent('case.performed', at, { status: PERFORMANCE[index % 3] ?? 'full' }, o);
      case 9:
        return makeEvent('case.followup', at, { mode: 'phone' }, o);
      case 10:
        return makeEvent('case.session', at, { content: `调解${index}` }, o);
      default:
        return index % 4 === 0 ? makeEvent('case.voided', at, { reason: '作废' }, o) : makeEvent('case.session', at, { content: '再调解' }, o);
    }
  }
  if (s.subject <= 5) {
    if (v < 6)
      return makeEvent(
        'outreach.recorded',
        at,
        { title: `宣讲${index}`, form: v % 2 ? 'lecture' : 'market', audience: index * 10, themes: ['constitution'], campaign: 'dec4' },
        o,
      );
    if (v < 11) return makeEvent('outreach.updated', at, { changes: { audience: index * 3, form: 'courtyard' } }, o);
    return makeEvent('outreach.voided', at, { reason: '作废' }, o);
  }
  if (v < 11) return makeEvent('sweep.recorded', at, { households: index, disputesFound: index % 2 }, o);
  return makeEvent('sweep.voided', at, { reason: '作废' }, o);
}

const eventSet = fc.array(spec, { minLength: 1, maxLength: 40 }).map((specs) => {
  const seqs = new Map<string, number>();
  const earlier: string[] = [];
  return specs.map((s, i) => {
    const e = eventFrom(s, i, seqs, earlier);
    earlier.push(e.id);
    return e;
  });
});

/** A deterministic shuffle with some events sent twice, from a seed fast-check shrinks. */
function shuffleWithDuplicates(events: readonly DomainEvent[], seed: number): DomainEvent[] {
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
  const out = events.flatMap((e) => (rand() < 0.3 ? [e, structuredClone(e)] : [e]));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as DomainEvent, out[i] as DomainEvent];
  }
  return out;
}

function bySubject(states: SubjectState[]): Record<string, SubjectState> {
  return Object.fromEntries(states.map((s) => [s.subjectId, s]));
}

const summaries = (states: SubjectState[]): Summary[] => [
  summarize(states, { year: 2024, timeZone: 'Asia/Shanghai', childOf: (id) => `v-${id}` }),
  summarize(states, { year: 2025, timeZone: 'Asia/Shanghai' }),
  summarize(states, { year: 2024, month: 12, timeZone: 'UTC' }),
];

const sum = (r: Record<string, number> | number[]) => Object.values(r).reduce((a, b) => a + b, 0);

describe('properties', () => {
  test('any permutation with duplicates gives identical fold states', () => {
    fc.assert(
      fc.property(eventSet, fc.integer(), (events, seed) => {
        expect(bySubject(foldAll(shuffleWithDuplicates(events, seed)))).toEqual(bySubject(foldAll(events)));
      }),
      { numRuns: 200 },
    );
  });

  test('any permutation with duplicates gives identical summaries', () => {
    fc.assert(
      fc.property(eventSet, fc.integer(), (events, seed) => {
        const shuffled = foldAll(shuffleWithDuplicates(events, seed));
        expect(summaries(shuffled)).toEqual(summaries(foldAll(events)));
      }),
      { numRuns: 200 },
    );
  });

  test('breakdowns add up to their totals', () => {
    fc.assert(
      fc.property(eventSet, (events) => {
        const s = summarize(foldAll(events), { year: 2024, timeZone: 'Asia/Shanghai' });
        const m = s.mediation;
        expect(m.resolved).toBeLessThanOrEqual(m.closed);
        expect(m.failed).toBe(m.closed - m.resolved);
        for (const breakdown of [m.byType, m.bySource, m.byChannel, m.byOrgUnit, m.byMonth]) expect(sum(breakdown)).toBe(m.resolved);
        expect(sum(m.byReferrer)).toBe(m.bySource.referral ?? 0);
        expect(m.performed).toBeLessThanOrEqual(m.withAgreement);
        expect(sum(s.outreach.byMonth)).toBe(s.outreach.sessions);
        expect(sum(s.outreach.audienceByMonth)).toBe(s.outreach.audience);
        expect(sum(s.outreach.byForm)).toBe(s.outreach.sessions);
        expect(s.sweeps.zeroReports).toBeLessThanOrEqual(s.sweeps.count);
      }),
      { numRuns: 200 },
    );
  });

  test('a year is the sum of its quarters and of its months', () => {
    fc.assert(
      fc.property(eventSet, (events) => {
        const states = foldAll(events);
        const q = { timeZone: 'Asia/Shanghai', year: 2024 } as const;
        const year = summarize(states, q);
        const quarters = [1, 2, 3, 4].map((quarter) => summarize(states, { ...q, quarter }));
        const months = Array.from({ length: 12 }, (_, i) => summarize(states, { ...q, month: i + 1 }));
        for (const parts of [quarters, months]) {
          expect(parts.reduce((a, p) => a + p.mediation.accepted, 0)).toBe(year.mediation.accepted);
          expect(parts.reduce((a, p) => a + p.mediation.resolved, 0)).toBe(year.mediation.resolved);
          expect(parts.reduce((a, p) => a + p.outreach.audience, 0)).toBe(year.outreach.audience);
          expect(parts.reduce((a, p) => a + p.sweeps.count, 0)).toBe(year.sweeps.count);
        }
      }),
      { numRuns: 100 },
    );
  });
});
