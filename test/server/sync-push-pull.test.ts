// Push and pull through HTTP against every store: idempotency, id reuse, poison events,
// quarantine, scope-filtered pull, cursor paging and scope backfill.
import { describe, expect, it, beforeAll } from 'vitest';
import { parseEvent } from '#shared/events';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import {
  caseClosed,
  caseOpened,
  G1,
  G2,
  G3,
  outreach,
  pull,
  pullAll,
  push,
  seedTownship,
  sweep,
  TOWN_COMMITTEE,
  V1,
  V1_COMMITTEE,
  type Township,
} from './support/sync-fixtures.ts';

describe.each(storeCases())('sync push/pull on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('applies a batch, then answers duplicate for the same batch and changes nothing', async () => {
    const a = caseOpened(G1, '2024-03-01T09:00:00+08:00');
    const b = outreach(G1, '2024-03-02T09:00:00+08:00');
    const first = await push(t(), town.tokens.grid1!, [a, b]);
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([
      { id: a.id, status: 'applied' },
      { id: b.id, status: 'applied' },
    ]);
    const before = await pullAll(t(), town.tokens.admin!);
    const again = await push(t(), town.tokens.grid1!, [a, b]);
    expect(again.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    const after = await pullAll(t(), town.tokens.admin!);
    expect(after.events.length).toBe(before.events.length);
    expect(after.events.filter((e) => e.id === a.id)).toHaveLength(1);
  });

  it('stores one row per event when the same batch is pushed concurrently', async () => {
    const events = Array.from({ length: 20 }, (_, i) => sweep(G1, `2024-04-0${(i % 9) + 1}T10:00:00+08:00`));
    const answers = await Promise.all(Array.from({ length: 4 }, () => push(t(), town.tokens.grid1!, events)));
    for (const a of answers) expect(a.status).toBe(200);
    // Each event is applied by exactly one of the concurrent pushes.
    for (const [i, e] of events.entries()) {
      const statuses = answers.map((a) => a.body.results[i]!.status);
      expect(
        statuses.filter((s) => s === 'applied'),
        e.id,
      ).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(3);
    }
    const all = await pullAll(t(), town.tokens.admin!);
    const ids = new Set(events.map((e) => e.id));
    expect(all.events.filter((e) => ids.has(e.id))).toHaveLength(events.length);
  });

  it('rejects the same id with other content as id_reuse, quarantines it, keeps the original', async () => {
    const a = sweep(G1, '2024-05-01T10:00:00+08:00', 0);
    await push(t(), town.tokens.grid1!, [a]);
    const changed = { ...a, data: { ...a.data, households: 99 } };
    const r = await push(t(), town.tokens.grid1!, [changed]);
    expect(r.body.results[0]).toMatchObject({ id: a.id, status: 'rejected', error: { code: 'id_reuse' } });
    expect(r.body.results[0]!.error!.message).toMatch(/[\u4e00-\u9fff]/);
    const all = await pullAll(t(), town.tokens.admin!);
    const stored = all.events.filter((e) => e.id === a.id);
    expect(stored).toHaveLength(1);
    expect((stored[0]!.data as { households: number }).households).toBe(35);
    const q = await t().json<{ rejected: { eventId: string; code: string }[] }>('GET', '/api/sync/rejected', { token: town.tokens.grid1! });
    expect(q.body.rejected.some((x) => x.eventId === a.id && x.code === 'id_reuse')).toBe(true);
  });

  it('takes the same event with its keys in another order as a duplicate', async () => {
    const a = caseOpened(G1, '2024-05-03T10:00:00+08:00', { peopleInvolved: 3 });
    expect((await push(t(), town.tokens.grid1!, [a])).body.results[0]!.status).toBe('applied');
    const reversed = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(reversed);
      if (x && typeof x === 'object')
        return Object.fromEntries(
          Object.entries(x)
            .reverse()
            .map(([k, v]) => [k, reversed(v)]),
        );
      return x;
    };
    expect((await push(t(), town.tokens.grid1!, [reversed(a)])).body.results[0]!.status).toBe('duplicate');
    const changed = { ...a, data: { ...a.data, peopleInvolved: 4 } };
    expect((await push(t(), town.tokens.grid1!, [reversed(changed)])).body.results[0]!.error?.code).toBe('id_reuse');
  });

  it('refuses a prototype key at the top of the body, and takes one inside an event as an invalid field', async () => {
    const top = await t().request('POST', '/api/sync/push', {
      token: town.tokens.grid1!,
      body: '{"deviceId":"d","events":[],"__proto__":{"x":1}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(top.status).toBe(400);
    const e = sweep(G1, '2024-05-03T11:00:00+08:00');
    const inner = JSON.stringify({ deviceId: 'd', events: [e] }).replace('"data":{', '"data":{"__proto__":{"polluted":true},');
    const r = await t().request('POST', '/api/sync/push', { token: town.tokens.grid1!, body: inner, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = (await pullAll(t(), town.tokens.admin!)).events.find((x) => x.id === e.id)!;
    expect(Object.keys(stored.data)).not.toContain('__proto__');
  });

  it('decides duplicates inside one batch like across batches', async () => {
    const a = sweep(G1, '2024-05-02T10:00:00+08:00');
    const reused = { ...a, data: { ...a.data, households: 1 } };
    const r = await push(t(), town.tokens.grid1!, [a, a, reused]);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'duplicate', 'rejected']);
    expect(r.body.results[2]!.error!.code).toBe('id_reuse');
  });

  it('does not let a poison event stall the others, and shows it to its author and the office', async () => {
    const good1 = sweep(G1, '2024-06-01T10:00:00+08:00');
    const poison = { ...sweep(G1, '2024-06-01T11:00:00+08:00'), data: { households: -3, disputesFound: 'many' } };
    const serverOnly = {
      ...caseOpened(G1, '2024-06-01T12:00:00+08:00'),
      type: 'case.numbered',
      data: { caseNumber: 'x', year: 2024, committeeId: 'jk-twh', sequence: 1 },
    };
    const otherGrid = sweep(G3, '2024-06-01T12:00:00+08:00');
    const good2 = sweep(G1, '2024-06-01T13:00:00+08:00');
    const r = await push(t(), town.tokens.grid1!, [good1, poison, serverOnly, otherGrid, good2]);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'invalid_event'],
      ['rejected', 'forbidden_type'],
      ['rejected', 'forbidden_org_unit'],
      ['applied', undefined],
    ]);
    for (const x of r.body.results.slice(1, 4)) expect(x.error!.message).toMatch(/[\u4e00-\u9fff]/);
    const mine = await t().json<{ rejected: { eventId: string; code: string; message: string; raw: string | null }[] }>('GET', '/api/sync/rejected', {
      token: town.tokens.grid1!,
    });
    const ids = mine.body.rejected.map((x) => x.eventId);
    expect(ids).toEqual(expect.arrayContaining([poison.id, serverOnly.id, otherGrid.id]));
    expect(mine.body.rejected.find((x) => x.eventId === poison.id)).toMatchObject({ raw: expect.stringContaining(poison.id) });
    const office = await t().json<{ rejected: { eventId: string; raw: string | null }[] }>('GET', '/api/sync/rejected', { token: town.tokens.office! });
    expect(office.body.rejected.map((x) => x.eventId)).toEqual(expect.arrayContaining([poison.id]));
    expect(office.body.rejected.find((x) => x.eventId === poison.id)!.raw).toBeNull();
    const other = await t().json<{ rejected: { eventId: string }[] }>('GET', '/api/sync/rejected', { token: town.tokens.grid3! });
    expect(other.body.rejected.map((x) => x.eventId)).not.toContain(poison.id);
    // Fixed and resent under its id, the poison event is marked resolved; the others are not.
    const fixed = { ...poison, data: { households: 3, disputesFound: 0 } };
    expect((await push(t(), town.tokens.grid1!, [fixed])).body.results[0]!.status).toBe('applied');
    const after = await t().json<{ rejected: { eventId: string; resolved: boolean }[] }>('GET', '/api/sync/rejected', { token: town.tokens.grid1! });
    expect(after.body.rejected.find((x) => x.eventId === poison.id)!.resolved).toBe(true);
    expect(after.body.rejected.find((x) => x.eventId === otherGrid.id)!.resolved).toBe(false);
    // A retry of the same batch does not grow the quarantine.
    await push(t(), town.tokens.grid1!, [good1, poison, serverOnly, otherGrid, good2]);
    const again = await t().json<{ rejected: { eventId: string }[] }>('GET', '/api/sync/rejected', { token: town.tokens.grid1! });
    expect(again.body.rejected.filter((x) => x.eventId === poison.id)).toHaveLength(1);
  });

  it('answers 400 for malformed JSON, 413 over 5 MB, 401 without a token, never 500', async () => {
    const bad = await t().request('POST', '/api/sync/push', {
      token: town.tokens.grid1!,
      body: '{"deviceId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    const notArray = await push(t(), town.tokens.grid1!, 'nope' as unknown as unknown[]);
    expect(notArray.status).toBe(400);
    const huge = JSON.stringify({ deviceId: 'd', events: [{ note: 'x'.repeat(6 * 1024 * 1024) }] });
    const big = await t().request('POST', '/api/sync/push', { token: town.tokens.grid1!, body: huge, headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: expect.any(String) } });
    const anon = await push(t(), '', [sweep(G1, '2024-06-01T10:00:00+08:00')]);
    expect(anon.status).toBe(401);
    const tooMany = await push(
      t(),
      town.tokens.grid1!,
      Array.from({ length: 501 }, () => ({})),
    );
    expect(tooMany.status).toBe(400);
  });

  it('refuses device ids a database column cannot hold (NUL, lone surrogates) on every store', async () => {
    const body = await push(t(), town.tokens.grid1!, [], { deviceId: 'a\u0000b' });
    expect(body.status).toBe(400);
    const e = { ...sweep(G1, '2024-06-02T10:00:00+08:00'), deviceId: 'x\ud800' };
    const odd = { ...sweep(G1, '2024-06-02T10:00:00+08:00'), id: 'not-a-uuid\u0000', deviceId: '\u0000' };
    const r = await push(t(), town.tokens.grid1!, [e, odd]);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['rejected', 'invalid_event'],
      ['rejected', 'invalid_event'],
    ]);
    // A value quoted by the validator's message is kept out of the columns too.
    const quoted = caseOpened(G1, '2024-06-02T10:00:00+08:00', { parties: [{ role: 'applicant', name: '张某', sex: '\u0000\udc00' as 'male' }] });
    expect((await push(t(), town.tokens.grid1!, [quoted])).body.results[0]!.error?.code).toBe('invalid_event');
    const q = await t().json<{ rejected: { eventId: string }[] }>('GET', '/api/sync/rejected', { token: town.tokens.grid1! });
    expect(q.body.rejected.map((x) => x.eventId)).toEqual(expect.arrayContaining([e.id, 'not-a-uuid', quoted.id]));
  });

  it('pulls only the caller’s readable units', async () => {
    const inG2 = sweep(G2, '2024-07-01T10:00:00+08:00');
    const inG3 = sweep(G3, '2024-07-01T10:00:00+08:00');
    expect((await push(t(), town.tokens.grid2!, [inG2])).body.results[0]!.status).toBe('applied');
    expect((await push(t(), town.tokens.grid3!, [inG3])).body.results[0]!.status).toBe('applied');
    const grid2 = (await pullAll(t(), town.tokens.grid2!)).events.map((e) => e.id);
    expect(grid2).toContain(inG2.id);
    expect(grid2).not.toContain(inG3.id);
    const mediator = (await pullAll(t(), town.tokens.mediator1!)).events;
    expect(mediator.map((e) => e.id)).toContain(inG2.id);
    expect(mediator.map((e) => e.id)).not.toContain(inG3.id);
    expect(mediator.every((e) => [V1, G1, G2].includes(e.orgUnitId))).toBe(true);
    const office = (await pullAll(t(), town.tokens.office!)).events.map((e) => e.id);
    expect(office).toEqual(expect.arrayContaining([inG2.id, inG3.id]));
    const e = mediator.find((x) => x.id === inG2.id)!;
    expect(e).toMatchObject({ seq: expect.any(Number), authorId: town.userIds.grid2, receivedAt: expect.any(String) });
  });

  it('masks parties for callers who do not see the unit’s personal data', async () => {
    const c = caseOpened(G1, '2024-07-02T10:00:00+08:00', {
      parties: [{ role: 'applicant', name: '张三丰', phone: '13812345678', idNumber: '500235199001011234' }],
    });
    await push(t(), town.tokens.grid1!, [c]);
    const partyFor = async (who: string) => {
      const e = (await pullAll(t(), town.tokens[who]!)).events.find((x) => x.id === c.id)!;
      return (e.data as { parties: { name: string; phone?: string; idNumber?: string }[] }).parties[0]!;
    };
    expect(await partyFor('grid1')).toMatchObject({ name: '张三丰', phone: '13812345678', idNumber: '500235199001011234' });
    expect(await partyFor('mediator1')).toMatchObject({ name: '张三丰' });
    expect(await partyFor('office')).toMatchObject({ name: '张**', phone: '138****5678', idNumber: '5002**********1234' });
  });

  it('hands office staff a masked copy the shared schema accepts as read, and refuses it on push', async () => {
    const c = caseOpened(G1, '2024-07-03T10:00:00+08:00', {
      parties: [{ role: 'applicant', name: '李四', phone: '18612342135', idNumber: '500235199001011234', address: '云阳县江口镇江口村三组12号' }],
    });
    await push(t(), town.tokens.grid1!, [c]);
    const pulled = (await pullAll(t(), town.tokens.office!)).events;
    const copy = pulled.find((x) => x.id === c.id)!;
    expect(copy).toMatchObject({ masked: true, data: { parties: [{ name: '李*', phone: '186****2135' }] } });
    // Every event the office desk receives is readable by the app's own storage check.
    const unreadable = pulled.filter((e) => !parseEvent(e, { acceptMasked: true }).ok);
    expect(unreadable).toEqual([]);
    // A field worker's copy is the real one, unmarked.
    expect((await pullAll(t(), town.tokens.grid1!)).events.find((x) => x.id === c.id)).not.toHaveProperty('masked');
    // The masked copy can never come back as a write, not even from someone who may write there.
    const { seq: _seq, authorId: _a, receivedAt: _r, ...asSent } = copy;
    const back = await push(t(), town.tokens.admin!, [{ ...asSent, id: crypto.randomUUID() }]);
    expect(back.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'invalid_event' } });
  });

  it('pages with a cursor: increasing seq, no gaps, no repeats', async () => {
    const events = Array.from({ length: 37 }, (_, i) => sweep(G1, `2024-08-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+08:00`));
    await push(t(), town.tokens.grid1!, events);
    const paged = await pullAll(t(), town.tokens.admin!, 0, 5);
    const whole = await pullAll(t(), town.tokens.admin!, 0, 1000);
    expect(paged.events.map((e) => e.seq)).toEqual(whole.events.map((e) => e.seq));
    const seqs = paged.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(new Set(paged.events.map((e) => e.id))).toEqual(new Set(whole.events.map((e) => e.id)));
    const r = await pull(t(), town.tokens.admin!, paged.cursor);
    expect(r.body).toMatchObject({ events: [], cursor: paged.cursor, hasMore: false });
    const bad = await t().json('GET', '/api/sync/pull?cursor=-1', { token: town.tokens.admin! });
    expect(bad.status).toBe(400);
  });

  it('backfills the new units’ older events when a token’s scope grows', async () => {
    const old = sweep(G3, '2024-09-01T10:00:00+08:00');
    await push(t(), town.tokens.grid3!, [old]);
    const token = await town.login('grid2', 'dev-moving');
    const before = await pullAll(t(), token);
    expect(before.events.map((e) => e.id)).not.toContain(old.id);
    const newer = sweep(G2, '2024-09-02T10:00:00+08:00');
    await push(t(), town.tokens.grid2!, [newer]);

    // grid2 is given village 2's grid too.
    const patched = await t().store.updateUser(
      town.userIds.grid2!,
      {
        roles: [
          { role: 'grid_worker', orgUnitId: G2 },
          { role: 'grid_worker', orgUnitId: G3 },
        ],
      },
      new Date(),
    );
    expect(patched).toBe('ok');
    const after = await pullAll(t(), token, before.cursor, 2);
    const ids = after.events.map((e) => e.id);
    expect(ids).toContain(old.id);
    expect(ids).toContain(newer.id);
    expect(after.cursor).toBeGreaterThanOrEqual(before.cursor);
    // Once done, the next pull is an ordinary one.
    const next = await pull(t(), token, after.cursor);
    expect(next.body).toMatchObject({ events: [], hasMore: false });
  });

  it('sends a backfill page again when the phone did not confirm it, and goes on once it does', async () => {
    const older = [sweep(G1, '2024-09-03T10:00:00+08:00'), sweep(G1, '2024-09-04T10:00:00+08:00')];
    await push(t(), town.tokens.grid1!, older);
    await push(t(), town.tokens.grid3!, [sweep(G3, '2024-09-05T10:00:00+08:00')]);
    const token = await town.login('grid3', 'dev-lossy');
    const { cursor } = await pullAll(t(), token);
    expect(cursor).toBeGreaterThan(0);
    await t().store.updateUser(
      town.userIds.grid3!,
      {
        roles: [
          { role: 'grid_worker', orgUnitId: G3 },
          { role: 'grid_worker', orgUnitId: G1 },
        ],
      },
      new Date(),
    );
    type Page = { events: { id: string }[]; cursor: number; hasMore: boolean; resume?: string };
    const page = async (resume: string) => {
      const r = await t().json<Page>('GET', `/api/sync/pull?cursor=${cursor}&limit=1&resume=${resume}`, { token });
      expect(r.status).toBe(200);
      return r.body;
    };
    const first = await page('');
    expect(first).toMatchObject({ cursor, hasMore: true, resume: expect.any(String) });
    // The answer was lost (a 502 on the way back): the phone asks again with what it stored before.
    const again = await page('');
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    const next = await page(again.resume!);
    expect(next.events.map((e) => e.id)).not.toEqual(first.events.map((e) => e.id));
    // Paging on with each resume brings every older event of the grown scope.
    const seen = new Set([...first.events, ...next.events].map((e) => e.id));
    let resume = next.resume ?? '';
    for (let i = 0; i < 1000 && resume !== ''; i++) {
      const p = await page(resume);
      for (const e of p.events) seen.add(e.id);
      resume = p.resume ?? '';
    }
    for (const e of older) expect(seen).toContain(e.id);
    expect(await t().json('GET', `/api/sync/pull?cursor=${cursor}&resume=${'x'.repeat(65)}`, { token })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_body' } },
    });
    await t().store.updateUser(town.userIds.grid3!, { roles: [{ role: 'grid_worker', orgUnitId: G3 }] }, new Date());
  });

  it('answers duplicate, not rejected, to a retry of a stored event whose unit left the pusher’s scope', async () => {
    const e = sweep(G1, '2024-09-10T10:00:00+08:00');
    const token = await town.login('grid1', 'dev-retry');
    expect((await push(t(), token, [e])).body.results[0]!.status).toBe('applied');
    await t().store.updateUser(town.userIds.grid1!, { roles: [{ role: 'grid_worker', orgUnitId: G2 }] }, new Date());
    const retry = await push(t(), token, [e]);
    expect(retry.body.results[0]!.status).toBe('duplicate');
    const fresh = await push(t(), token, [sweep(G1, '2024-09-11T10:00:00+08:00')]);
    expect(fresh.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_org_unit' } });
    await t().store.updateUser(town.userIds.grid1!, { roles: [{ role: 'grid_worker', orgUnitId: G1 }] }, new Date());
  });

  it('records the device: last push, pending, clock skew, and flags a clock off by more than a day', async () => {
    const day = 86_400_000;
    // A record stamped three days ahead of the server: the phone's clock is wrong.
    const ahead = { ...sweep(G1, '2024-10-01T10:00:00+08:00'), recordedAt: new Date(Date.now() + 3 * day).toISOString() };
    const r = await push(t(), town.tokens.grid1!, [ahead], { deviceId: 'phone-skewed', pending: 7 });
    expect(r.body.clockSkewed).toBe(true);
    expect(Date.parse(r.body.serverTime)).not.toBeNaN();
    // A record made three days ago by a phone that was offline since: not a clock problem…
    const old = { ...sweep(G1, '2024-10-01T10:00:00+08:00'), recordedAt: new Date(Date.now() - 3 * day).toISOString() };
    expect((await push(t(), town.tokens.grid1!, [old], { deviceId: 'phone-offline' })).body.clockSkewed).toBe(false);
    // …unless the phone says its clock is two days behind when it sends.
    const slow = await push(t(), town.tokens.grid1!, [sweep(G1, '2024-10-01T10:00:00+08:00')], {
      deviceId: 'phone-slow',
      sentAt: new Date(Date.now() - 2 * day).toISOString(),
    });
    expect(slow.body.clockSkewed).toBe(true);
    const ok = await push(t(), town.tokens.grid1!, [sweep(G1, '2024-10-01T10:00:00+08:00')], { deviceId: 'phone-ok', pending: 0 });
    expect(ok.body.clockSkewed).toBe(false);
    await t().json('GET', '/api/sync/pull?cursor=0&deviceId=phone-ok', { token: town.tokens.grid1! });
    // Without a deviceId the pull is put on the device the token was issued to at login.
    await t().json('GET', '/api/sync/pull?cursor=0', { token: town.tokens.grid2! });
    const list = await t().json<{ devices: { deviceId: string; pending: number; clockSkewed: boolean; lastPushAt: string; lastPullAt: string | null }[] }>(
      'GET',
      '/api/devices',
      { token: town.tokens.office! },
    );
    expect(list.status).toBe(200);
    const skewed = list.body.devices.find((d) => d.deviceId === 'phone-skewed');
    expect(skewed).toMatchObject({ pending: 7, clockSkewed: true });
    expect(list.body.devices.find((d) => d.deviceId === 'phone-slow')).toMatchObject({ clockSkewed: true });
    expect(list.body.devices.find((d) => d.deviceId === 'phone-offline')).toMatchObject({ clockSkewed: false });
    const fine = list.body.devices.find((d) => d.deviceId === 'phone-ok');
    expect(fine).toMatchObject({ pending: 0, clockSkewed: false, lastPullAt: expect.any(String) });
    expect(list.body.devices.find((d) => d.deviceId === 'dev-grid2')).toMatchObject({ lastPullAt: expect.any(String) });
    const denied = await t().json('GET', '/api/devices', { token: town.tokens.grid1! });
    expect(denied.status).toBe(403);
  });

  it('numbers cases per committee and year, and the number flows on pull', async () => {
    // Years no other test uses: the counters start at 1.
    const c1 = caseOpened(G1, '2022-11-01T10:00:00+08:00');
    const c2 = caseOpened(G1, '2022-11-02T10:00:00+08:00');
    const c3 = caseOpened(G3, '2022-11-02T10:00:00+08:00'); // village 2 has no committee: the town's
    const c4 = caseOpened(G1, '2022-12-31T16:30:00Z'); // 2023-01-01 in Shanghai: a new year
    // A closure that arrives before its opening still gets one number, once.
    const closeFirst = caseOpened(G2, '2022-11-03T10:00:00+08:00');
    await push(t(), town.tokens.mediator1!, [c1, c2, caseClosed(closeFirst, '2022-11-04T10:00:00+08:00')]);
    await push(t(), town.tokens.grid3!, [c3]);
    await push(t(), town.tokens.grid1!, [c4]);
    await push(t(), town.tokens.mediator1!, [closeFirst, c1]);
    const all = (await pullAll(t(), town.tokens.admin!)).events.filter((e) => e.type === 'case.numbered');
    const numberOf = (subjectId: string) => all.filter((e) => e.subjectId === subjectId).map((e) => (e.data as { caseNumber: string }).caseNumber);
    expect(numberOf(c1.subjectId)).toEqual(['（2022）红星村人调字第001号']);
    expect(numberOf(c2.subjectId)).toEqual(['（2022）红星村人调字第002号']);
    expect(numberOf(c3.subjectId)).toEqual(['（2022）江口人调字第001号']);
    expect(numberOf(c4.subjectId)).toEqual(['（2023）红星村人调字第001号']);
    expect(numberOf(closeFirst.subjectId)).toEqual(['（2022）红星村人调字第003号']);
    const numbered = all.find((e) => e.subjectId === c1.subjectId)!;
    expect(numbered).toMatchObject({ authorId: 'system', deviceId: 'server', orgUnitId: G1 });
    // Stamped in the deployment's zone (Asia/Shanghai), the same instant as its receipt: the timeline shows 编号 in local time.
    expect(numbered.occurredAt).toMatch(/\+08:00$/);
    expect(Date.parse(numbered.occurredAt)).toBe(Date.parse(numbered.receivedAt));
    // The phone that recorded it receives it.
    const mine = (await pullAll(t(), town.tokens.grid3!)).events;
    expect(mine.some((e) => e.type === 'case.numbered' && e.subjectId === c3.subjectId)).toBe(true);
  });

  it('numbers a case naming another village’s committee by its own unit’s committee', async () => {
    // 2021: no other test numbers in that year, so each committee's counter starts at 1.
    const foreign = caseOpened(G3, '2021-05-01T10:00:00+08:00', { committeeId: V1_COMMITTEE });
    const above = caseOpened(G1, '2021-05-02T10:00:00+08:00', { committeeId: TOWN_COMMITTEE });
    const own = caseOpened(G1, '2021-05-03T10:00:00+08:00');
    expect((await push(t(), town.tokens.grid3!, [foreign])).body.results[0]).toMatchObject({ status: 'applied' });
    await push(t(), town.tokens.grid1!, [above, own]);
    const all = (await pullAll(t(), town.tokens.admin!)).events.filter((e) => e.type === 'case.numbered');
    const dataOf = (subjectId: string) => all.filter((e) => e.subjectId === subjectId).map((e) => e.data as { caseNumber: string; committeeId: string });
    // 青山村 has no committee: the town's numbers it, and 红星村's counter is not touched.
    expect(dataOf(foreign.subjectId)).toEqual([expect.objectContaining({ committeeId: TOWN_COMMITTEE, caseNumber: '（2021）江口人调字第001号' })]);
    // A committee above the case's unit may still be named.
    expect(dataOf(above.subjectId)).toEqual([expect.objectContaining({ committeeId: TOWN_COMMITTEE, caseNumber: '（2021）江口人调字第002号' })]);
    expect(dataOf(own.subjectId)).toEqual([expect.objectContaining({ committeeId: V1_COMMITTEE, caseNumber: '（2021）红星村人调字第001号' })]);
  });
});
