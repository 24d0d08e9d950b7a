// A small township for sync tests: 江口镇 with its committee, two villages (one with its own
// committee), grids, and one user per role. Users are created through the store, tokens
// through the real login route. Plus makers for valid events.
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '#shared/events';
import { hashPassword } from '../../../src/server/access/passwords.ts';
import { invalidateOrgTree } from '../../../src/server/access/org-tree.ts';
import type { OrgUnit, StoredRoleGrant } from '../../../src/server/storage/account-store.ts';
import type { TestApp } from './app.ts';

export const TOWN = 'jk';
export const TOWN_COMMITTEE = 'jk-twh';
export const V1 = 'jk-v1';
export const V1_COMMITTEE = 'jk-v1-twh';
export const V2 = 'jk-v2';
export const G1 = 'jk-v1-g1';
export const G2 = 'jk-v1-g2';
export const G3 = 'jk-v2-g1';

const unit = (id: string, parentId: string | null, kind: OrgUnit['kind'], name: string, shortName: string | null = null): OrgUnit => ({
  id,
  parentId,
  kind,
  name,
  code: null,
  shortName,
});

export const ORG_UNITS: OrgUnit[] = [
  unit(TOWN, null, 'town', '江口镇', '江口'),
  unit(TOWN_COMMITTEE, TOWN, 'committee', '江口镇人民调解委员会', '江口'),
  unit(V1, TOWN, 'village', '红星村', '红星'),
  unit(V1_COMMITTEE, V1, 'committee', '红星村人民调解委员会', '红星村'),
  unit(V2, TOWN, 'village', '青山村', '青山'),
  unit(G1, V1, 'grid', '红星村第一网格'),
  unit(G2, V1, 'grid', '红星村第二网格'),
  unit(G3, V2, 'grid', '青山村第一网格'),
];

export const PASSWORD = 'test-pass-123';

const USERS: Record<string, StoredRoleGrant[]> = {
  admin: [{ role: 'admin', orgUnitId: null }],
  office: [{ role: 'office', orgUnitId: TOWN }],
  mediator1: [{ role: 'mediator', orgUnitId: V1 }],
  grid1: [{ role: 'grid_worker', orgUnitId: G1 }],
  grid2: [{ role: 'grid_worker', orgUnitId: G2 }],
  grid3: [{ role: 'grid_worker', orgUnitId: G3 }],
};

export interface Township {
  tokens: Record<string, string>;
  userIds: Record<string, string>;
  login(username: string, deviceId?: string): Promise<string>;
}

/** Org tree, users (one password hash shared: scrypt is slow on purpose) and a token per user. */
export async function seedTownship(t: TestApp): Promise<Township> {
  const at = new Date();
  await t.store.insertOrgUnits(ORG_UNITS, at);
  invalidateOrgTree(t.store);
  const passwordHash = await hashPassword(PASSWORD);
  const userIds: Record<string, string> = {};
  for (const [username, roles] of Object.entries(USERS)) {
    const id = randomUUID();
    userIds[username] = id;
    const r = await t.store.insertUser({ id, username, displayName: username, passwordHash, roles, createdAt: at });
    if (r !== 'ok') throw new Error(`could not create ${username}: ${r}`);
  }
  const login = async (username: string, deviceId = `dev-${username}`) => {
    const res = await t.json<{ token: string }>('POST', '/api/auth/login', { body: { username, password: PASSWORD, deviceId } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  };
  const tokens: Record<string, string> = {};
  for (const username of Object.keys(USERS)) tokens[username] = await login(username);
  return { tokens, userIds, login };
}

let deviceSeq = 0;

type Envelope = Omit<DomainEvent, 'type' | 'data'>;

function envelope(subjectId: string, orgUnitId: string, occurredAt: string, deviceId = 'dev-test'): Envelope {
  return { id: uuidv7(), subjectId, orgUnitId, occurredAt, recordedAt: new Date().toISOString(), deviceId, deviceSeq: ++deviceSeq };
}

export function caseOpened(
  orgUnitId: string,
  occurredAt: string,
  data: Partial<Extract<DomainEvent, { type: 'case.opened' }>['data']> = {},
  subjectId = uuidv7(),
): DomainEvent {
  return {
    ...envelope(subjectId, orgUnitId, occurredAt),
    type: 'case.opened',
    data: {
      disputeType: '02',
      source: 'application',
      summary: '邻里之间因排水沟发生争执',
      parties: [
        { role: 'applicant', name: '张某' },
        { role: 'respondent', name: '李某' },
      ],
      ...data,
    },
  };
}

export function caseClosed(
  of: DomainEvent,
  occurredAt: string,
  result: 'success' | 'failure' | 'terminated' = 'success',
  agreementForm: 'written' | 'oral' | 'none' = 'written',
): DomainEvent {
  return { ...envelope(of.subjectId, of.orgUnitId, occurredAt), type: 'case.closed', data: { result, agreementForm } };
}

export function caseVoided(of: DomainEvent, occurredAt: string): DomainEvent {
  return { ...envelope(of.subjectId, of.orgUnitId, occurredAt), type: 'case.voided', data: { reason: '重复登记' } };
}

export function outreach(
  orgUnitId: string,
  occurredAt: string,
  audience = 120,
  extra: Partial<Extract<DomainEvent, { type: 'outreach.recorded' }>['data']> = {},
): DomainEvent {
  return {
    ...envelope(uuidv7(), orgUnitId, occurredAt),
    type: 'outreach.recorded',
    data: { title: '民法典进村宣讲', form: 'lecture', audience, ...extra },
  };
}

export function sweep(orgUnitId: string, occurredAt: string, disputesFound = 0): DomainEvent {
  return { ...envelope(uuidv7(), orgUnitId, occurredAt), type: 'sweep.recorded', data: { households: 35, disputesFound } };
}

export interface PushAnswer {
  results: { id: string; status: string; error?: { code: string; message: string } }[];
  serverTime: string;
  clockSkewed: boolean;
}

export async function push(t: TestApp, token: string, events: unknown[], extra: Record<string, unknown> = {}) {
  return t.json<PushAnswer>('POST', '/api/sync/push', { token, body: { deviceId: 'dev-test', events, ...extra } });
}

export interface PullAnswer {
  events: (DomainEvent & { seq: number; authorId: string; receivedAt: string })[];
  cursor: number;
  hasMore: boolean;
}

export async function pull(t: TestApp, token: string, cursor = 0, limit?: number) {
  const q = `/api/sync/pull?cursor=${cursor}${limit ? `&limit=${limit}` : ''}`;
  return t.json<PullAnswer>('GET', q, { token });
}

/** Pulls every page until hasMore is false; returns all events in arrival order. */
export async function pullAll(t: TestApp, token: string, from = 0, limit?: number): Promise<{ events: PullAnswer['events']; cursor: number }> {
  const events: PullAnswer['events'] = [];
  let cursor = from;
  for (let i = 0; i < 10_000; i++) {
    const r = await pull(t, token, cursor, limit);
    if (r.status !== 200) throw new Error(`pull ${r.status} ${JSON.stringify(r.body)}`);
    events.push(...r.body.events);
    cursor = r.body.cursor;
    if (!r.body.hasMore) break;
  }
  return { events, cursor };
}
