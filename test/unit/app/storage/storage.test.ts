// The phone's storage against fake-indexeddb: what a saved record leaves in the outbox, what
// an ack removes, that an upgrade keeps the queue, and that invalid input writes nothing.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { StoredEvent } from '#shared/events';
import {
  ackOutbox,
  applyPulled,
  closeDb,
  countOutbox,
  DB_NAME,
  exportOutbox,
  getCursor,
  getDeviceId,
  getEvents,
  getRecord,
  InvalidEventError,
  listRecords,
  loadDraft,
  markBlobUploaded,
  openDb,
  pendingBlobs,
  pendingOutbox,
  rebuildRecordsIfStale,
  recordEvents,
  rejectedOutbox,
  retryRejected,
  saveDraft,
  storageChanged,
  storageProblems,
  wipeDevice,
  type NewEvent,
  type TaizhangDb,
} from '../../../../src/app/storage/index.ts';
import { upgradeToV1 } from '../../../../src/app/storage/db.ts';
import type { CaseState } from '#shared/fold/index';

const uuid = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

function opened(subject: string, name = '张某'): NewEvent {
  return {
    type: 'case.opened',
    subjectId: subject,
    orgUnitId: 'grid-1',
    occurredAt: '2024-05-01T09:00:00+08:00',
    data: { disputeType: '02', source: 'application', summary: '宅基地边界', parties: [{ role: 'applicant', name }] },
  };
}

function sweep(subject: string): NewEvent {
  return {
    type: 'sweep.recorded',
    subjectId: subject,
    orgUnitId: 'grid-1',
    occurredAt: '2024-05-02T10:00:00+08:00',
    data: { households: 30, disputesFound: 0 },
  };
}

beforeEach(() => {
  // A fresh, empty IndexedDB per test.
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  await closeDb();
});

describe('recordEvents', () => {
  test('a save puts the event in the outbox, the folded record in records, and bumps storageChanged', async () => {
    const before = storageChanged.value;
    const [event] = await recordEvents([opened(uuid(1))]);
    expect(event?.deviceSeq).toBe(1);
    const queued = await pendingOutbox(10);
    expect(queued.map((q) => q.id)).toEqual([event?.id]);
    expect(queued[0]?.event.type).toBe('case.opened');
    const record = await getRecord(uuid(1));
    expect(record?.kind).toBe('case');
    expect(record?.pending).toBe(true);
    expect((record?.state as CaseState).status).toBe('open');
    expect(storageChanged.value).toBeGreaterThan(before);
    expect(await countOutbox()).toEqual({ pending: 1, rejected: 0 });
  });

  test('deviceSeq strictly increases across saves and reopenings, and the device id stays', async () => {
    const seqs: number[] = [];
    const devices = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const saved = await recordEvents([sweep(uuid(10 + i)), sweep(uuid(20 + i))]);
      for (const e of saved) {
        seqs.push(e.deviceSeq);
        devices.add(e.deviceId);
      }
      if (i === 1) await closeDb();
    }
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(devices.size).toBe(1);
  });

  test('the id the first save mints is the id the session and 关于 read, and it stays', async () => {
    const [saved] = await recordEvents([sweep(uuid(15))]);
    expect(saved?.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getDeviceId()).toBe(saved?.deviceId);
    await closeDb();
    expect(await getDeviceId()).toBe(saved?.deviceId);
  });

  test('an id read before any save is the one later saves are stamped with', async () => {
    const id = await getDeviceId();
    const [saved] = await recordEvents([sweep(uuid(16))]);
    expect(saved?.deviceId).toBe(id);
  });

  test('later events of a subject are based on its head; the record folds them all', async () => {
    const [first] = await recordEvents([opened(uuid(2))]);
    const [session] = await recordEvents([
      { type: 'case.session', subjectId: uuid(2), orgUnitId: 'grid-1', occurredAt: '2024-05-03T09:00:00+08:00', data: { content: '第一次调解' } },
    ]);
    expect(session?.basedOn).toEqual([first?.id]);
    const [closed] = await recordEvents([
      {
        type: 'case.closed',
        subjectId: uuid(2),
        orgUnitId: 'grid-1',
        occurredAt: '2024-05-04T09:00:00+08:00',
        data: { result: 'success', agreementForm: 'written' },
      },
    ]);
    expect(closed?.basedOn).toEqual([session?.id]);
    const state = (await getRecord(uuid(2)))?.state as CaseState;
    expect(state.status).toBe('closed');
    expect(state.sessions).toHaveLength(1);
    expect((await getEvents(uuid(2))).map((e) => e.type)).toEqual(['case.opened', 'case.session', 'case.closed']);
  });

  test('an invalid event throws the Chinese message and writes nothing, not even the valid one beside it', async () => {
    const bad = opened(uuid(3), '');
    const error = await recordEvents([sweep(uuid(4)), bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).message).toContain('请填写当事人姓名');
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });
    expect(await getRecord(uuid(4))).toBeUndefined();
    const db = await openDb();
    expect(await db.count('events')).toBe(0);
  });

  test('saving clears the draft and stores the photos in the same transaction', async () => {
    await saveDraft('outreach:new', 'outreach', { title: '民法典宣讲' });
    const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' });
    const sha = 'a'.repeat(64);
    await recordEvents(
      [
        {
          type: 'outreach.recorded',
          subjectId: uuid(5),
          orgUnitId: 'grid-1',
          occurredAt: '2024-05-05T09:00:00+08:00',
          data: { title: '民法典宣讲', form: 'lecture', audience: 80, photos: [{ sha256: sha, mime: 'image/jpeg', size: 3 }] },
        },
      ],
      { clearDraft: 'outreach:new', blobs: [{ sha256: sha, blob, mime: 'image/jpeg', size: 3, width: 1, height: 1, uploaded: false, createdAt: 1 }] },
    );
    expect(await loadDraft('outreach:new')).toBeUndefined();
    expect((await pendingBlobs()).map((b) => b.sha256)).toEqual([sha]);
    await markBlobUploaded(sha);
    expect(await pendingBlobs()).toEqual([]);
    const file = JSON.parse(await (await exportOutbox()).text()) as { events: unknown[]; photos: { sha256: string; base64: string }[] };
    expect(file.events).toHaveLength(1);
    expect(file.photos).toEqual([expect.objectContaining({ sha256: sha, base64: 'AQID' })]);
  });
});

describe('outbox acks', () => {
  test('ack removes only the acked ids; rejected ones stay marked and can be retried', async () => {
    const saved = await recordEvents([sweep(uuid(30)), sweep(uuid(31)), sweep(uuid(32))]);
    const [a, b, c] = saved.map((e) => e.id) as [string, string, string];
    await ackOutbox([
      { id: a, status: 'applied' },
      { id: b, status: 'rejected', error: { code: 'forbidden_org_unit', message: '不在您的网格' } },
      { id: 'not-ours', status: 'duplicate' },
    ]);
    expect((await pendingOutbox(10)).map((q) => q.id)).toEqual([c]);
    expect(await countOutbox()).toEqual({ pending: 1, rejected: 1 });
    expect((await getRecord(uuid(30)))?.pending).toBe(false);
    expect((await getRecord(uuid(31)))?.rejected).toBe(true);
    expect((await getRecord(uuid(32)))?.pending).toBe(true);
    expect(await retryRejected(b)).toBe(true);
    expect((await pendingOutbox(10)).map((q) => q.id).sort()).toEqual([b, c].sort());
    await ackOutbox([{ id: c, status: 'duplicate' }]);
    expect((await pendingOutbox(10)).map((q) => q.id)).toEqual([b]);
  });

  test('the refused entries listed for the user are the ones the header counts, with the reason', async () => {
    const saved = await recordEvents([sweep(uuid(33)), sweep(uuid(34)), sweep(uuid(35))]);
    const [a, b] = saved.map((e) => e.id) as [string, string, string];
    await ackOutbox([
      { id: a, status: 'rejected', error: { code: 'forbidden_org_unit', message: '不在您的网格' } },
      { id: b, status: 'rejected', error: { code: 'invalid_event', message: '户数不对' } },
    ]);
    const rejected = await rejectedOutbox();
    expect(rejected.map((q) => q.id)).toEqual([a, b]);
    expect(rejected.map((q) => q.error?.message)).toEqual(['不在您的网格', '户数不对']);
    expect((await countOutbox()).rejected).toBe(rejected.length);
  });

  test('pendingOutbox returns the oldest first, up to the limit', async () => {
    const first = await recordEvents([sweep(uuid(40))]);
    await new Promise((r) => setTimeout(r, 5));
    await recordEvents([sweep(uuid(41))]);
    expect((await pendingOutbox(1)).map((q) => q.id)).toEqual([first[0]?.id]);
  });
});

describe('pull', () => {
  test('pulled events add to records, known ids only gain the server fields, the cursor moves', async () => {
    const [own] = await recordEvents([opened(uuid(50))]);
    if (!own) throw new Error('nothing saved');
    const numbered: StoredEvent = {
      id: uuid(51),
      type: 'case.numbered',
      subjectId: uuid(50),
      orgUnitId: 'grid-1',
      occurredAt: '2024-05-01T10:00:00+08:00',
      recordedAt: '2024-05-01T02:00:00Z',
      deviceId: 'server',
      deviceSeq: 0,
      data: { caseNumber: '（2024）江口人调字第001号', year: 2024, committeeId: 'cmt-1', sequence: 1 },
      seq: 2,
      authorId: 'server',
      receivedAt: '2024-05-01T02:00:00Z',
    };
    await applyPulled([{ ...own, seq: 1, authorId: 'u1', receivedAt: '2024-05-01T01:00:00Z' } as StoredEvent, numbered], 2);
    expect(await getCursor()).toBe(2);
    const db = await openDb();
    expect((await db.get('events', own.id))?.seq).toBe(1);
    expect((await getRecord(uuid(50)))?.state).toMatchObject({ caseNumber: '（2024）江口人调字第001号' });
    expect((await listRecords('case')).map((r) => r.subjectId)).toEqual([uuid(50)]);
  });

  test('a row the schema refuses is kept and reported, not dropped', async () => {
    await recordEvents([opened(uuid(60))]);
    const broken = {
      id: uuid(61),
      type: 'case.session',
      subjectId: uuid(60),
      orgUnitId: 'grid-1',
      occurredAt: 'yesterday',
      data: {},
    } as unknown as StoredEvent;
    await applyPulled([broken], 5);
    const db = await openDb();
    expect(await db.get('events', uuid(61))).toBeDefined();
    expect(storageProblems.value.map((p) => p.id)).toContain(uuid(61));
    expect(storageProblems.value.find((p) => p.id === uuid(61))?.newer).toBeUndefined();
    expect((await getEvents(uuid(60))).map((e) => e.type)).toEqual(['case.opened']);
  });

  test('a type this version does not know is kept and reported as a newer version’s, readable after an update', async () => {
    await recordEvents([opened(uuid(62))]);
    const future = {
      id: uuid(63),
      type: 'case.appraised',
      subjectId: uuid(62),
      orgUnitId: 'grid-1',
      occurredAt: '2024-05-02T10:00:00+08:00',
      recordedAt: '2024-05-02T02:00:00Z',
      deviceId: 'server',
      deviceSeq: 0,
      data: { score: 5 },
    } as unknown as StoredEvent;
    await applyPulled([future], 6);
    expect(await (await openDb()).get('events', uuid(63))).toBeDefined();
    const problem = storageProblems.value.find((p) => p.id === uuid(63));
    expect(problem).toMatchObject({ newer: true, message: '新版本的记录，更新应用后即可显示' });
    expect((await getEvents(uuid(62))).map((e) => e.type)).toEqual(['case.opened']);
  });
});

describe('after an app update', () => {
  test('records written by another fold version are rebuilt from their events; the rebuild runs once', async () => {
    await recordEvents([opened(uuid(110))]);
    const db = await openDb();
    const held = await db.get('records', uuid(110));
    if (!held) throw new Error('no record');
    // As an older version might have left it: a different shape, and no fold version mark.
    await db.put('records', { ...held, state: { ...held.state, status: 'stale' } as unknown as CaseState });
    await db.delete('meta', 'foldVersion');
    await rebuildRecordsIfStale();
    expect(((await getRecord(uuid(110)))?.state as CaseState).status).toBe('open');
    expect((await getRecord(uuid(110)))?.pending).toBe(true);

    await db.put('records', { ...held, state: { ...held.state, status: 'stale' } as unknown as CaseState });
    await rebuildRecordsIfStale();
    expect(((await getRecord(uuid(110)))?.state as CaseState).status).toBe('stale');
  });
});

describe('after the update that reads 重大, 典型 and grades', () => {
  test('a case flagged while the phone ran an older version shows the flag once the app is updated', async () => {
    const [open] = await recordEvents([opened(uuid(120))]);
    const db = await openDb();
    // What an older version left: the pulled case.major it could not read, the case folded without it.
    await db.put('events', {
      ...open!,
      id: uuid(121),
      type: 'case.major',
      deviceId: 'other',
      deviceSeq: 1,
      data: { flagged: true, criteria: ['many_people'] },
    });
    await db.put('meta', { key: 'foldVersion', value: 1 });
    expect(((await getRecord(uuid(120)))?.state as CaseState).major).toBeUndefined();
    await rebuildRecordsIfStale();
    expect(((await getRecord(uuid(120)))?.state as CaseState).major?.flagged).toBe(true);
  });
});

describe('drafts, upgrades, wipe', () => {
  test('a draft survives closing and reopening the database', async () => {
    await saveDraft('case:new', 'case', { summary: '半句话' });
    await closeDb();
    expect((await loadDraft('case:new'))?.values).toEqual({ summary: '半句话' });
  });

  test('upgrading from version 1 keeps every outbox entry and adds the status index', async () => {
    const v1 = await openDB<TaizhangDb>(DB_NAME, 1, { upgrade: (db) => upgradeToV1(db) });
    const event = {
      id: uuid(70),
      type: 'sweep.recorded',
      subjectId: uuid(71),
      orgUnitId: 'grid-1',
      occurredAt: '2024-05-02T10:00:00+08:00',
      recordedAt: '2024-05-02T02:00:00Z',
      deviceId: 'd1',
      deviceSeq: 1,
      data: { households: 3, disputesFound: 0 },
    } as const;
    const tx = v1.transaction(['outbox', 'events'], 'readwrite');
    for (let i = 0; i < 3; i++) {
      const e = { ...event, id: uuid(70 + i * 10), deviceSeq: i + 1 };
      await tx.objectStore('events').put(e);
      await tx.objectStore('outbox').put({ id: e.id, event: e, queuedAt: 1000 + i, attempts: 0, status: 'pending' });
    }
    await tx.done;
    v1.close();

    const db = await openDb();
    expect(db.version).toBe(4);
    expect(await db.count('outbox')).toBe(3);
    expect((await pendingOutbox(10)).map((q) => q.id)).toEqual([uuid(70), uuid(80), uuid(90)]);
  });

  test('wipeDevice removes records, outbox and drafts but keeps the device counter going', async () => {
    const [before] = await recordEvents([sweep(uuid(100))]);
    await saveDraft('k', 'case', {});
    await wipeDevice();
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });
    expect(await getRecord(uuid(100))).toBeUndefined();
    expect(await loadDraft('k')).toBeUndefined();
    const [after] = await recordEvents([sweep(uuid(101))]);
    expect(after?.deviceId).toBe(before?.deviceId);
    expect(after?.deviceSeq).toBe((before?.deviceSeq ?? 0) + 1);
  });
});
