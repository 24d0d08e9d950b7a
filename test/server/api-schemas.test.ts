// Every route's answer through its shared schema (src/shared/api): the test app checks each
// JSON answer against support/api-schemas.ts; here every route in that table is called with a
// request it answers, on every store, and the table's check is shown to catch drift.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerDrift, answeredRoutes, ROUTE_SCHEMAS } from './support/api-schemas.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, outreach, push, seedTownship, sweep, TOWN, V1, type Township } from './support/sync-fixtures.ts';

describe.each(storeCases())('API answers match their schemas on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  const ok = async (method: string, url: string, token: string | undefined, body?: unknown) => {
    const res = await t().json<Record<string, unknown>>(method, url, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  it('answers every route of the table in its schema', async () => {
    answeredRoutes.clear();
    const admin = town.tokens.admin!;
    const office = town.tokens.office!;
    const grid = town.tokens.grid1!;
    const year = 'year=2024&orgUnitId=' + TOWN;

    await ok('GET', '/api/health', undefined);
    const login = await ok('POST', '/api/auth/login', undefined, { username: 'grid2', password: 'test-pass-123', deviceId: 'dev-schema' });
    await ok('GET', '/api/me', grid);
    await ok('POST', '/api/auth/logout', login.token as string);

    await ok('GET', '/api/admin/org-units', admin);
    await ok('POST', '/api/admin/org-units', admin, { id: 'jk-v1-g9', parentId: V1, kind: 'grid', name: '红星村第九网格' });
    await ok('PATCH', '/api/admin/org-units/jk-v1-g9', admin, { shortName: '九格' });
    await ok('POST', '/api/admin/org-units/import/preview', admin, { csv: '编号,上级编号,类型,名称,简称\njk-v1-g10,jk-v1,grid,红星村第十网格,\n' });
    await ok('POST', '/api/admin/org-units/import', admin, { csv: '编号,上级编号,类型,名称,简称\njk-v1-g10,jk-v1,grid,红星村第十网格,\n' });
    await ok('POST', '/api/admin/org-units/jk-v1-g10/close', admin, { closedOn: '2024-06-01' });
    await ok('GET', '/api/admin/users', admin);
    const user = await ok('POST', '/api/admin/users', admin, {
      username: 'schema1',
      password: 'schema-pass-1',
      displayName: '测试',
      roles: [{ role: 'grid_worker', orgUnitId: G1 }],
    });
    await ok('PATCH', `/api/admin/users/${user.id as string}`, admin, { displayName: '测试二' });
    await ok('POST', `/api/admin/users/${user.id as string}/password`, admin, { password: 'schema-pass-2' });
    const devices = await ok('GET', '/api/admin/devices', admin);
    const other = (devices.devices as { id: string; username: string }[]).find((d) => d.username === 'grid3')!;
    await ok('DELETE', `/api/admin/devices/${other.id}`, admin);
    await ok('GET', '/api/admin/audit', admin);

    const opened = caseOpened(G1, '2024-03-01T09:00:00+08:00');
    const pushed = await push(t(), grid, [
      opened,
      caseClosed(opened, '2024-03-05T09:00:00+08:00'),
      outreach(G1, '2024-03-02T09:00:00+08:00'),
      sweep(G1, '2024-03-03T09:00:00+08:00'),
      { id: 'bad' },
    ]);
    expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'rejected']);
    await ok('GET', '/api/sync/pull?cursor=0', grid);
    await ok('GET', '/api/sync/rejected', grid);
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const put = await t().json('PUT', `/api/attachments/${sha}`, { token: grid, body: bytes, headers: { 'content-type': 'image/jpeg' } });
    expect(put.status).toBe(201);
    await ok('POST', '/api/audit/reveal', office, { subjectId: opened.subjectId, party: 0, reason: 'other', note: '核对当事人信息' });

    await ok('GET', '/api/devices', office);
    await ok('GET', `/api/stats/summary?${year}`, office);
    await ok('GET', `/api/stats/pivot?measure=resolved&rows=unit&cols=month&${year}`, office);
    await ok('GET', `/api/stats/completeness?${year}`, office);
    await ok('GET', `/api/reports/annual?${year}&format=json`, office);
    await ok('POST', '/api/reports/annual/finalise', office, { year: 2023, orgUnitId: TOWN });
    await ok('GET', `/api/office/records?metric=accepted&${year}`, office);
    await ok('GET', `/api/office/grids?${year}`, office);
    const ledger = await ok('POST', '/api/office/ledgers', office, {
      orgUnitId: TOWN,
      date: '2024-03-01',
      entry: { kind: 'adviser', activity: 'meeting', count: 2 },
    });
    await ok('GET', `/api/office/ledgers?${year}`, office);
    await ok('POST', `/api/office/ledgers/${ledger.subjectId as string}/void`, office, { orgUnitId: TOWN, reason: '录错了' });
    await ok('GET', `/api/office/quality?${year}`, office);
    await ok('POST', '/api/office/periods/close', office, { orgUnitId: TOWN, year: 2024, month: 3 });
    // A record of the closed month arriving late: the periods list then names it.
    await push(t(), grid, [sweep(G1, '2024-03-20T09:00:00+08:00')]);
    const periods = await ok('GET', `/api/office/periods?orgUnitId=${TOWN}`, office);
    expect((periods.periods as { lateCount: number }[])[0]!.lateCount).toBe(1);
    const frozen = await ok('GET', `/api/returns/monthly?orgUnitId=${TOWN}&year=2024&month=3`, office);
    expect((frozen.frozen as { lateCount: number }).lateCount).toBe(1);
    await ok('GET', '/api/returns/type-map', office);
    await ok('PUT', '/api/returns/type-map', admin, { entries: [{ localCode: '01-divorce', upwardCode: 'HY01', upwardLabel: '离婚纠纷' }] });
    await ok('GET', `/api/returns/mediators?orgUnitId=${TOWN}`, office);
    await ok('PUT', `/api/returns/mediators/${town.userIds.mediator1!}`, admin, { employment: 'full_time' });

    // 重大矛盾纠纷, 典型案例 and 以案定补.
    await push(t(), grid, [
      { ...sweep(G1, '2024-03-01T09:10:00+08:00'), type: 'case.major', subjectId: opened.subjectId, data: { flagged: true, criteria: ['many_people'] } },
    ]);
    await ok('GET', `/api/major/alerts?orgUnitId=${TOWN}`, office);
    await ok('GET', `/api/major/alerts/${opened.subjectId}`, office);
    await ok('POST', `/api/major/alerts/${opened.subjectId}/ack`, office, {});
    await ok('POST', `/api/major/cases/${opened.subjectId}/typical`, office, { typical: true, title: '典型案例', story: '案情' });
    await ok('GET', `/api/major/typical?${year}`, office);
    await ok('GET', `/api/subsidy/rules?orgUnitId=${TOWN}`, office);
    await ok('PUT', '/api/subsidy/rules', admin, {
      orgUnitId: TOWN,
      rules: {
        amounts: { general: 80, difficult: 150, major: 400 },
        requireCompleteFile: true,
        requirePerformed: true,
        requireFollowup: true,
        oralAgreement: 'signed',
      },
    });
    await ok('POST', `/api/subsidy/cases/${opened.subjectId}/grade`, office, { grade: 'major' });
    await ok('GET', `/api/subsidy/ledger?orgUnitId=${TOWN}&year=2024&month=3`, office);
    await ok('POST', '/api/subsidy/approve', office, { orgUnitId: TOWN, year: 2024, month: 3 });

    const missing = ROUTE_SCHEMAS.filter((r) => !answeredRoutes.has(r)).map((r) => `${r.method} ${r.path.source}`);
    expect(missing).toEqual([]);
  });

  it('a refusal is an ErrorAnswer with a code of the union', async () => {
    const res = await t().json<{ error: { code: string } }>('GET', '/api/office/records?year=2024&orgUnitId=nowhere&metric=accepted', {
      token: town.tokens.office!,
    });
    expect(res.status).toBe(404);
    expect(answerDrift('GET', '/api/office/records', res.status, res.body)).toBeUndefined();
  });
});

describe('the schema check', () => {
  const user = { id: 'u1', username: 'a', displayName: 'A', roles: [{ role: 'admin', orgUnitId: '*' }] };

  it('passes an answer in its schema', () => {
    expect(answerDrift('POST', '/api/auth/login', 200, { token: 't', user, expiresAt: '2025-01-01T00:00:00Z' })).toBeUndefined();
  });

  it('fails an answer that lost or renamed a field', () => {
    expect(answerDrift('POST', '/api/auth/login', 200, { accessToken: 't', user })).toMatch(/POST \/api\/auth\/login 200/);
  });

  it('fails an answer with a key the schema does not name', () => {
    expect(answerDrift('GET', '/api/me', 200, { user: { ...user, passwordHash: 'x' }, orgUnits: [] })).toBe(
      'GET /api/me 200: .user.passwordHash is not in the schema',
    );
  });

  it('fails an error code outside the union, in a refusal or in a push result', () => {
    expect(answerDrift('GET', '/api/me', 401, { error: { code: 'token_expired', message: '请登录' } })).toMatch(/not an ErrorAnswer/);
    expect(answerDrift('POST', '/api/sync/push', 200, { results: [{ id: 'e', status: 'rejected', error: { code: 'nope', message: 'x' } }] })).toMatch(
      /reject code/,
    );
  });

  it('fails a JSON answer of a route the table does not know', () => {
    expect(answerDrift('GET', '/api/secret', 200, { ok: true })).toMatch(/has no schema/);
  });
});
