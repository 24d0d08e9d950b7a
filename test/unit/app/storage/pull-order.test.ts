// Pulled events reach a phone in any batches, any order, with repeats: the record the phone
// keeps must be the fold of the set, exactly what folding everything at once gives.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import type { DomainEvent, StoredEvent } from '#shared/events';
import { foldSubject } from '#shared/fold/index';
import { applyPulled, closeDb, getRecord } from '../../../../src/app/storage/index.ts';
import { closed, makeEvent, opened, reopened, updated, uuid, voided } from '../../shared/support/builders.ts';

afterEach(async () => {
  await closeDb();
});

const SUBJECT = uuid(1);
const on = (day: number, hour = 9) => `2024-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;

const history: DomainEvent[] = [
  opened(on(1), { deviceSeq: 1 }),
  makeEvent('case.session', on(2), { content: '第一次调解' }, { deviceSeq: 2 }),
  updated(on(3), { summary: '宅基地边界及排水沟' }, { deviceId: 'dev-2', deviceSeq: 1 }),
  updated(on(3, 10), { summary: '仅宅基地边界' }, { deviceId: 'dev-1', deviceSeq: 3 }),
  closed(on(4), 'failure', { deviceSeq: 4 }),
  reopened(on(5), { deviceSeq: 5 }),
  closed(on(6), 'success', { deviceSeq: 6 }),
  makeEvent(
    'case.numbered',
    on(1, 11),
    { caseNumber: '（2024）石坝人调字第001号', year: 2024, committeeId: 'cmt-1', sequence: 1 },
    { deviceId: 'server', deviceSeq: 0 },
  ),
  voided(on(7), { deviceId: 'dev-3', deviceSeq: 1 }),
];

const stored = (e: DomainEvent, seq: number): StoredEvent => ({ ...e, seq, authorId: 'u1', receivedAt: '2024-05-08T00:00:00Z' });

test('any batching, order and duplication of pulled events gives the record of the whole set', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.subarray(history, { minLength: 1 }),
      fc.array(fc.nat({ max: 100 }), { minLength: 1, maxLength: 20 }),
      fc.nat({ max: 4 }),
      async (chosen, order, batchSize) => {
        globalThis.indexedDB = new IDBFactory();
        // Each chosen event at least once, some twice, in an order picked by the arbitrary.
        const arrivals = [...chosen, ...order.map((i) => chosen[i % chosen.length]!)];
        const shuffled = arrivals
          .map((e, i) => ({ e, k: order[i % order.length]! * 31 + i }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        const size = batchSize + 1;
        for (let i = 0; i < shuffled.length; i += size) {
          await applyPulled(
            shuffled.slice(i, i + size).map((e, j) => stored(e, i + j + 1)),
            i + size,
          );
        }
        const record = await getRecord(SUBJECT);
        expect(record?.state).toEqual(foldSubject(chosen, SUBJECT));
        await closeDb();
      },
    ),
    { numRuns: 40 },
  );
});
