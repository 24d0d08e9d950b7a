// Hostile input that reached the database or other roles' screens: text PostgreSQL cannot store
// (refused at the body reader, per event on push), weak passwords, and rejection messages that
// quoted the submitted value (a party's phone, ID number, name) to office staff.
import { beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '#shared/passwords';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, push, seedTownship, sweep, V1, type Township } from './support/sync-fixtures.ts';

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

describe.each(storeCases())('hostile input on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('refuses a lone surrogate or NUL anywhere in a body with 400 invalid_text, and writes nothing', async () => {
    const admin = town.tokens.admin!;
    const units = (await t().store.listOrgUnits()).length;
    const audits = (await t().store.listAudit({ limit: 1000 })).length;
    const cases: [string, string, unknown][] = [
      ['POST', '/api/admin/org-units', { parentId: V1, kind: 'grid', name: `网格${LONE_HIGH}` }],
      ['POST', '/api/admin/org-units', { parentId: V1, kind: 'grid', name: `网格${LONE_LOW}二` }],
      ['POST', '/api/admin/org-units', { parentId: V1, kind: 'grid', name: '网格', extra: { deep: [`x\u0000`] } }],
      ['PATCH', `/api/admin/org-units/${G1}`, { name: `改名${LONE_HIGH}` }],
      [
        'POST',
        '/api/admin/users',
        { username: 'newbie', password: 'field-pass-123', displayName: `新${LONE_LOW}人`, roles: [{ role: 'grid_worker', orgUnitId: G1 }] },
      ],
      ['PATCH', `/api/admin/users/${town.userIds.grid2}`, { displayName: `改${LONE_HIGH}` }],
      ['POST', '/api/auth/login', { username: 'grid1', password: 'test-pass-123', deviceId: `phone${LONE_HIGH}` }],
      ['POST', '/api/sync/push', { deviceId: `phone${LONE_LOW}`, events: [] }],
    ];
    for (const [method, url, body] of cases) {
      const res = await t().json<{ error: { code: string; message: string } }>(method, url, { token: admin, body });
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.body.error.code, `${method} ${url}`).toBe('invalid_text');
      expect(res.body.error.message).toMatch(/无法保存的字符/);
    }
    // A retry does not make a second unit: nothing was made the first time.
    expect((await t().store.listOrgUnits()).length).toBe(units);
    expect((await t().store.listUsers()).some((u) => u.username === 'newbie')).toBe(false);
    expect((await t().store.listAudit({ limit: 1000 })).length).toBe(audits);
    // A well-formed pair (an emoji outside the BMP) is text like any other.
    const emoji = await t().json<{ name: string }>('POST', '/api/admin/org-units', { token: admin, body: { parentId: V1, kind: 'grid', name: '网格😀' } });
    expect(emoji.status).toBe(201);
    expect(emoji.body.name).toBe('网格😀');
  });

  it('writes an admin change and its audit entry in one transaction: an audit entry that cannot be stored undoes the change', async () => {
    const store = t().store;
    const at = new Date();
    // action is NOT NULL on both stores: this entry fails inside the change's transaction.
    const broken = {
      at,
      actorId: town.userIds.admin!,
      actorName: 'admin',
      action: null as unknown as string,
      subjectId: null,
      orgUnitId: null,
      reason: null,
      detail: null,
    };
    const unit = { id: 'tx-grid', parentId: V1, kind: 'grid' as const, name: '事务网格', code: null, shortName: null };
    await expect(store.insertOrgUnits([unit], at, broken)).rejects.toThrow();
    expect((await store.listOrgUnits()).some((u) => u.id === 'tx-grid')).toBe(false);
    await expect(store.updateOrgUnit(G1, { name: '不该改名' }, broken)).rejects.toThrow();
    expect((await store.listOrgUnits()).find((u) => u.id === G1)!.name).not.toBe('不该改名');
    const user = {
      id: '0193a000-0000-7000-8000-00000000aaaa',
      username: 'tx-user',
      displayName: '事务',
      passwordHash: 'x',
      roles: [{ role: 'grid_worker' as const, orgUnitId: G1 }],
      createdAt: at,
    };
    await expect(store.insertUser(user, broken)).rejects.toThrow();
    expect(await store.findUserByUsername('tx-user')).toBeUndefined();
    const grid2 = town.userIds.grid2!;
    const liveBefore = (await store.listLiveTokens(at, grid2)).length;
    expect(liveBefore).toBeGreaterThan(0);
    await expect(store.updateUser(grid2, { disabled: true, displayName: '不该停用' }, at, { revokeTokens: true, audit: () => broken })).rejects.toThrow();
    expect((await store.findUserById(grid2))!).toMatchObject({ disabled: false, displayName: 'grid2' });
    expect((await store.listLiveTokens(at, grid2)).length).toBe(liveBefore);
    const [token] = await store.listLiveTokens(at, grid2);
    await expect(store.revokeToken(token!.id, at, broken)).rejects.toThrow();
    expect((await store.listLiveTokens(at, grid2)).length).toBe(liveBefore);
    // And with a good entry, the change and its entry are both there.
    const good = { ...broken, action: 'user.disabled', subjectId: grid2 };
    expect(await store.updateUser(grid2, { disabled: true }, at, { revokeTokens: true, audit: () => good })).toBe('ok');
    expect((await store.listLiveTokens(at, grid2)).length).toBe(0);
    expect((await store.listAudit({ subjectId: grid2, action: 'user.disabled', limit: 5 })).length).toBe(1);
    expect(await store.updateUser(grid2, { disabled: false }, at)).toBe('ok');
    town.tokens.grid2 = await town.login('grid2');
  });

  it('rejects a pushed event holding such text on its own; the rest of the batch is applied', async () => {
    const bad = caseOpened(G1, '2024-06-02T10:00:00+08:00', { parties: [{ role: 'applicant', name: `张${LONE_HIGH}` }] });
    const good = sweep(G1, '2024-06-02T11:00:00+08:00');
    const r = await push(t(), town.tokens.grid1!, [bad, good]);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.id, x.status, x.error?.code])).toEqual([
      [bad.id, 'rejected', 'invalid_text'],
      [good.id, 'applied', undefined],
    ]);
  });

  it('refuses weak passwords at account creation and reset, with the shared rule’s Chinese message', async () => {
    const admin = town.tokens.admin!;
    const weak = ['12345678', 'password', 'Password', 'aaaaaaaa', '88888888', 'abcdefgh', '87654321', 'qwerty123', 'weakling', 'weakling2024'];
    for (const password of weak) {
      const res = await t().json<{ error: { code: string; message: string } }>('POST', '/api/admin/users', {
        token: admin,
        body: { username: 'weakling', password, displayName: '弱', roles: [{ role: 'grid_worker', orgUnitId: G1 }] },
      });
      expect(res.status, password).toBe(400);
      expect(res.body.error.code, password).toBe('weak_password');
      expect(res.body.error.message).toBe(passwordProblem(password, 'weakling'));
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await t().store.listUsers()).some((u) => u.username === 'weakling')).toBe(false);
    const reset = await t().json<{ error: { code: string } }>('POST', `/api/admin/users/${town.userIds.grid3}/password`, {
      token: admin,
      body: { password: 'grid3grid3' },
    });
    expect(reset.status).toBe(400);
    expect(reset.body.error.code).toBe('weak_password');
    const resetUsername = await t().json<{ error: { code: string } }>('POST', `/api/admin/users/${town.userIds.grid3}/password`, {
      token: admin,
      body: { password: 'GRID3' + '123' },
    });
    expect(resetUsername.body.error.code).toBe('weak_password');
    // A password nobody guesses first still works.
    const ok = await t().json('POST', '/api/admin/users', {
      token: admin,
      body: { username: 'strong', password: '江口-向阳-2024', displayName: '强', roles: [{ role: 'grid_worker', orgUnitId: G1 }] },
    });
    expect(ok.status).toBe(201);
  });

  it('never quotes a submitted value in rejection messages: an office user listing quarantine sees no phone, ID number or name', async () => {
    const phone = '13812345678';
    const idNumber = '110101199003077777';
    const name = '欧阳震华';
    const events = [
      // sex is a picklist: valibot's own message quotes what it received
      caseOpened(G1, '2024-06-03T10:00:00+08:00', { parties: [{ role: 'applicant', name, sex: phone as 'male' }] }),
      caseOpened(G1, '2024-06-03T10:00:00+08:00', { parties: [{ role: 'applicant', name, sex: idNumber as 'male' }] }),
      caseOpened(G1, '2024-06-03T10:00:00+08:00', { parties: [{ role: name as 'applicant', name }] }),
      caseOpened(G1, '2024-06-03T10:00:00+08:00', { disputeType: name as '02', parties: [{ role: 'applicant', name, phone: `${phone}${name}` }] }),
      { ...caseOpened(G1, '2024-06-03T10:00:00+08:00'), orgUnitId: 12345678901 },
      { ...caseOpened(G1, '2024-06-03T10:00:00+08:00'), data: { parties: { [`${name}${phone}`]: 1 } } },
    ];
    const r = await push(t(), town.tokens.grid1!, events);
    expect(r.body.results.every((x) => x.status === 'rejected')).toBe(true);
    const leaks = (text: string) => [phone, idNumber, name, '12345678901'].filter((v) => text.includes(v));
    for (const x of r.body.results) expect(leaks(x.error!.message), x.error!.message).toEqual([]);
    const listed = await t().json<{ rejected: { eventId: string; message: string; raw: unknown }[] }>('GET', '/api/sync/rejected', {
      token: town.tokens.office!,
    });
    // Listed to the office: every one that names a unit of its town (not the one with a numeric unit).
    const mine = listed.body.rejected.filter((q) => events.some((e) => e.id === q.eventId));
    expect(mine).toHaveLength(events.length - 1);
    for (const q of mine) {
      expect(q.raw).toBeNull();
      expect(leaks(q.message), q.message).toEqual([]);
    }
    // Body validation messages (the admin API) do not quote values either.
    const body = await t().json<{ error: { message: string } }>('POST', '/api/admin/users', {
      token: town.tokens.admin!,
      body: { username: 'someone', password: 'field-pass-123', displayName: '某', roles: [{ role: `${name}${phone}`, orgUnitId: G1 }] },
    });
    expect(body.status).toBe(400);
    expect(leaks(body.body.error.message)).toEqual([]);
  });
});
