// The authorization matrix: every API endpoint the app registers × every role × an org unit
// inside and one outside the caller's scope → the expected status, from one table. The
// endpoint list comes from the app's own routes, so an endpoint added without a rule here
// fails this test (and a rule for an endpoint that no longer exists does too).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { PASSWORD, seedTownship, type Township } from './access-fixtures.ts';
import { caseOpened } from './support/sync-fixtures.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { readSse } from './support/sse.ts';
import { storeCases } from './support/stores.ts';

async function firstLiveMessage(res: Response) {
  const stream = readSse(res);
  try {
    return await stream.next();
  } finally {
    await stream.close();
  }
}

type Who = 'anonymous' | 'admin' | 'office' | 'mediator' | 'grid_worker';
type Variant = 'in' | 'out';
const WHO: Who[] = ['anonymous', 'admin', 'office', 'mediator', 'grid_worker'];
const USERNAME: Record<Exclude<Who, 'anonymous'>, 'admin' | 'office' | 'mediator' | 'gw1'> = {
  admin: 'admin',
  office: 'office',
  mediator: 'mediator',
  grid_worker: 'gw1',
};

/** A unit inside each role's scope, and one just outside it (for admin nothing is outside). */
const IN_UNIT = 'G1';
const OUT_UNIT: Record<Who, string> = { anonymous: 'OG', admin: 'OG', office: 'OG', mediator: 'G3', grid_worker: 'G2' };

interface Ctx {
  t: TestApp;
  town: Township;
  who: Who;
  variant: Variant;
  unit: string;
  token: string | undefined;
  targetUser: Record<Variant, string>;
  /** A photo named by an outreach event in each unit. */
  photoOf: Record<string, string>;
  /** A case in the in-scope unit and in each role's out-of-scope unit. */
  caseOf: Record<string, string>;
}
interface Req {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Use a token of its own (for requests that end the session). */
  freshToken?: boolean;
}
/** An expected status, the same in and out of scope, or [in, out]. */
type Expect = number | [number, number];
/** What the answer must say beyond its status (e.g. a pushed event applied or rejected). */
type Check = (body: unknown, ctx: Ctx) => string;

interface Rule {
  route: string;
  request: (ctx: Ctx) => Req | Promise<Req>;
  expect: Record<Who, Expect>;
  /** A label of the answer's content to compare, per role and variant. */
  check?: { fn: Check; expect: Partial<Record<Who, [string, string]>> };
}

const anonymous401 = { anonymous: 401 } as const;
const adminOnly = (ok: number): Record<Who, Expect> => ({ ...anonymous401, admin: ok, office: 403, mediator: 403, grid_worker: 403 });
const officeAdmin = (adminOk: Expect, officeOk: Expect): Record<Who, Expect> => ({
  ...anonymous401,
  admin: adminOk,
  office: officeOk,
  mediator: 403,
  grid_worker: 403,
});
const everyone = (ok: Expect): Record<Who, Expect> => ({ ...anonymous401, admin: ok, office: ok, mediator: ok, grid_worker: ok });

let seq = 0;
let finalYear = 0;
const unique = (prefix: string) => `${prefix}${++seq}${Math.random().toString(36).slice(2, 6)}`;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
function pngBytes(): Uint8Array {
  return new Uint8Array([...PNG_MAGIC, ...randomBytes(64)]);
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function outreachEvent(orgUnitId: string, photo: Uint8Array) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    type: 'outreach.recorded',
    subjectId: randomUUID(),
    orgUnitId,
    occurredAt: now,
    recordedAt: now,
    deviceId: 'matrix',
    deviceSeq: ++seq,
    data: { title: '普法宣传', form: 'lecture', audience: 30, photos: [{ sha256: sha256(photo), mime: 'image/png', size: photo.length }] },
  };
}

function sweepEvent(orgUnitId: string) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    type: 'sweep.recorded',
    subjectId: randomUUID(),
    orgUnitId,
    occurredAt: now,
    recordedAt: now,
    deviceId: 'matrix',
    deviceSeq: ++seq,
    data: { households: 3, disputesFound: 0 },
  };
}

const RULES: Rule[] = [
  { route: 'GET /api/health', request: () => ({ url: '/api/health' }), expect: { anonymous: 200, admin: 200, office: 200, mediator: 200, grid_worker: 200 } },
  {
    route: 'POST /api/auth/login',
    request: ({ who }) => ({
      url: '/api/auth/login',
      body: { username: who === 'anonymous' ? 'gw1' : USERNAME[who], password: who === 'admin' ? 'admin-pass-123' : PASSWORD },
    }),
    expect: { anonymous: 200, admin: 200, office: 200, mediator: 200, grid_worker: 200 },
  },
  { route: 'POST /api/auth/logout', request: () => ({ url: '/api/auth/logout', body: {}, freshToken: true }), expect: everyone(200) },
  { route: 'GET /api/me', request: () => ({ url: '/api/me' }), expect: everyone(200) },
  { route: 'GET /api/admin/org-units', request: () => ({ url: '/api/admin/org-units' }), expect: officeAdmin(200, 200) },
  { route: 'GET /api/admin/org-units/template.csv', request: () => ({ url: '/api/admin/org-units/template.csv' }), expect: adminOnly(200) },
  { route: 'GET /api/admin/org-units/template.xlsx', request: () => ({ url: '/api/admin/org-units/template.xlsx' }), expect: adminOnly(200) },
  {
    route: 'POST /api/admin/org-units',
    request: ({ unit }) => ({
      url: '/api/admin/org-units',
      body: { id: unique('mx-'), parentId: unit === IN_UNIT ? 'V1' : 'OV', kind: 'grid', name: '矩阵网格' },
    }),
    expect: adminOnly(201),
  },
  {
    route: 'PATCH /api/admin/org-units/:id',
    request: ({ unit }) => ({ url: `/api/admin/org-units/${unit}`, body: { shortName: unique('简') } }),
    expect: adminOnly(200),
  },
  {
    // A unit that does not exist: the admin gets past the gate (404), and no unit of the matrix closes.
    route: 'POST /api/admin/org-units/:id/close',
    request: () => ({ url: '/api/admin/org-units/no-such-unit/close', body: { closedOn: '2024-01-01' } }),
    expect: adminOnly(404),
  },
  {
    route: 'POST /api/admin/org-units/import',
    // A name of its own each time: two units of one name under one parent are refused.
    request: () => ({
      url: '/api/admin/org-units/import',
      body: `编号,上级编号,类型,名称,简称\n${unique('imp-')},V1,网格,${unique('导入网格')},`,
      headers: { 'content-type': 'text/csv' },
    }),
    expect: adminOnly(201),
  },
  {
    route: 'POST /api/admin/org-units/import/preview',
    request: () => ({
      url: '/api/admin/org-units/import/preview',
      body: `编号,上级编号,类型,名称,简称\n${unique('imp-')},V1,网格,预览网格,`,
      headers: { 'content-type': 'text/csv' },
    }),
    expect: adminOnly(200),
  },
  { route: 'GET /api/admin/users', request: () => ({ url: '/api/admin/users' }), expect: adminOnly(200) },
  {
    route: 'POST /api/admin/users',
    request: ({ unit }) => ({
      url: '/api/admin/users',
      body: { username: unique('mx'), password: PASSWORD, displayName: '矩阵', roles: [{ role: 'grid_worker', orgUnitId: unit }] },
    }),
    expect: adminOnly(201),
  },
  {
    route: 'PATCH /api/admin/users/:id',
    request: ({ targetUser, variant }) => ({ url: `/api/admin/users/${targetUser[variant]}`, body: { displayName: '改名' } }),
    expect: adminOnly(200),
  },
  {
    route: 'POST /api/admin/users/:id/password',
    request: ({ targetUser, variant }) => ({ url: `/api/admin/users/${targetUser[variant]}/password`, body: { password: PASSWORD } }),
    expect: adminOnly(200),
  },
  { route: 'GET /api/admin/devices', request: () => ({ url: '/api/admin/devices' }), expect: adminOnly(200) },
  {
    route: 'DELETE /api/admin/devices/:id',
    request: async ({ t, variant }) => {
      // A device of its own to revoke each time: a fresh login of the in- or out-of-scope user.
      const username = variant === 'in' ? 'target-in' : 'target-out';
      const res = await t.json<{ token: string }>('POST', '/api/auth/login', { body: { username, password: PASSWORD, deviceId: unique('dev-') } });
      expect(res.status).toBe(200);
      const user = await t.store.findUserByUsername(username);
      const [live] = await t.store.listLiveTokens(new Date(), user!.id);
      return { url: `/api/admin/devices/${live!.id}` };
    },
    expect: adminOnly(200),
  },
  { route: 'GET /api/admin/audit', request: () => ({ url: '/api/admin/audit' }), expect: adminOnly(200) },
  { route: 'GET /api/admin/audit.csv', request: () => ({ url: '/api/admin/audit.csv' }), expect: adminOnly(200) },
  {
    route: 'POST /api/audit/reveal',
    request: ({ unit, caseOf }) => ({ url: '/api/audit/reveal', body: { subjectId: caseOf[unit], party: 0, reason: 'supervision' } }),
    // Only roles that see parties masked reveal; a case outside the scope answers as if it did not exist.
    expect: officeAdmin(201, [201, 404]),
  },
  {
    route: 'POST /api/sync/push',
    request: ({ unit }) => ({ url: '/api/sync/push', body: { deviceId: 'matrix', events: [sweepEvent(unit)] } }),
    expect: everyone(200),
    check: {
      fn: (body) => String((body as { results?: { status: string }[] }).results?.[0]?.status),
      expect: { admin: ['applied', 'applied'], office: ['rejected', 'rejected'], mediator: ['applied', 'rejected'], grid_worker: ['applied', 'rejected'] },
    },
  },
  {
    route: 'GET /api/sync/pull',
    request: () => ({ url: '/api/sync/pull?cursor=0&limit=1000' }),
    expect: everyone(200),
    // Seeded: events in every unit. In: the unit's events are served; out: they are not.
    check: {
      fn: (body, { unit }) => ((body as { events?: { orgUnitId: string }[] }).events?.some((e) => e.orgUnitId === unit) ? 'served' : 'withheld'),
      expect: { admin: ['served', 'served'], office: ['served', 'withheld'], mediator: ['served', 'withheld'], grid_worker: ['served', 'withheld'] },
    },
  },
  { route: 'GET /api/sync/rejected', request: () => ({ url: '/api/sync/rejected' }), expect: everyone(200) },
  // A stream: its first message is read, then it is closed. Which units it announces: wire-live.test.ts.
  { route: 'GET /api/sync/events', request: () => ({ url: '/api/sync/events' }), expect: everyone(200) },
  {
    // Anyone logged in may upload a photo; it is only readable through an event in scope.
    route: 'PUT /api/attachments/:sha256',
    request: () => {
      const bytes = pngBytes();
      return { url: `/api/attachments/${sha256(bytes)}`, body: bytes, headers: { 'content-type': 'image/png' } };
    },
    expect: everyone(201),
  },
  {
    route: 'GET /api/attachments/:sha256',
    request: ({ unit, photoOf }) => ({ url: `/api/attachments/${photoOf[unit]}` }),
    // Out of scope is 404, not 403: whether a photo exists is not told either.
    expect: { ...anonymous401, admin: 200, office: [200, 404], mediator: [200, 404], grid_worker: [200, 404] },
  },
  { route: 'GET /api/devices', request: () => ({ url: '/api/devices' }), expect: officeAdmin(200, 200) },
  { route: 'GET /api/stats/summary', request: ({ unit }) => ({ url: `/api/stats/summary?year=2024&orgUnitId=${unit}` }), expect: officeAdmin(200, [200, 403]) },
  ...['pivot', 'pivot.xlsx'].map((path): Rule => ({
    route: `GET /api/stats/${path}`,
    request: ({ unit }) => ({ url: `/api/stats/${path}?year=2024&orgUnitId=${unit}&measure=resolved&rows=unit&cols=month` }),
    expect: officeAdmin(200, [200, 403]),
  })),
  {
    route: 'GET /api/stats/completeness',
    request: ({ unit }) => ({ url: `/api/stats/completeness?year=2024&orgUnitId=${unit}` }),
    expect: officeAdmin(200, [200, 403]),
  },
  ...['cases.csv', 'cases.xlsx', 'outreach.csv', 'outreach.xlsx', 'stats.xlsx', 'ledgers.csv', 'ledgers.xlsx', 'quality.csv', 'quality.xlsx'].map(
    (file): Rule => ({
      route: `GET /api/exports/${file}`,
      request: ({ unit }) => ({ url: `/api/exports/${file}?year=2024&orgUnitId=${unit}` }),
      expect: officeAdmin(200, [200, 403]),
    }),
  ),
  {
    route: 'GET /api/office/records',
    request: ({ unit }) => ({ url: `/api/office/records?metric=accepted&year=2024&orgUnitId=${unit}` }),
    expect: officeAdmin(200, [200, 403]),
  },
  { route: 'GET /api/office/grids', request: ({ unit }) => ({ url: `/api/office/grids?year=2024&orgUnitId=${unit}` }), expect: officeAdmin(200, [200, 403]) },
  {
    route: 'POST /api/reports/annual/finalise',
    // A year of its own per caller (a second 定稿 of one report is a 409), each one over (a year not yet begun is a 422).
    request: ({ unit }) => ({ url: '/api/reports/annual/finalise', body: { year: 2000 + (++finalYear % 20), orgUnitId: unit === IN_UNIT ? 'JK' : 'OT' } }),
    expect: officeAdmin(201, [201, 403]),
  },
  // The report is a town's document (a grid's is a 422): the town in scope, or one outside it.
  {
    route: 'GET /api/reports/annual',
    request: ({ unit }) => ({ url: `/api/reports/annual?year=2024&orgUnitId=${unit === IN_UNIT ? 'JK' : 'OT'}&format=json` }),
    expect: officeAdmin(200, [200, 403]),
  },
  {
    route: 'GET /api/office/ledgers',
    request: ({ unit }) => ({ url: `/api/office/ledgers?year=2024&orgUnitId=${unit}` }),
    expect: officeAdmin(200, [200, 403]),
  },
  {
    route: 'GET /api/office/quality',
    request: ({ unit }) => ({ url: `/api/office/quality?year=2024&orgUnitId=${unit}` }),
    expect: officeAdmin(200, [200, 403]),
  },
  { route: 'GET /api/office/periods', request: ({ unit }) => ({ url: `/api/office/periods?orgUnitId=${unit}` }), expect: officeAdmin(200, [200, 403]) },
  {
    route: 'POST /api/office/periods/close',
    // A month of its own per caller, so that no request meets another's close (409).
    request: ({ unit, who }) => ({ url: '/api/office/periods/close', body: { orgUnitId: unit, year: 2024, month: WHO.indexOf(who) + 1 } }),
    expect: officeAdmin(201, [201, 403]),
  },
  {
    route: 'GET /api/returns/monthly',
    request: ({ unit }) => ({ url: `/api/returns/monthly?orgUnitId=${unit}&year=2024&month=3` }),
    expect: officeAdmin(200, [200, 403]),
  },
  {
    route: 'GET /api/returns/monthly.xlsx',
    request: ({ unit }) => ({ url: `/api/returns/monthly.xlsx?orgUnitId=${unit}&year=2024&month=3` }),
    expect: officeAdmin(200, [200, 403]),
  },
  { route: 'GET /api/returns/type-map', request: () => ({ url: '/api/returns/type-map' }), expect: officeAdmin(200, 200) },
  { route: 'PUT /api/returns/type-map', request: () => ({ url: '/api/returns/type-map', body: { entries: [] } }), expect: adminOnly(200) },
  {
    route: 'GET /api/returns/mediators',
    request: ({ unit }) => ({ url: `/api/returns/mediators?orgUnitId=${unit}` }),
    expect: officeAdmin(200, [200, 403]),
  },
  {
    route: 'PUT /api/returns/mediators/:userId',
    request: ({ town }) => ({ url: `/api/returns/mediators/${town.userIds.mediator}`, body: { employment: 'part_time' } }),
    expect: adminOnly(200),
  },
  {
    route: 'POST /api/office/ledgers',
    request: ({ unit }) => ({ url: '/api/office/ledgers', body: { orgUnitId: unit, date: '2024-03-01', entry: { kind: 'disclosure', count: 1 } } }),
    expect: officeAdmin(201, [201, 403]),
  },
  {
    route: 'POST /api/office/ledgers/:subjectId/void',
    // No such entry: found nowhere in scope (404), refused outside it (403).
    request: ({ unit }) => ({ url: '/api/office/ledgers/0193a000-0000-7000-8000-0000000000ff/void', body: { orgUnitId: unit, reason: '核对' } }),
    expect: officeAdmin(404, [404, 403]),
  },
  { route: 'GET /api/major/alerts', request: ({ unit }) => ({ url: `/api/major/alerts?orgUnitId=${unit}` }), expect: officeAdmin(200, [200, 403]) },
  // No case is flagged 重大: found nowhere in scope and out of it alike.
  { route: 'GET /api/major/alerts/:subjectId', request: ({ unit, caseOf }) => ({ url: `/api/major/alerts/${caseOf[unit]}` }), expect: officeAdmin(404, 404) },
  {
    route: 'POST /api/major/alerts/:subjectId/ack',
    request: ({ unit, caseOf }) => ({ url: `/api/major/alerts/${caseOf[unit]}/ack`, body: {} }),
    expect: officeAdmin(404, 404),
  },
  ...['typical', 'typical.docx'].map((path): Rule => ({
    route: `GET /api/major/${path}`,
    request: ({ unit }) => ({ url: `/api/major/${path}?year=2024&orgUnitId=${unit}` }),
    expect: officeAdmin(200, [200, 403]),
  })),
  {
    route: 'POST /api/major/cases/:subjectId/typical',
    // A case outside the scope answers as if it did not exist.
    request: ({ unit, caseOf }) => ({ url: `/api/major/cases/${caseOf[unit]}/typical`, body: { typical: true, title: '矩阵案例' } }),
    expect: officeAdmin(201, [201, 404]),
  },
  { route: 'GET /api/subsidy/rules', request: ({ unit }) => ({ url: `/api/subsidy/rules?orgUnitId=${unit}` }), expect: officeAdmin(200, [200, 403]) },
  {
    route: 'PUT /api/subsidy/rules',
    request: ({ unit }) => ({
      url: '/api/subsidy/rules',
      body: {
        orgUnitId: unit,
        rules: {
          amounts: { general: 50, difficult: 100, major: 300 },
          requireCompleteFile: true,
          requirePerformed: true,
          requireFollowup: true,
          oralAgreement: 'signed',
        },
      },
    }),
    expect: adminOnly(200),
  },
  ...['ledger', 'ledger.xlsx'].map((path): Rule => ({
    route: `GET /api/subsidy/${path}`,
    request: ({ unit }) => ({ url: `/api/subsidy/${path}?orgUnitId=${unit}&year=2024&month=5` }),
    expect: officeAdmin(200, [200, 403]),
  })),
  {
    route: 'POST /api/subsidy/approve',
    // A month of its own per caller, so that no request meets another's approval (409).
    request: ({ unit, who }) => ({ url: '/api/subsidy/approve', body: { orgUnitId: unit, year: 2024, month: WHO.indexOf(who) + 1 } }),
    expect: officeAdmin(201, [201, 403]),
  },
  {
    route: 'POST /api/subsidy/cases/:subjectId/grade',
    request: ({ unit, caseOf }) => ({ url: `/api/subsidy/cases/${caseOf[unit]}/grade`, body: { grade: 'difficult' } }),
    expect: officeAdmin(201, [201, 404]),
  },
];

/** The app's endpoints as "METHOD /path", without middleware and catch-all entries. */
function registeredEndpoints(t: TestApp): string[] {
  return [
    ...new Set(t.app.routes.filter((r) => r.path.startsWith('/api/') && !r.path.endsWith('*') && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)),
  ].sort();
}

describe.each(storeCases())('authorization matrix on $name', (storeCase) => {
  let t: TestApp;
  let town: Township;
  const targetUser = {} as Record<Variant, string>;
  const photoOf: Record<string, string> = {};
  const caseOf: Record<string, string> = {};

  test('setup: a township, a sweep and an outreach with a photo in every unit, users to act on in and out of scope', async () => {
    t = await openTestApp(storeCase);
    town = await seedTownship(t);
    const units = (await t.store.listOrgUnits()).map((u) => u.id);
    const photos = units.map(() => pngBytes());
    for (const [i, unit] of units.entries()) {
      photoOf[unit] = sha256(photos[i]!);
      expect(
        (await t.request('PUT', `/api/attachments/${photoOf[unit]}`, { token: town.tokens.admin, body: photos[i]!, headers: { 'content-type': 'image/png' } }))
          .status,
      ).toBe(201);
    }
    const events = [...units.map(sweepEvent), ...units.map((u, i) => outreachEvent(u, photos[i]!))];
    const push = await t.json<{ results: { status: string }[] }>('POST', '/api/sync/push', { token: town.tokens.admin, body: { deviceId: 'seed', events } });
    expect(push.status).toBe(200);
    expect(push.body.results.every((r) => r.status === 'applied')).toBe(true);
    const cases = [...new Set([IN_UNIT, ...Object.values(OUT_UNIT)])].map((unit) => caseOpened(unit, '2024-05-01T09:00:00+08:00'));
    for (const c of cases) caseOf[c.orgUnitId] = c.subjectId;
    const pushedCases = await t.json<{ results: { status: string }[] }>('POST', '/api/sync/push', {
      token: town.tokens.admin,
      body: { deviceId: 'seed', events: cases },
    });
    expect(pushedCases.body.results.map((r) => r.status)).toEqual(cases.map(() => 'applied'));
    for (const [variant, unit] of [
      ['in', 'G1'],
      ['out', 'OG'],
    ] as const) {
      const res = await t.json<{ id: string }>('POST', '/api/admin/users', {
        token: town.tokens.admin,
        body: { username: `target-${variant}`, password: PASSWORD, displayName: '目标', roles: [{ role: 'grid_worker', orgUnitId: unit }] },
      });
      expect(res.status).toBe(201);
      targetUser[variant] = res.body.id;
    }
  });

  test('every registered endpoint has exactly one rule, and every rule an endpoint', () => {
    const registered = registeredEndpoints(t);
    const ruled = RULES.map((r) => r.route).sort();
    expect(new Set(ruled).size).toBe(ruled.length);
    expect({ withoutRule: registered.filter((e) => !ruled.includes(e)), withoutEndpoint: ruled.filter((r) => !registered.includes(r)) }).toEqual({
      withoutRule: [],
      withoutEndpoint: [],
    });
  });

  test.each(RULES.map((r) => [r.route, r] as const))('%s', async (_route, rule) => {
    const actual: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const who of WHO) {
      for (const variant of ['in', 'out'] as const) {
        const unit = variant === 'in' ? IN_UNIT : OUT_UNIT[who];
        let token = who === 'anonymous' ? undefined : town.tokens[USERNAME[who]];
        const ctx: Ctx = { t, town, who, variant, unit, token, targetUser, photoOf, caseOf };
        const req = await rule.request(ctx);
        if (req.freshToken && who !== 'anonymous') {
          const login = await t.json<{ token: string }>('POST', '/api/auth/login', {
            body: { username: USERNAME[who], password: who === 'admin' ? 'admin-pass-123' : PASSWORD },
          });
          token = login.body.token;
        }
        const method = rule.route.split(' ')[0]!;
        const res = await t.request(method, req.url, {
          ...(token ? { token } : {}),
          ...(req.body !== undefined ? { body: req.body } : {}),
          headers: req.headers ?? {},
        });
        const text = res.headers.get('content-type')?.startsWith('text/event-stream') ? (await firstLiveMessage(res)).event : await res.text();
        const isJson = res.headers.get('content-type')?.includes('application/json');
        const body: unknown = isJson && text ? JSON.parse(text) : text;
        const key = `${who}/${variant}`;
        const want = rule.expect[who];
        expected[key] = Array.isArray(want) ? want[variant === 'in' ? 0 : 1] : want;
        actual[key] = res.status;
        if (res.status >= 400) {
          expect(body, `${key}: ${text}`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
        }
        const checked = rule.check?.expect[who];
        if (checked && res.status < 400) {
          expected[`${key} answer`] = checked[variant === 'in' ? 0 : 1];
          actual[`${key} answer`] = rule.check!.fn(body, ctx);
        }
      }
    }
    expect(actual).toEqual(expected);
  });

  // Office writes need the office grant over the unit, not just reading it: a user with an office grant on
  // V2 and a mediator grant on the town committee TC reads the whole town, and keeps the ledgers of V2 only.
  const MIXED_WRITES: { route: string; body: (unit: string) => unknown; url?: string; expect: Record<'V2' | 'JK' | 'V1', number> }[] = [
    {
      route: 'POST /api/office/ledgers',
      body: (unit) => ({ orgUnitId: unit, date: '2024-03-01', entry: { kind: 'disclosure', count: 99_999 } }),
      expect: { V2: 201, JK: 403, V1: 403 },
    },
    { route: 'POST /api/office/periods/close', body: (unit) => ({ orgUnitId: unit, year: 2024, month: 11 }), expect: { V2: 201, JK: 403, V1: 403 } },
    {
      route: 'POST /api/office/ledgers/:subjectId/void',
      url: '/api/office/ledgers/0193a000-0000-7000-8000-0000000000ff/void',
      body: (unit) => ({ orgUnitId: unit, reason: '核对' }),
      expect: { V2: 404, JK: 403, V1: 403 },
    },
  ];
  test.each(MIXED_WRITES.map((r) => [r.route, r] as const))('%s needs the office grant over the unit (office on V2 + mediator on TC)', async (route, rule) => {
    const username = unique('mixed');
    const created = await t.json('POST', '/api/admin/users', {
      token: town.tokens.admin,
      body: {
        username,
        password: PASSWORD,
        displayName: '兼任',
        roles: [
          { role: 'office', orgUnitId: 'V2' },
          { role: 'mediator', orgUnitId: 'TC' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const token = (await t.json<{ token: string }>('POST', '/api/auth/login', { body: { username, password: PASSWORD } })).body.token;
    expect((await t.json('GET', '/api/office/ledgers?year=2024&orgUnitId=JK', { token })).status).toBe(200);
    const actual: Record<string, number> = {};
    for (const unit of ['V2', 'JK', 'V1'] as const) {
      const res = await t.json('POST', rule.url ?? route.split(' ')[1]!, { token, body: rule.body(unit) });
      actual[unit] = res.status;
    }
    expect(actual).toEqual(rule.expect);
    const ledgers = await t.json<{ items: { orgUnitId: string; entry: { count?: number } }[] }>('GET', '/api/office/ledgers?year=2024&orgUnitId=JK', {
      token: town.tokens.admin,
    });
    // The forged figure reached no unit outside the office grant.
    expect(ledgers.body.items.filter((i) => i.entry.count === 99_999 && i.orgUnitId !== 'V2')).toEqual([]);
  });

  test('teardown', async () => {
    await t.dispose();
  });
});
