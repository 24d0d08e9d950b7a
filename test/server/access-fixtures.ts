// A small township for access tests, built through the admin API as an admin would:
//   town JK (江口镇) ─┬ village V1 (向阳村) ─┬ grid G1, grid G2
//                     │                      └ committee C1 (向阳村调委会)
//                     ├ village V2 (帆水村) ── grid G3
//                     ├ committee TC (江口镇调委会)
//                     └ station S1 (驻法庭调解室)
//   town OT (另一镇) ── village OV ── grid OG        (out of everyone's scope but admin's)
// Users: office (JK), mediator (C1 → V1's subtree), gw1 (G1), gw3 (G3), other (grid OG).
import { expect } from 'vitest';
import { ensureFirstAdmin } from '../../src/server/bootstrap.ts';
import type { TestApp } from './support/app.ts';

export const ADMIN_PASSWORD = 'admin-pass-123';
export const PASSWORD = 'secret-pass-1';

export const UNITS = [
  { id: 'JK', parentId: null, kind: 'town', name: '江口镇', shortName: '江口', code: '500235110' },
  { id: 'V1', parentId: 'JK', kind: 'village', name: '向阳村', shortName: '向阳' },
  { id: 'G1', parentId: 'V1', kind: 'grid', name: '向阳村第一网格' },
  { id: 'G2', parentId: 'V1', kind: 'grid', name: '向阳村第二网格' },
  { id: 'C1', parentId: 'V1', kind: 'committee', name: '向阳村人民调解委员会', shortName: '向阳' },
  { id: 'V2', parentId: 'JK', kind: 'village', name: '帆水村' },
  { id: 'G3', parentId: 'V2', kind: 'grid', name: '帆水村第一网格' },
  { id: 'TC', parentId: 'JK', kind: 'committee', name: '江口镇人民调解委员会', shortName: '江口' },
  { id: 'S1', parentId: 'JK', kind: 'station', name: '驻江口法庭调解室' },
  { id: 'OT', parentId: null, kind: 'town', name: '另一镇' },
  { id: 'OV', parentId: 'OT', kind: 'village', name: '另一村' },
  { id: 'OG', parentId: 'OV', kind: 'grid', name: '另一村网格' },
] as const;

const USERS = {
  office: { role: 'office', orgUnitId: 'JK' },
  mediator: { role: 'mediator', orgUnitId: 'C1' },
  gw1: { role: 'grid_worker', orgUnitId: 'G1' },
  gw3: { role: 'grid_worker', orgUnitId: 'G3' },
  other: { role: 'grid_worker', orgUnitId: 'OG' },
} as const;
type UserName = keyof typeof USERS | 'admin';

export interface Township {
  tokens: Record<UserName, string>;
  userIds: Record<UserName, string>;
}

export async function login(t: TestApp, username: string, password: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.json<{ token: string }>('POST', '/api/auth/login', { body: { username, password, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.token;
}

export async function seedTownship(t: TestApp): Promise<Township> {
  await ensureFirstAdmin(t.store, { adminPassword: ADMIN_PASSWORD, log: () => {} });
  const admin = await login(t, 'admin', ADMIN_PASSWORD);
  for (const unit of UNITS) {
    const res = await t.json('POST', '/api/admin/org-units', { token: admin, body: unit });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const tokens = { admin } as Record<UserName, string>;
  const me = await t.json<{ user: { id: string } }>('GET', '/api/me', { token: admin });
  const userIds = { admin: me.body.user.id } as Record<UserName, string>;
  for (const [username, grant] of Object.entries(USERS) as [keyof typeof USERS, (typeof USERS)[keyof typeof USERS]][]) {
    const res = await t.json<{ id: string }>('POST', '/api/admin/users', {
      token: admin,
      body: { username, password: PASSWORD, displayName: username, roles: [grant] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    userIds[username] = res.body.id;
    tokens[username] = await login(t, username, PASSWORD);
  }
  return { tokens, userIds };
}

/** Every account table's rows, to compare before and after a request that must change nothing. */
export async function accountSnapshot(t: TestApp): Promise<string> {
  const [units, users, audit] = await Promise.all([t.store.listOrgUnits(), t.store.listUsers(), t.store.listAudit({ limit: 100_000 })]);
  const tokens = await t.store.listLiveTokens(new Date(0));
  const credentials = await Promise.all(users.map((u) => t.store.findUserById(u.id)));
  return JSON.stringify({ units, credentials, audit, tokens });
}
