// Several stateless API servers on one PostgreSQL: a token issued by one works on the other,
// a revocation or a disabled account takes effect on both at once, and an org tree change
// made through one shows on the other within the tree cache's TTL.
import { describe, expect, test } from 'vitest';
import { ORG_TREE_TTL_MS } from '../../src/server/access/org-tree.ts';
import { buildApp } from '../../src/server/app.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { login, PASSWORD, seedTownship } from './access-fixtures.ts';
import { openTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';

const postgres = storeCases().filter((c) => c.name === 'postgres');

describe.skipIf(postgres.length === 0)('two API servers on one PostgreSQL', () => {
  test('tokens, revocation, disabling and org tree changes are shared', async () => {
    const a = await openTestApp(postgres[0]!);
    const storeB = await openPostgresStore(a.databaseUrl!, { schema: a.schema! });
    try {
      const b = buildApp({ store: storeB, config: a.config });
      const onB = async (url: string, token: string, method = 'GET') => {
        const res = await b.request(url, { method, headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, body: (await res.json()) as { orgUnits?: { id: string }[] } };
      };
      const town = await seedTownship(a);
      expect((await onB('/api/me', town.tokens.office)).status).toBe(200);

      // Revoked through A: refused by B at once (tokens are never cached).
      const token = await login(a, 'gw1', PASSWORD);
      expect((await onB('/api/me', token)).status).toBe(200);
      expect((await a.json('POST', '/api/auth/logout', { token })).status).toBe(200);
      expect((await onB('/api/me', token)).status).toBe(401);

      // Disabled through A: refused by B at once.
      const gw3 = await login(a, 'gw3', PASSWORD);
      await a.json('PATCH', `/api/admin/users/${town.userIds.gw3}`, { token: town.tokens.admin, body: { disabled: true } });
      expect((await onB('/api/me', gw3)).status).toBe(401);

      // A new village through A: B's cached tree shows it within the TTL.
      expect((await onB('/api/me', town.tokens.office)).body.orgUnits?.some((u) => u.id === 'V9')).toBe(false);
      const made = await a.json('POST', '/api/admin/org-units', { token: town.tokens.admin, body: { id: 'V9', parentId: 'JK', kind: 'village', name: '新建村' } });
      expect(made.status).toBe(201);
      const start = Date.now();
      let seen = false;
      while (!seen && Date.now() - start < ORG_TREE_TTL_MS + 2000) {
        seen = (await onB('/api/me', town.tokens.office)).body.orgUnits?.some((u) => u.id === 'V9') ?? false;
        if (!seen) await new Promise((r) => setTimeout(r, 250));
      }
      expect(seen).toBe(true);
      expect(Date.now() - start).toBeLessThan(ORG_TREE_TTL_MS + 1500);
    } finally {
      await storeB.close();
      await a.dispose();
    }
  }, 30_000);
});
