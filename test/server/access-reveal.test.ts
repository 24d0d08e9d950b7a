// Office staff open one party of one case on purpose (POST /api/audit/reveal): with a reason
// from the list (free text required for 其他), checked against the record's own unit, audited
// with who, what and why, answered with that party's details for REVEAL_TTL_MS.
import { randomUUID } from 'node:crypto';
import { describe, expect, it, beforeAll } from 'vitest';
import { hashPassword } from '../../src/server/access/passwords.ts';
import { isRevealed, REVEAL_TTL_MS } from '../../src/server/access/reveal.ts';
import type { Principal } from '../../src/server/access/scope.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, G3, PASSWORD, push, seedTownship, V2, type Township } from './support/sync-fixtures.ts';

describe.each(storeCases())('revealing personal data on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  let villageOffice: string;
  const c = caseOpened(G1, '2024-07-02T10:00:00+08:00', {
    parties: [
      { role: 'applicant', name: '张三丰', phone: '13812345678', idNumber: '500235199001011234', address: '云阳县江口镇江口村三组12号' },
      { role: 'respondent', name: '李四' },
    ],
  });
  const inV2 = caseOpened(G3, '2024-07-02T11:00:00+08:00');

  beforeAll(async () => {
    town = await seedTownship(t());
    // Office staff of one village only: the town's cases in the other village are outside their scope.
    const id = randomUUID();
    await t().store.insertUser({
      id,
      username: 'v2office',
      displayName: '青山村办',
      passwordHash: await hashPassword(PASSWORD),
      roles: [{ role: 'office', orgUnitId: V2 }],
      createdAt: new Date(),
    });
    villageOffice = await town.login('v2office');
    expect((await push(t(), town.tokens.grid1!, [c])).body.results[0]!.status).toBe('applied');
    expect((await push(t(), town.tokens.grid3!, [inV2])).body.results[0]!.status).toBe('applied');
  });

  const reveal = (token: string, body: Record<string, unknown>) =>
    t().json<{ ok: true; until: string; party: number; details: Record<string, string>; error?: { code: string } }>('POST', '/api/audit/reveal', {
      token,
      body,
    });

  it('answers one party’s details for ten minutes and audits who, what and why', async () => {
    const before = Date.now();
    const r = await reveal(town.tokens.office!, { subjectId: c.subjectId, party: 0, reason: 'contact', note: '回访联系不上' });
    expect(r.status).toBe(201);
    expect(r.body.details).toEqual({ name: '张三丰', phone: '13812345678', idNumber: '500235199001011234', address: '云阳县江口镇江口村三组12号' });
    const until = Date.parse(r.body.until);
    expect(until - before).toBeGreaterThanOrEqual(REVEAL_TTL_MS - 1000);
    expect(until - before).toBeLessThanOrEqual(REVEAL_TTL_MS + 5000);

    const log = await t().json<{
      entries: { action: string; actorName: string; subjectId: string; orgUnitId: string; reason: string; detail: Record<string, unknown> }[];
    }>('GET', '/api/admin/audit?action=personal_data.revealed', { token: town.tokens.admin! });
    expect(log.body.entries).toEqual([
      expect.objectContaining({
        actorName: 'office',
        subjectId: c.subjectId,
        orgUnitId: G1,
        reason: '联系当事人（回访、送达）：回访联系不上',
        detail: { party: 0, reasonCode: 'contact' },
      }),
    ]);

    const me = (await t().json<{ user: Principal & { id: string; roles: Principal['roles'] } }>('GET', '/api/me', { token: town.tokens.office! })).body.user;
    const principal: Principal = { userId: me.id, username: me.username, displayName: me.displayName, roles: me.roles, tokenId: 't' };
    expect(await isRevealed(t().store, principal, c.subjectId, new Date())).toBe(true);
    expect(await isRevealed(t().store, principal, c.subjectId, new Date(Date.now() + REVEAL_TTL_MS + 60_000))).toBe(false);
    expect(await isRevealed(t().store, { ...principal, userId: town.userIds.admin! }, c.subjectId, new Date())).toBe(false);
  });

  it('refuses a record outside the caller’s scope, an unknown record or party, as not found, and writes nothing', async () => {
    const count = async () =>
      (await t().json<{ entries: unknown[] }>('GET', '/api/admin/audit?action=personal_data.revealed&limit=1000', { token: town.tokens.admin! })).body.entries
        .length;
    const held = await count();
    // The request cannot claim a unit: the record's own unit decides.
    const outside = await reveal(villageOffice, { subjectId: c.subjectId, orgUnitId: V2, party: 0, reason: 'verify' });
    expect([outside.status, outside.body.error?.code]).toEqual([404, 'not_found']);
    expect((await reveal(villageOffice, { subjectId: inV2.subjectId, party: 0, reason: 'verify' })).status).toBe(201);
    expect((await reveal(town.tokens.office!, { subjectId: randomUUID(), party: 0, reason: 'verify' })).status).toBe(404);
    expect((await reveal(town.tokens.office!, { subjectId: c.subjectId, party: 2, reason: 'verify' })).status).toBe(404);
    expect(await count()).toBe(held + 1);
  });

  it('wants a reason from the list, and free text for 其他; field roles have nothing to reveal', async () => {
    expect((await reveal(town.tokens.office!, { subjectId: c.subjectId, party: 1 })).status).toBe(400);
    expect((await reveal(town.tokens.office!, { subjectId: c.subjectId, party: 1, reason: 'curious' })).status).toBe(400);
    const other = await t().json<{ error: { message: string } }>('POST', '/api/audit/reveal', {
      token: town.tokens.office!,
      body: { subjectId: c.subjectId, party: 1, reason: 'other', note: ' ' },
    });
    expect([other.status, other.body.error.message]).toEqual([400, expect.stringContaining('请写明原因')]);
    expect((await reveal(town.tokens.office!, { subjectId: c.subjectId, party: 1, reason: 'other', note: '法院调取材料' })).body.details).toEqual({
      name: '李四',
    });
    expect((await reveal(town.tokens.grid1!, { subjectId: c.subjectId, party: 0, reason: 'verify' })).status).toBe(403);
    expect((await reveal(town.tokens.mediator1!, { subjectId: c.subjectId, party: 0, reason: 'verify' })).status).toBe(403);
  });
});
