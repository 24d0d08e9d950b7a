// Runs in Chromium: times the app's own save path (recordEvents: validate, stamp, write
// events + record + outbox in one transaction, resolve after commit) on a store that
// already holds a season of records.
import { v7 as uuidv7 } from 'uuid';
import { recordEvents, type NewEvent } from '../../../src/app/storage/index.ts';

function caseOpened(i: number): NewEvent {
  return {
    type: 'case.opened',
    subjectId: uuidv7(),
    orgUnitId: 'grid-1',
    occurredAt: '2024-06-15T10:00:00+08:00',
    data: {
      disputeType: '03',
      source: 'application',
      summary: `第${i}件：双方因宅基地边界及排水沟走向发生争执，经村调委会多次上门了解情况，双方同意接受调解。`,
      parties: [
        { role: 'applicant', name: '张某某', sex: 'male', age: 56, phone: '13812345678' },
        { role: 'respondent', name: '李某某', sex: 'female', age: 49, phone: '13987654321' },
      ],
      peopleInvolved: 2,
      amountInvolved: 3000,
    },
  } as NewEvent;
}

declare global {
  interface Window {
    runSaves(prefill: number, saves: number): Promise<number[]>;
  }
}

window.runSaves = async (prefill, saves) => {
  for (let i = 0; i < prefill; i += 50) await recordEvents(Array.from({ length: 50 }, (_, k) => caseOpened(i + k)));
  const times: number[] = [];
  for (let i = 0; i < saves; i++) {
    const t0 = performance.now();
    await recordEvents([caseOpened(i)]);
    times.push(performance.now() - t0);
  }
  return times;
};
