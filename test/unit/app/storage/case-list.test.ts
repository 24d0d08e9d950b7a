// The case list's summaries against fake-indexeddb: written in the transaction that writes
// the case's events, kept in step with the outbox, read by index for every filter, search and
// due list, and built once by the upgrade from the previous schema with nothing lost.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { DomainEvent, StoredEvent } from '#shared/events';
import { foldSubject, isOverdue, type CaseState } from '#shared/fold/index';
import { dueItems, dueSoon } from '#shared/fold/due';
import {
  ackOutbox,
  applyPulled,
  caseUnits,
  casesFromSweeps,
  casesOpenedSince,
  closeDb,
  DB_NAME,
  dueWorkUntil,
  getRecord,
  listOutbox,
  openDb,
  overdueCases,
  queryCases,
  recordEvents,
  wipeDevice,
  type CaseQuery,
  type NewEvent,
  type TaizhangDb,
} from '../../../../src/app/storage/index.ts';
import { upgradeToV1, upgradeToV3 } from '../../../../src/app/storage/db.ts';
import { summarizeCase } from '../../../../src/app/storage/summaries.ts';

const uuid = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const ALL: CaseQuery = { status: '', type: '', text: '', due: '', sort: 'opened' };

function opened(subject: string, day: number, extra: Record<string, unknown> = {}, orgUnitId = 'grid-1'): NewEvent {
  return {
    type: 'case.opened',
    subjectId: subject,
    orgUnitId,
    occurredAt: `2024-05-${String(day).padStart(2, '0')}T09:00:00+08:00`,
    data: { disputeType: '02', source: 'application', summary: '宅基地边界', parties: [{ role: 'applicant', name: '张某' }], ...extra },
  };
}

function closed(subject: string, day: number, performanceDeadline?: string): NewEvent {
  return {
    type: 'case.closed',
    subjectId: subject,
    orgUnitId: 'grid-1',
    occurredAt: `2024-05-${String(day).padStart(2, '0')}T15:00:00+08:00`,
    data: { result: 'success', agreementForm: 'written', ...(performanceDeadline ? { performanceDeadline } : {}) },
  };
}

const ids = (page: { rows: { summary: { subjectId: string } }[] }) => page.rows.map((r) => r.summary.subjectId);

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  await closeDb();
});

describe('summaries follow the events they fold', () => {
  test('a save writes the summary in its transaction; an ack clears its 待上传 there too', async () => {
    const [e] = await recordEvents([opened(uuid(1), 1, { parties: [{ role: 'applicant', name: '陈小红', phone: '138-0000-1234' }] })]);
    const page = await queryCases(ALL, 50);
    expect(page.total).toBe(1);
    expect(page.rows[0]?.summary).toMatchObject({ subjectId: uuid(1), names: ['陈小红'], pending: true, status: 'open', unitId: 'grid-1' });
    await ackOutbox([{ id: e!.id, status: 'applied' }]);
    expect((await queryCases({ ...ALL, status: 'pending' }, 50)).total).toBe(0);
    expect((await queryCases(ALL, 50)).rows[0]?.summary.pending).toBe(false);
  });

  test('a session recorded marks the summary mediated: the list reads 待调解 until then', async () => {
    await recordEvents([opened(uuid(4), 1)]);
    expect((await queryCases(ALL, 50)).rows[0]?.summary.mediated).toBe(false);
    await recordEvents([
      { type: 'case.session', subjectId: uuid(4), orgUnitId: 'grid-1', occurredAt: '2024-03-02T09:00:00+08:00', data: { content: '第一次调解' } },
    ]);
    expect((await queryCases(ALL, 50)).rows[0]?.summary.mediated).toBe(true);
  });

  test('a failed save leaves no summary behind', async () => {
    await expect(recordEvents([opened(uuid(2), 1), { ...opened(uuid(3), 1), data: { summary: '' } }])).rejects.toThrow();
    expect((await queryCases(ALL, 50)).total).toBe(0);
  });

  test('a pulled case number, closure and 更正 of the unit reach the summary', async () => {
    await recordEvents([opened(uuid(4), 1)]);
    const base = { orgUnitId: 'grid-1', recordedAt: '2024-05-01T01:00:00Z', deviceId: 'server', subjectId: uuid(4) };
    await applyPulled(
      [
        {
          ...base,
          id: uuid(901),
          type: 'case.numbered',
          occurredAt: '2024-05-01T10:00:00+08:00',
          deviceSeq: 1,
          data: { caseNumber: '（2024）江口人调字第007号', year: 2024, committeeId: 'tjh', sequence: 7 },
        },
        { ...base, id: uuid(902), type: 'case.updated', occurredAt: '2024-05-02T10:00:00+08:00', deviceSeq: 2, data: { changes: { orgUnitId: 'grid-2' } } },
      ] as StoredEvent[],
      2,
    );
    const s = (await queryCases(ALL, 50)).rows[0]?.summary;
    expect(s).toMatchObject({ caseNumber: '（2024）江口人调字第007号', orgUnitId: 'grid-1', unitId: 'grid-2' });
    expect(await caseUnits()).toEqual(['grid-2']);
    expect(ids(await queryCases({ ...ALL, text: '第007号' }, 50))).toEqual([uuid(4)]);
  });

  test('a 更正 of the summary text is found by its new words only', async () => {
    await recordEvents([opened(uuid(6), 1, { summary: '排水沟堵塞' })]);
    await recordEvents([
      { type: 'case.updated', subjectId: uuid(6), orgUnitId: 'grid-1', occurredAt: '2024-05-02T09:00:00+08:00', data: { changes: { summary: '宅基地边界' } } },
    ]);
    expect(ids(await queryCases({ ...ALL, text: '边界', withAbout: true }, 50))).toEqual([uuid(6)]);
    expect(ids(await queryCases({ ...ALL, text: '排水沟', withAbout: true }, 50))).toEqual([]);
  });

  test('logging out removes the summaries with the records', async () => {
    await recordEvents([opened(uuid(5), 1)]);
    await wipeDevice();
    expect((await queryCases(ALL, 50)).total).toBe(0);
    expect((await queryCases({ ...ALL, text: '宅基地', withAbout: true }, 50)).total).toBe(0);
  });
});

describe('the list reads by index', () => {
  beforeEach(async () => {
    await recordEvents([
      opened(uuid(10), 1, { parties: [{ role: 'applicant', name: '陈小红', phone: '138-0000-1234' }], summary: '离婚财产分割', disputeType: '01-divorce' }),
      opened(uuid(11), 2, { parties: [{ role: 'applicant', name: '刘大' }], summary: '排水沟' }, 'grid-2'),
      opened(uuid(12), 3, { parties: [{ role: 'applicant', name: '王五', phone: '13900005678' }] }),
      opened(uuid(13), 4, { summary: '小红家的牛吃了庄稼' }),
      closed(uuid(12), 5),
    ]);
  });

  test('newest first, a page at a time, with the total', async () => {
    expect(ids(await queryCases(ALL, 50))).toEqual([uuid(13), uuid(12), uuid(11), uuid(10)]);
    const first = await queryCases(ALL, 2);
    expect(ids(first)).toEqual([uuid(13), uuid(12)]);
    expect(first.total).toBe(4);
  });

  test('a name in part, a phone number whole, in part or spaced, a case number; the summary text only with withAbout', async () => {
    expect(ids(await queryCases({ ...ALL, text: '小红' }, 50))).toEqual([uuid(10)]);
    expect(ids(await queryCases({ ...ALL, text: '小红', withAbout: true }, 50))).toEqual([uuid(13), uuid(10)]);
    expect(ids(await queryCases({ ...ALL, text: '财产', withAbout: true }, 50))).toEqual([uuid(10)]);
    expect(ids(await queryCases({ ...ALL, text: '13800001234' }, 50))).toEqual([uuid(10)]);
    expect(ids(await queryCases({ ...ALL, text: '138 0000 1234' }, 50))).toEqual([uuid(10)]);
    expect(ids(await queryCases({ ...ALL, text: '5678' }, 50))).toEqual([uuid(12)]);
    expect(ids(await queryCases({ ...ALL, text: '13900001234' }, 50))).toEqual([]);
    // Two digits are not a phone search.
    expect(ids(await queryCases({ ...ALL, text: '13' }, 50))).toEqual([]);
  });

  test('status, 待上传, type (sub-types roll up) and place (a set of units)', async () => {
    expect(ids(await queryCases({ ...ALL, status: 'closed' }, 50))).toEqual([uuid(12)]);
    expect((await queryCases({ ...ALL, status: 'open' }, 50)).total).toBe(3);
    expect((await queryCases({ ...ALL, status: 'pending' }, 50)).total).toBe(4);
    expect(ids(await queryCases({ ...ALL, type: '01' }, 50))).toEqual([uuid(10)]);
    expect(ids(await queryCases({ ...ALL, units: new Set(['grid-2']) }, 50))).toEqual([uuid(11)]);
    expect(ids(await queryCases({ ...ALL, type: '02', status: 'open', units: new Set(['grid-1']) }, 50))).toEqual([uuid(13)]);
    expect((await caseUnits()).sort()).toEqual(['grid-1', 'grid-2']);
  });
});

describe('due work and overdue cases agree with the fold', () => {
  test('回访 and 履行期限 by their dates, as dueItems lists them; 到期早→晚 puts them first', async () => {
    await recordEvents([opened(uuid(20), 1), closed(uuid(20), 2, '2024-05-20'), opened(uuid(21), 3), closed(uuid(21), 4), opened(uuid(22), 6)]);
    const states = await Promise.all([20, 21, 22].map(async (n) => (await getRecord(uuid(n)))!.state as CaseState));
    const expected = dueSoon(dueItems(states), '2024-05-10').map((i) => [i.kind, i.date, i.state.subjectId]);
    expect((await dueWorkUntil('2024-05-17')).map((i) => [i.kind, i.date, i.summary.subjectId])).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);

    const due = await queryCases({ ...ALL, due: 'due', sort: 'due' }, 50);
    expect(due.rows.map((r) => [r.summary.subjectId, r.due?.kind, r.due?.date])).toEqual([
      [uuid(20), 'followup', '2024-05-09'],
      [uuid(21), 'followup', '2024-05-11'],
    ]);
    expect(ids(await queryCases({ ...ALL, due: 'performance' }, 50))).toEqual([uuid(20)]);
    expect(ids(await queryCases({ ...ALL, sort: 'due' }, 50))).toEqual([uuid(20), uuid(21), uuid(22)]);
  });

  test('超过 30 天未结 is isOverdue at the moment asked', async () => {
    await recordEvents([opened(uuid(30), 1), opened(uuid(31), 10, { acceptedOn: '2024-05-02' }), opened(uuid(32), 20), closed(uuid(32), 21)]);
    for (const now of ['2024-06-01T08:59:00+08:00', '2024-06-01T09:00:00+08:00', '2024-06-02T09:00:00+08:00', '2024-07-01T00:00:00+08:00']) {
      const states = await Promise.all([30, 31, 32].map(async (n) => (await getRecord(uuid(n)))!.state as CaseState));
      const expected = states.filter((s) => isOverdue(s, now)).map((s) => s.subjectId);
      const nowMs = Date.parse(now);
      expect((await overdueCases(nowMs)).map((s) => s.subjectId).sort(), now).toEqual(expected.sort());
      expect(ids(await queryCases({ ...ALL, due: 'overdue' }, 50, nowMs)).sort(), now).toEqual(expected.sort());
    }
  });

  test('cases since a day, and the cases a sweep produced', async () => {
    const sweepId = uuid(40);
    await recordEvents([opened(uuid(41), 1), opened(uuid(42), 9, { sweepId })]);
    expect((await casesOpenedSince(Date.parse('2024-05-09T00:00:00+08:00'))).map((s) => s.subjectId)).toEqual([uuid(42)]);
    expect((await casesFromSweeps([sweepId])).map((s) => s.subjectId)).toEqual([uuid(42)]);
  });
});

describe('upgrades from earlier versions', () => {
  test('from version 2 builds every case’s summary once from the held records and keeps events, records and the outbox', async () => {
    // A phone on the previous release: version 2's stores, a case, a sweep, and the outbox.
    const v2 = await openDB<TaizhangDb>(DB_NAME, 2, {
      upgrade(db, _old, _new, tx) {
        upgradeToV1(db);
        tx.objectStore('records').createIndex('byUpdatedAt', 'updatedAt');
        tx.objectStore('outbox').createIndex('byStatus', ['status', 'queuedAt']);
      },
    });
    const events: DomainEvent[] = [];
    for (let n = 0; n < 30; n++) {
      events.push({
        id: uuid(500 + n),
        type: 'case.opened',
        subjectId: uuid(100 + n),
        orgUnitId: 'grid-1',
        occurredAt: `2024-04-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00+08:00`,
        recordedAt: '2024-04-01T01:00:00Z',
        deviceId: 'old-phone',
        deviceSeq: n + 1,
        data: { disputeType: '02', source: 'application', summary: '旧版本的案件', parties: [{ role: 'applicant', name: `旧${n}号` }] },
      });
    }
    const sweepEvent: DomainEvent = {
      id: uuid(600),
      type: 'sweep.recorded',
      subjectId: uuid(601),
      orgUnitId: 'grid-1',
      occurredAt: '2024-04-02T10:00:00+08:00',
      recordedAt: '2024-04-02T02:00:00Z',
      deviceId: 'old-phone',
      deviceSeq: 99,
      data: { households: 30, disputesFound: 0 },
    };
    for (const e of [...events, sweepEvent]) {
      await v2.put('events', e);
      const state = foldSubject([e])!;
      await v2.put('records', { subjectId: e.subjectId, kind: state.kind, state, updatedAt: 1, pending: e.deviceSeq === 1 });
    }
    await v2.put('outbox', { id: events[0]!.id, event: events[0]!, queuedAt: 1, attempts: 0, status: 'pending' });
    v2.close();

    const db = await openDb();
    expect(db.version).toBe(4);
    expect(await db.count('events')).toBe(31);
    expect(await db.count('records')).toBe(31);
    expect(await db.count('outbox')).toBe(1);
    expect(await db.count('summaries')).toBe(30);
    expect(await db.get('caseTexts', uuid(100))).toBe('旧版本的案件');
    const first = await db.get('summaries', uuid(100));
    const record = await db.get('records', uuid(100));
    expect(first).toEqual(summarizeCase(record!.state as CaseState, record!));
    expect(first?.pending).toBe(true);
    expect(ids(await queryCases({ ...ALL, text: '旧7号' }, 50))).toEqual([uuid(107)]);
    expect((await queryCases(ALL, 10)).total).toBe(30);
    expect((await listOutbox()).map((e) => e.id)).toEqual([events[0]!.id]);
  });

  test('from version 3 adds the summary texts and keeps the summaries', async () => {
    // A phone on the release with summaries but no texts store.
    const v3 = await openDB<TaizhangDb>(DB_NAME, 3, {
      upgrade(db, _old, _new, tx) {
        upgradeToV1(db);
        tx.objectStore('records').createIndex('byUpdatedAt', 'updatedAt');
        tx.objectStore('outbox').createIndex('byStatus', ['status', 'queuedAt']);
        upgradeToV3(db);
      },
    });
    const event: DomainEvent = {
      id: uuid(700),
      type: 'case.opened',
      subjectId: uuid(701),
      orgUnitId: 'grid-1',
      occurredAt: '2024-04-01T09:00:00+08:00',
      recordedAt: '2024-04-01T01:00:00Z',
      deviceId: 'old-phone',
      deviceSeq: 1,
      data: { disputeType: '02', source: 'application', summary: '鱼塘承包费', parties: [{ role: 'applicant', name: '孙某' }] },
    };
    const state = foldSubject([event])! as CaseState;
    const record = { subjectId: event.subjectId, kind: 'case' as const, state, updatedAt: 1, pending: false };
    await v3.put('events', event);
    await v3.put('records', record);
    await v3.put('summaries', summarizeCase(state, record));
    v3.close();

    const db = await openDb();
    expect(db.version).toBe(4);
    expect(await db.get('caseTexts', uuid(701))).toBe('鱼塘承包费');
    expect(ids(await queryCases({ ...ALL, text: '承包', withAbout: true }, 50))).toEqual([uuid(701)]);
    expect((await queryCases(ALL, 50)).total).toBe(1);
  });
});
