// Generated sets of valid events over the test township (support/sync-fixtures.ts): cases
// with closures, reopenings, performances, updates and voids, outreach with updates, sweeps.
// Dates cluster on year, quarter and month boundaries, with several offsets, so that local
// time and ties in occurredAt (broken by id) are exercised.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DomainEvent } from '#shared/events';
import { G1, G2, G3, V1, V2 } from './sync-fixtures.ts';

const INSTANTS = [
  '2023-12-31T15:30:00Z', // 2023-12-31 23:30 in Shanghai
  '2023-12-31T16:10:00Z', // 2024-01-01 00:10 in Shanghai
  '2024-03-31T23:30:00+08:00',
  '2024-03-31T16:30:00Z', // 2024-04-01 in Shanghai: Q2
  '2024-06-15T10:00:00+08:00',
  '2024-06-15T10:00:00+08:00', // the same instant twice: ties go by id
  '2024-09-30T20:00:00-04:00', // 2024-10-01 08:00 in Shanghai
  '2024-12-31T23:30:00+08:00',
  '2024-12-31T16:10:00Z', // 2025-01-01 in Shanghai
  '2025-02-01T09:00:00+08:00',
];
const UNITS = [G1, G2, G3, V1, V2];

const instant = fc.integer({ min: 0, max: INSTANTS.length - 1 }).map((i) => INSTANTS[i]!);
const unit = fc.constantFrom(...UNITS);

const caseStep = fc.oneof(
  fc
    .record({
      kind: fc.constant('closed' as const),
      at: instant,
      result: fc.constantFrom('success', 'success', 'failure', 'terminated'),
      form: fc.constantFrom('written', 'oral', 'none'),
    })
    // A failed or ended mediation has no agreement: the push refuses one (#shared/plausibility).
    .map((s) => (s.result === 'success' ? s : { ...s, form: 'none' })),
  fc.record({ kind: fc.constant('reopened' as const), at: instant }),
  fc.record({ kind: fc.constant('performed' as const), at: instant, status: fc.constantFrom('full', 'partial', 'none') }),
  fc.record({
    kind: fc.constant('updated' as const),
    at: instant,
    people: fc.integer({ min: 0, max: 30 }),
    type: fc.constantFrom('01', '02', '03-homestead', '99'),
  }),
  fc.record({ kind: fc.constant('voided' as const), at: instant }),
);

const caseSpec = fc.record({
  kind: fc.constant('case' as const),
  unit,
  opened: fc.option(instant, { nil: undefined, freq: 8 }),
  disputeType: fc.constantFrom('01', '02', '03-homestead', '04', '10', '13', '99'),
  source: fc.constantFrom('self_initiated', 'application', 'referral:court', 'referral:police', 'referral:petition', 'referral:other'),
  people: fc.integer({ min: 0, max: 50 }),
  amount: fc.constantFrom(0, 1500, 2000.5, 120000, 33.33),
  steps: fc.array(caseStep, { maxLength: 4 }),
});

const outreachSpec = fc.record({
  kind: fc.constant('outreach' as const),
  unit,
  at: fc.option(instant, { nil: undefined, freq: 8 }),
  audience: fc.integer({ min: 0, max: 500 }),
  form: fc.constantFrom('lecture', 'consultation', 'leaflets'),
  themes: fc.subarray(['constitution', 'civil_code', 'anti_fraud']),
  campaign: fc.option(fc.constantFrom('dec4', 'civil_code_month'), { nil: undefined }),
  updates: fc.array(fc.record({ at: instant, audience: fc.integer({ min: 0, max: 500 }) }), { maxLength: 2 }),
  voided: fc.option(instant, { nil: undefined, freq: 5 }),
});

const sweepSpec = fc.record({
  kind: fc.constant('sweep' as const),
  unit,
  at: instant,
  households: fc.integer({ min: 0, max: 80 }),
  disputesFound: fc.integer({ min: 0, max: 3 }),
  zeroReport: fc.option(fc.boolean(), { nil: undefined }),
  voided: fc.option(instant, { nil: undefined, freq: 6 }),
});

export const subjectSpecs = fc.array(fc.oneof(caseSpec, caseSpec, outreachSpec, sweepSpec), { minLength: 1, maxLength: 14 });
export type SubjectSpec = (typeof subjectSpecs extends fc.Arbitrary<infer T> ? T : never)[number];

let seq = 0;

/** Valid events for the specs, with fresh ids. */
export function eventsOf(specs: readonly SubjectSpec[]): DomainEvent[] {
  const out: DomainEvent[] = [];
  for (const spec of specs) {
    const subjectId = randomUUID();
    const env = (occurredAt: string) => ({
      id: randomUUID(),
      subjectId,
      orgUnitId: spec.unit,
      occurredAt,
      recordedAt: '2025-03-01T00:00:00Z',
      deviceId: 'dev-gen',
      deviceSeq: ++seq,
    });
    if (spec.kind === 'case') {
      const [source, referrer] = spec.source.split(':') as ['self_initiated' | 'application' | 'referral', string | undefined];
      if (spec.opened) {
        out.push({
          ...env(spec.opened),
          type: 'case.opened',
          data: {
            disputeType: spec.disputeType,
            source,
            ...(referrer ? { referrer: referrer as 'court' } : {}),
            summary: '纠纷',
            parties: [{ role: 'applicant', name: '张某' }],
            peopleInvolved: spec.people,
            amountInvolved: spec.amount,
          },
        });
      }
      for (const s of spec.steps) {
        if (s.kind === 'closed') out.push({ ...env(s.at), type: 'case.closed', data: { result: s.result as 'success', agreementForm: s.form as 'written' } });
        else if (s.kind === 'reopened') out.push({ ...env(s.at), type: 'case.reopened', data: { reason: '当事人反悔' } });
        else if (s.kind === 'performed') out.push({ ...env(s.at), type: 'case.performed', data: { status: s.status as 'full' } });
        else if (s.kind === 'updated') out.push({ ...env(s.at), type: 'case.updated', data: { changes: { peopleInvolved: s.people, disputeType: s.type } } });
        else out.push({ ...env(s.at), type: 'case.voided', data: { reason: '重复登记' } });
      }
    } else if (spec.kind === 'outreach') {
      if (spec.at) {
        out.push({
          ...env(spec.at),
          type: 'outreach.recorded',
          data: {
            title: '普法宣讲',
            form: spec.form as 'lecture',
            audience: spec.audience,
            themes: spec.themes as 'constitution'[],
            ...(spec.campaign ? { campaign: spec.campaign as 'dec4' } : {}),
          },
        });
      }
      for (const u of spec.updates) out.push({ ...env(u.at), type: 'outreach.updated', data: { changes: { audience: u.audience } } });
      if (spec.voided) out.push({ ...env(spec.voided), type: 'outreach.voided', data: { reason: '录入错误' } });
    } else {
      out.push({
        ...env(spec.at),
        type: 'sweep.recorded',
        data: { households: spec.households, disputesFound: spec.disputesFound, ...(spec.zeroReport !== undefined ? { zeroReport: spec.zeroReport } : {}) },
      });
      if (spec.voided) out.push({ ...env(spec.voided), type: 'sweep.voided', data: { reason: '录入错误' } });
    }
  }
  return out;
}
