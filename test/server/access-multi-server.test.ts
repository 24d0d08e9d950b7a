// Several stateless API servers on one database (PostgreSQL: one schema; SQLite: two stores on
// one file): a token issued by one works on the other, a revocation or a disabled account takes
// effect on both at once, an org unit made through one is usable through the other at once (the
// org version, migration 502), and login failures counted by one lock the other.
import { describe, expect, test } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME } from '../../src/server/routes/auth.ts';
import { login, PASSWORD, seedTownship } from './access-fixtures.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { sweep, type PushAnswer } from './support/sync-fixtures.ts';

/** A second store on the same database as the test app's. */
function secondStore(a: TestApp): Promise<Store> {
  if (a.store.kind === 'postgres') return openPostgresStore(a.databaseUrl!, { schema: a.schema! });
  return Promise.resolve(openSqliteStore(a.dataDir));
}

describe.each(storeCases())('two API servers on one $name database', (storeCase) => {
  test('tokens, revocation, disabling, org tree changes and login limits are shared', async () => {
    const a = await openTestApp(storeCase);
    const storeB = await secondStore(a);
    try {
      const b = buildApp({ store: storeB, config: a.config });
      const onB = async (method: string, url: string, { token, body, ip }: { token?: string; body?: unknown; ip?: string } = {}) => {
        const headers: Record<string, string> = {};
        if (token) headers.authorization = `Bearer ${token}`;
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (ip) headers['x-forwarded-for'] = ip;
        const res = await b.request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as { orgUnits?: { id: string }[] } & Partial<PushAnswer> };
      };
      const town = await seedTownship(a);
      expect((await onB('GET', '/api/me', { token: town.tokens.office })).status).toBe(200);

      // Revoked through A: refused by B at once (tokens are never cached).
      const token = await login(a, 'gw1', PASSWORD);
      expect((await onB('GET', '/api/me', { token })).status).toBe(200);
      expect((await a.json('POST', '/api/auth/logout', { token })).status).toBe(200);
      expect((await onB('GET', '/api/me', { token })).status).toBe(401);

      // Disabled through A: refused by B at once.
      const gw3 = await login(a, 'gw3', PASSWORD);
      await a.json('PATCH', `/api/admin/users/${town.userIds.gw3}`, { token: town.tokens.admin, body: { disabled: true } });
      expect((await onB('GET', '/api/me', { token: gw3 })).status).toBe(401);

      // B has the tree cached (the mediator's scope); a grid made through A is usable through B at once:
      // a push to it is applied, not quarantined as outside the mediator's units.
      expect((await onB('GET', '/api/me', { token: town.tokens.mediator })).body.orgUnits?.some((u) => u.id === 'G9')).toBe(false);
      const made = await a.json('POST', '/api/admin/org-units', {
        token: town.tokens.admin,
        body: { id: 'G9', parentId: 'V1', kind: 'grid', name: '向阳村第九网格' },
      });
      expect(made.status).toBe(201);
      const event = sweep('G9', '2025-03-01T09:00:00+08:00');
      const pushed = await onB('POST', '/api/sync/push', { token: town.tokens.mediator, body: { deviceId: 'dev-b', events: [event] } });
      expect(pushed.status).toBe(200);
      expect(pushed.body.results).toEqual([{ id: event.id, status: 'applied' }]);
      expect((await onB('GET', '/api/me', { token: town.tokens.mediator })).body.orgUnits?.some((u) => u.id === 'G9')).toBe(true);

      // A renamed unit through A shows renamed through B at once (the version moves on updates too).
      expect((await a.json('PATCH', '/api/admin/org-units/G9', { token: town.tokens.admin, body: { name: '向阳村新九网格' } })).status).toBe(200);
      const me = (await onB('GET', '/api/me', { token: town.tokens.mediator })).body as { orgUnits?: { id: string; name: string }[] };
      expect(me.orgUnits?.find((u) => u.id === 'G9')?.name).toBe('向阳村新九网格');

      // Login failures counted through A lock the pair through B (with proxies trusted, per address).
      const a2 = buildApp({ store: a.store, config: { ...a.config, trustProxy: true } });
      const b2 = buildApp({ store: storeB, config: { ...a.config, trustProxy: true } });
      const attempt = (app: typeof a2, password: string) =>
        app.request('/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
          body: JSON.stringify({ username: 'office', password }),
        });
      // The office logged in from this address before, so only the per (address, username) limit applies.
      expect((await attempt(b2, PASSWORD)).status).toBe(200);
      for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME; i++) expect((await attempt(a2, `wrong-${i}-pass`)).status).toBe(401);
      expect((await attempt(b2, PASSWORD)).status).toBe(429);
    } finally {
      await storeB.close();
      await a.dispose();
    }
  }, 60_000);
});
