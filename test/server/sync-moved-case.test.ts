// A case moved to another grid by a 更正 (case.updated changes.orgUnitId), through HTTP on every
// store: the new grid's phones get the whole case, its earlier events included, whether they
// pulled before the move or start fresh, with the parties in the clear; the old grid's phones
// get the move and nothing after it. Plus the phone's own sync client in process: the case
// appears in the new grid's case list. See services/pull-backfill.ts.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '#shared/events';
import { requestLogin } from '../../src/app/session/api.ts';
import * as storage from '../../src/app/storage/index.ts';
import { createSyncEngine, memoryLocks } from '../../src/app/sync/engine.ts';
import type { RunReport } from '../../src/app/sync/sender.ts';
import type { FetchLike } from '../../src/app/net/http.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, G2, PASSWORD, pull, pullAll, push, seedTownship, type Township } from './support/sync-fixtures.ts';

let deviceSeq = 1000;
function caseEvent(
  of: DomainEvent,
  type: 'case.session' | 'case.updated',
  occurredAt: string,
  data: unknown,
  orgUnitId = of.orgUnitId,
  recordedAt = new Date().toISOString(),
): DomainEvent {
  return {
    id: uuidv7(),
    type,
    subjectId: of.subjectId,
    orgUnitId,
    occurredAt,
    recordedAt,
    deviceId: 'dev-test',
    deviceSeq: ++deviceSeq,
    data,
  } as DomainEvent;
}

describe.each(storeCases())('a case moved to another grid on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('reaches the new grid whole, and the old grid keeps what it had plus the move', async () => {
    // The second grid's phone has pulled before: its cursor is past everything so far.
    const grid2Before = await pullAll(t(), town.tokens.grid2!);
    const grid1Before = await pullAll(t(), town.tokens.grid1!);

    const opened = caseOpened(G1, '2024-06-01T09:00:00+08:00', {
      parties: [
        { role: 'applicant', name: '周建国', phone: '13800001111' },
        { role: 'respondent', name: '吴平', phone: '13900002222' },
      ],
    });
    const session = caseEvent(opened, 'case.session', '2024-06-02T09:00:00+08:00', { content: '第一次调解' });
    const stays = caseOpened(G1, '2024-06-01T10:00:00+08:00');
    expect((await push(t(), town.tokens.grid1!, [opened, session, stays])).status).toBe(200);
    const grid2Middle = await pullAll(t(), town.tokens.grid2!, grid2Before.cursor);
    expect(grid2Middle.events.filter((e) => e.subjectId === opened.subjectId)).toEqual([]);

    // The village's mediator moves it to the second grid (the envelope names the unit it is in until then).
    const move = caseEvent(opened, 'case.updated', '2024-06-03T09:00:00+08:00', { changes: { orgUnitId: G2 } });
    const moved = await push(t(), town.tokens.mediator1!, [move]);
    expect(moved.body.results).toEqual([{ id: move.id, status: 'applied' }]);

    const grid2After = await pullAll(t(), town.tokens.grid2!, grid2Middle.cursor, 2);
    const got = grid2After.events.filter((e) => e.subjectId === opened.subjectId);
    const ids = new Set(got.map((e) => e.id));
    expect(ids.has(opened.id) && ids.has(session.id) && ids.has(move.id)).toBe(true);
    expect(got.some((e) => e.type === 'case.numbered')).toBe(true);
    // The parties in the clear: the case is the grid's own now.
    const registration = got.find((e) => e.id === opened.id)!;
    expect(registration.type === 'case.opened' && registration.data.parties.map((p) => p.phone)).toEqual(['13800001111', '13900002222']);
    expect(registration.masked).toBeUndefined();
    expect(grid2After.events.some((e) => e.subjectId === stays.subjectId)).toBe(false);

    // The old grid sees the move (where the case went)…
    const grid1After = await pullAll(t(), town.tokens.grid1!, grid1Before.cursor);
    expect(grid1After.events.map((e) => e.id)).toContain(move.id);
    // …and nothing after it; the new grid gets what follows.
    const later = caseEvent(opened, 'case.session', '2024-06-04T09:00:00+08:00', { content: '第二次调解' }, G2);
    expect((await push(t(), town.tokens.mediator1!, [later])).body.results[0]?.status).toBe('applied');
    expect((await pullAll(t(), town.tokens.grid1!, grid1After.cursor)).events.map((e) => e.id)).not.toContain(later.id);
    const grid2Later = await pullAll(t(), town.tokens.grid2!, grid2After.cursor);
    expect(grid2Later.events.map((e) => e.id)).toEqual([later.id]);

    // A fresh phone of the second grid gets the whole case too; pulls after it bring nothing again.
    const fresh = await town.login('grid2', 'dev-grid2-new');
    const all = await pullAll(t(), fresh);
    const freshIds = all.events.filter((e) => e.subjectId === opened.subjectId).map((e) => e.id);
    expect(new Set(freshIds)).toEqual(new Set([...got.map((e) => e.id), later.id]));
    const next = await pull(t(), fresh, all.cursor);
    expect(next.body).toMatchObject({ events: [], hasMore: false });
  });

  it('a grid a case passed through gets its history up to the move in, not what it did after it left', async () => {
    const passing = caseOpened(G1, '2024-07-01T09:00:00+08:00', {
      parties: [
        { role: 'applicant', name: '钱多多', phone: '13700004444' },
        { role: 'respondent', name: '孙少' },
      ],
    });
    const into = caseEvent(passing, 'case.updated', '2024-07-02T09:00:00+08:00', { changes: { orgUnitId: G2 } });
    const back = caseEvent(passing, 'case.updated', '2024-07-03T09:00:00+08:00', { changes: { orgUnitId: G1 } }, G2);
    const afterwards = caseEvent(passing, 'case.session', '2024-07-04T09:00:00+08:00', { content: '回到第一网格后的调解' }, G1);
    expect((await push(t(), town.tokens.grid1!, [passing])).status).toBe(200);
    for (const e of [into, back, afterwards]) expect((await push(t(), town.tokens.mediator1!, [e])).body.results[0]?.status).toBe('applied');
    // Another case moves into the second grid later: its move must not stretch the first case's history.
    const other = caseOpened(G1, '2024-07-05T09:00:00+08:00');
    const otherIn = caseEvent(other, 'case.updated', '2024-07-06T09:00:00+08:00', { changes: { orgUnitId: G2 } });
    expect((await push(t(), town.tokens.grid1!, [other])).status).toBe(200);
    expect((await push(t(), town.tokens.mediator1!, [otherIn])).body.results[0]?.status).toBe('applied');

    const fresh = await town.login('grid2', 'dev-grid2-passing');
    const ids = (await pullAll(t(), fresh, 0, 3)).events.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([passing.id, into.id, back.id, other.id, otherIn.id]));
    expect(ids).not.toContain(afterwards.id);
  });

  it('the new grid works the moved case, the old grid no longer, and what it saved before the move lands', async () => {
    const opened = caseOpened(G1, '2024-08-01T09:00:00+08:00');
    expect((await push(t(), town.tokens.grid1!, [opened])).status).toBe(200);
    const grid1Before = await pullAll(t(), town.tokens.grid1!);
    const grid2Before = await pullAll(t(), town.tokens.grid2!);
    // Saved on the old grid's phone before the move, still in its outbox when the move is pushed.
    const savedBefore = caseEvent(
      opened,
      'case.session',
      '2024-08-02T09:00:00+08:00',
      { content: '移交前的调解' },
      G1,
      new Date(Date.now() - 60_000).toISOString(),
    );
    const move = caseEvent(opened, 'case.updated', '2024-08-03T09:00:00+08:00', { changes: { orgUnitId: G2 } });
    expect((await push(t(), town.tokens.mediator1!, [move])).body.results).toEqual([{ id: move.id, status: 'applied' }]);

    // The new grid's worker records a 调解记录 naming the case's current unit.
    const byNewGrid = caseEvent(opened, 'case.session', '2024-08-04T09:00:00+08:00', { content: '新网格调解' }, G2);
    expect((await push(t(), town.tokens.grid2!, [byNewGrid])).body.results).toEqual([{ id: byNewGrid.id, status: 'applied' }]);
    // The old grid's worker, after the move, can no longer write it: naming the old unit is refused…
    const afterMove = caseEvent(
      opened,
      'case.session',
      '2024-08-05T09:00:00+08:00',
      { content: '旧网格调解' },
      G1,
      new Date(Date.now() + 60_000).toISOString(),
    );
    const refused = await push(t(), town.tokens.grid1!, [afterMove]);
    expect(refused.body.results).toEqual([
      { id: afterMove.id, status: 'rejected', error: { code: 'forbidden_org_unit', message: expect.stringContaining('更正到另一个网格') } },
    ]);
    // …and naming the new one is outside its write scope.
    const intoNew = caseEvent(opened, 'case.session', '2024-08-05T10:00:00+08:00', { content: '旧网格调解' }, G2);
    expect((await push(t(), town.tokens.grid1!, [intoNew])).body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_org_unit' } });
    // What the old grid saved before the move lands: it is the case's history.
    expect((await push(t(), town.tokens.grid1!, [savedBefore])).body.results).toEqual([{ id: savedBefore.id, status: 'applied' }]);

    // The new grid pulls the whole case, the old grid's saved record included; the old grid only up to the move.
    const grid2After = await pullAll(t(), town.tokens.grid2!, grid2Before.cursor, 2);
    const ids = new Set(grid2After.events.filter((e) => e.subjectId === opened.subjectId).map((e) => e.id));
    expect([opened.id, move.id, byNewGrid.id, savedBefore.id].every((id) => ids.has(id))).toBe(true);
    expect(ids.has(afterMove.id) || ids.has(intoNew.id)).toBe(false);
    const grid1After = (await pullAll(t(), town.tokens.grid1!, grid1Before.cursor)).events.map((e) => e.id);
    expect(grid1After).toContain(move.id);
    expect(grid1After).not.toContain(byNewGrid.id);
    expect(grid1After).not.toContain(savedBefore.id);
    // The case counts in the new grid with both 调解记录, the refused ones nowhere.
    const row = (await t().store.dumpProjections()).cases.find((c) => c.subject_id === opened.subjectId)!;
    expect(row.org_unit_id).toBe(G2);
    const state = JSON.parse(String(row.state)) as { unitId?: string; sessions: { eventId: string }[] };
    expect(state.unitId).toBe(G2);
    expect(state.sessions.map((x) => x.eventId).sort()).toEqual([byNewGrid.id, savedBefore.id].sort());
  });

  it('the new grid’s phone, syncing with its own client, lists the moved case', async () => {
    globalThis.indexedDB = new IDBFactory();
    const serverFetch: FetchLike = async (input, init) => t().app.request(input, init);
    const deviceId = await storage.getDeviceId();
    const login = await requestLogin(serverFetch, { username: 'grid2', password: PASSWORD, deviceId, deviceName: 'grid2 phone' });
    if (!login.ok) throw new Error(`login failed: ${JSON.stringify(login.failure)}`);
    const sync = async () => {
      let report: RunReport | undefined;
      const engine = createSyncEngine({
        store: storage,
        fetch: serverFetch,
        credentials: async () => ({ token: login.body.token, deviceId }),
        locks: memoryLocks(),
        onSynced: (r) => (report = r),
        onFailed: (r) => (report = r),
      });
      engine.start();
      await vi.waitFor(() => expect(report).toBeDefined());
      engine.stop();
      expect(report!.failure).toBeUndefined();
    };
    await sync();

    const opened = caseOpened(G1, '2024-07-01T09:00:00+08:00', { parties: [{ role: 'applicant', name: '郑秀英', phone: '13700003333' }] });
    expect((await push(t(), town.tokens.grid1!, [opened])).status).toBe(200);
    await sync();
    expect((await storage.queryCases({ status: '', type: '', text: '郑秀英', due: '', sort: 'opened' }, 50)).total).toBe(0);

    const move = caseEvent(opened, 'case.updated', '2024-07-02T09:00:00+08:00', { changes: { orgUnitId: G2 } });
    expect((await push(t(), town.tokens.mediator1!, [move])).body.results[0]?.status).toBe('applied');
    await sync();
    const found = await storage.queryCases({ status: '', type: '', text: '13700003333', due: '', sort: 'opened' }, 50);
    expect(found.rows.map((r) => [r.summary.subjectId, r.summary.unitId, r.summary.names])).toEqual([[opened.subjectId, G2, ['郑秀英']]]);
    const record = await storage.getRecord(opened.subjectId);
    expect(record?.state).toMatchObject({ kind: 'case', hasOpened: true, unitId: G2, caseNumber: expect.stringMatching(/人调字第\d{3}号$/) });
    await storage.closeDb();
  });
});
