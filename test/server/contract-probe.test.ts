// What an outside client found when probing the sync contract, kept as regressions on every
// store: a hostile push answered 500 instead of a per-event rejection; the server minted
// case.numbered events that the shared schema (and so every phone) refuses; a user could
// close or void a case of another grid by naming their own grid on the event; and events of
// several kinds under one subjectId left figures that depended on the order of arrival.
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEvent } from '#shared/events';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import {
  caseClosed,
  caseOpened,
  caseVoided,
  G1,
  G2,
  outreach,
  pullAll,
  push,
  seedTownship,
  sweep,
  TOWN,
  V1,
  type PushAnswer,
  type Township,
} from './support/sync-fixtures.ts';

/** JSON text of an array nested `depth` deep: JSON.parse takes it, JSON.stringify overflows the stack. */
const nestedArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe.each(storeCases())('contract probe on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('rejects an event nested too deep to copy on its own, quarantines it, and applies the rest of the batch', async () => {
    const good = sweep(G1, '2024-05-01T09:00:00+08:00');
    const badId = uuidv7();
    const bad = `{"id":"${badId}","type":"sweep.recorded","subjectId":"${uuidv7()}","orgUnitId":"${G1}","occurredAt":"2024-05-01T09:00:00+08:00","recordedAt":"2024-05-01T09:00:00+08:00","deviceId":"dev-test","deviceSeq":1,"data":${nestedArray(100_000)}}`;
    const body = `{"deviceId":"dev-test","events":[${JSON.stringify(good)},${bad},${nestedArray(100_000)}]}`;
    const res = await t().request('POST', '/api/sync/push', { token: town.tokens.grid1!, body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as PushAnswer;
    expect(answer.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'invalid_event'],
      ['rejected', 'invalid_event'],
    ]);
    expect(answer.results[1]!.id).toBe(badId);

    const q = await t().json<{ rejected: { eventId: string; rawTruncated: boolean }[] }>('GET', '/api/sync/rejected', { token: town.tokens.grid1! });
    expect(q.status).toBe(200);
    expect(q.body.rejected.find((r) => r.eventId === badId)).toMatchObject({ rawTruncated: true });
    const { events } = await pullAll(t(), town.tokens.grid1!);
    expect(events.map((e) => e.id)).toContain(good.id);
  });

  it('never serves a case.numbered the shared schema refuses: no number for a year outside 2000–2200', async () => {
    const dated = ['1970-01-01T08:00:00+08:00', '2024-06-01T10:00:00+08:00', '9999-12-31T23:59:59+08:00', '0001-01-01T00:00:00Z'].map((at) =>
      caseOpened(G1, at),
    );
    const r = await push(t(), town.tokens.grid1!, dated);
    // Dates the case-number years cannot hold are implausible (#shared/plausibility): quarantined, not applied.
    expect(r.body.results.map((x) => x.error?.code ?? x.status)).toEqual(['implausible', 'applied', 'implausible', 'implausible']);

    const { events } = await pullAll(t(), town.tokens.grid1!);
    const invalid = events.filter((e) => !parseEvent(e).ok).map((e) => `${e.type} ${JSON.stringify(e.data)}`);
    expect(invalid).toEqual([]);
    const numbered = new Set(events.filter((e) => e.type === 'case.numbered').map((e) => e.subjectId));
    expect(dated.map((e) => numbered.has(e.subjectId))).toEqual([false, true, false, false]);
  });

  it('numbers a case by a committee with a long name and no short name within the schema’s length', async () => {
    const name = '某某县某某镇某某村人民调解委员会'.repeat(5) + '𠀀𠀀';
    const created = await t().json<{ id: string }>('POST', '/api/admin/org-units', {
      token: town.tokens.admin!,
      body: { parentId: V1, kind: 'committee', name },
    });
    expect(created.status).toBe(201);
    const opened = caseOpened(V1, '2024-06-01T10:00:00+08:00', { committeeId: created.body.id });
    const r = await push(t(), town.tokens.mediator1!, [opened]);
    expect(r.body.results[0]!.status).toBe('applied');

    const { events } = await pullAll(t(), town.tokens.mediator1!);
    const number = events.find((e) => e.type === 'case.numbered' && e.subjectId === opened.subjectId);
    expect(number && parseEvent(number).ok).toBe(true);
    const caseNumber = number?.type === 'case.numbered' ? number.data.caseNumber : '';
    expect(caseNumber).toMatch(/^（2024）某某县某某镇.*人调字第001号$/u);
    // Cut at whole characters: no lone surrogate left behind.
    expect(caseNumber.isWellFormed()).toBe(true);
  });

  it('rejects an event naming another unit than its subject’s: no closing or voiding a case of another grid', async () => {
    const summary = async () => {
      const r = await t().json<{ mediation: { accepted: number; resolved: number }; outreach: { audience: number } }>(
        'GET',
        `/api/stats/summary?year=2023&orgUnitId=${TOWN}`,
        { token: town.tokens.office! },
      );
      return { accepted: r.body.mediation.accepted, resolved: r.body.mediation.resolved, audience: r.body.outreach.audience };
    };
    const open1 = caseOpened(G1, '2023-05-01T09:00:00+08:00');
    const open2 = caseOpened(G1, '2023-05-02T09:00:00+08:00');
    const talk = outreach(G1, '2023-05-03T09:00:00+08:00', 100);
    const own = await push(t(), town.tokens.grid1!, [open1, caseClosed(open1, '2023-05-10T09:00:00+08:00'), open2, talk]);
    expect(own.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const before = await summary();
    expect(before).toEqual({ accepted: 2, resolved: 1, audience: 100 });

    // grid2 writes in G2 only; it names G2 on events of G1's subjects.
    const hostile = [
      { ...caseVoided(open1, '2023-05-11T09:00:00+08:00'), orgUnitId: G2 },
      { ...caseClosed(open2, '2023-05-11T09:00:00+08:00', 'failure', 'none'), orgUnitId: G2 },
      { ...caseOpened(G2, '2023-01-01T09:00:00+08:00', {}, open2.subjectId) },
      { ...talk, id: uuidv7(), type: 'outreach.updated' as const, orgUnitId: G2, data: { changes: { audience: 99_999 } } },
    ];
    const r = await push(t(), town.tokens.grid2!, hostile);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.status, x.error?.code])).toEqual(hostile.map(() => ['rejected', 'forbidden_org_unit']));
    expect(await summary()).toEqual(before);

    // The subject's own unit still takes events, in any order, within one batch too.
    const late = caseClosed(open2, '2023-05-12T09:00:00+08:00');
    const fresh = caseOpened(G2, '2023-05-01T09:00:00+08:00');
    const ok = await push(t(), town.tokens.mediator1!, [late, caseClosed(fresh, '2023-05-02T09:00:00+08:00'), fresh]);
    expect(ok.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await summary()).toEqual({ accepted: 3, resolved: 3, audience: 100 });
  });

  it('keeps a subjectId to one kind: a sweep, then a case opening under the same id, is rejected, not counted twice', async () => {
    const summary = async () => {
      const r = await t().json<{ mediation: { accepted: number }; outreach: { sessions: number }; sweeps: { count: number } }>(
        'GET',
        `/api/stats/summary?year=2022&orgUnitId=${TOWN}`,
        { token: town.tokens.office! },
      );
      return { accepted: r.body.mediation.accepted, sessions: r.body.outreach.sessions, sweeps: r.body.sweeps.count };
    };
    const sw = sweep(G1, '2022-06-02T10:00:00+08:00');
    const talk = outreach(G1, '2022-06-02T10:00:00+08:00');
    const first = await push(t(), town.tokens.grid1!, [sw, talk]);
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // Earlier openings under the same ids: folded alone they would turn both subjects into cases.
    const later = [caseOpened(G1, '2022-06-01T10:00:00+08:00', {}, sw.subjectId), caseOpened(G1, '2022-06-01T10:00:00+08:00', {}, talk.subjectId)];
    const second = await push(t(), town.tokens.grid1!, later);
    expect(second.body.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['rejected', 'invalid_event'],
      ['rejected', 'invalid_event'],
    ]);
    expect(await summary()).toEqual({ accepted: 0, sessions: 1, sweeps: 1 });
  });

  it('takes a push body that starts with a UTF-8 byte order mark, as every other JSON route does', async () => {
    const e = sweep(G1, '2022-03-01T10:00:00+08:00');
    const body = `\uFEFF${JSON.stringify({ deviceId: 'dev-test', events: [e] })}`;
    const res = await t().request('POST', '/api/sync/push', {
      token: town.tokens.grid1!,
      body,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as PushAnswer).results).toEqual([{ id: e.id, status: 'applied' }]);
  });
});
