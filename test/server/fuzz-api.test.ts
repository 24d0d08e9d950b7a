// Fuzzing every endpoint that takes input (fast-check): malformed JSON, wrong types, huge
// strings, unicode, prototype-pollution keys, SQL metacharacters. A client's mistake is
// always a 4xx with {error:{code, message}}, never a 5xx; a refused request leaves every
// table of the database exactly as it was; hostile text that is accepted is stored as is.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { PASSWORD, seedTownship, type Township } from './access-fixtures.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

/** Counts every request by design (the shared rate limits, migration 501): not the database's content. */
const REQUEST_COUNTERS = 'rate_hits';

/** A hash of every row of every table but the request counters, read straight from the database. */
async function databaseFingerprint(t: TestApp): Promise<string> {
  const hash = createHash('sha256');
  if (t.store.kind === 'sqlite') {
    const db = new Database(path.join(t.dataDir, 'taizhang.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
      for (const table of tables.filter((name) => name !== REQUEST_COUNTERS))
        hash.update(
          `${table}:${JSON.stringify(
            db
              .prepare(`SELECT * FROM "${table}"`)
              .all()
              .map((r) => JSON.stringify(r))
              .sort(),
          )}`,
        );
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: t.databaseUrl, options: `-c search_path=${t.schema}` });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
        [t.schema],
      );
      for (const { table_name } of rows.filter((r) => r.table_name !== REQUEST_COUNTERS)) {
        const data = await client.query(`SELECT * FROM "${table_name}"`);
        hash.update(`${table_name}:${JSON.stringify(data.rows.map((r) => JSON.stringify(r)).sort())}`);
      }
    } finally {
      await client.end();
    }
  }
  return hash.digest('hex');
}

const SQL_AND_FRIENDS = [
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  "%' OR '1'='1",
  "Robert'); DELETE FROM org_units; --",
  '\u0000',
  'a\u0000b',
  '${7*7}',
  '<script>alert(1)</script>',
  '𠀀𠀁🎉👨‍👩‍👧',
  '\u202eevil',
  '\uFEFF',
  '\\',
  '%00',
  '../../etc/passwd',
];
const hostileText = fc.oneof(
  fc.constantFrom(...SQL_AND_FRIENDS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.constantFrom(...SQL_AND_FRIENDS), fc.string({ maxLength: 10 })).map(([a, b]) => a + b),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);
const hugeText = fc.integer({ min: 300, max: 300_000 }).map((n) => '长'.repeat(n));
const malformedJson = fc.oneof(
  fc.constantFrom('', '{', '{"a":', '}', '[]', '[{}]', 'null', 'true', '1', '"s"', '{"a":1}}', "{'a':1}", '{"a":01}', '{"a":NaN}', '{a:1}', '{"a":"\\x"}'),
  fc.string({ maxLength: 60 }).filter((s) => {
    try {
      const v: unknown = JSON.parse(s);
      return typeof v !== 'object' || v === null || Array.isArray(v);
    } catch {
      return true;
    }
  }),
);
const pollutionKey = fc.constantFrom('__proto__', 'constructor', 'prototype');

interface BodyEndpoint {
  method: string;
  url: (town: Township) => string;
  /** A valid body; mutations of `mutable` keys make it invalid. */
  template: Record<string, unknown>;
  mutable: string[];
  /** Whether deleting a key is a mistake (PATCH bodies are all optional). */
  required: boolean;
}

const ENDPOINTS: BodyEndpoint[] = [
  { method: 'POST', url: () => '/api/auth/login', template: { username: 'gw1', password: PASSWORD }, mutable: ['username', 'password'], required: true },
  {
    method: 'POST',
    url: () => '/api/admin/org-units',
    template: { parentId: 'V1', kind: 'grid', name: '模糊网格' },
    mutable: ['kind', 'name'],
    required: true,
  },
  { method: 'PATCH', url: () => '/api/admin/org-units/G2', template: { name: '改名' }, mutable: ['name'], required: false },
  {
    method: 'POST',
    url: () => '/api/admin/org-units/import',
    template: { csv: '编号,上级编号,类型,名称,简称\nfz-1,V1,网格,模糊,' },
    mutable: ['csv'],
    required: true,
  },
  {
    method: 'POST',
    url: () => '/api/admin/users',
    template: { username: 'fuzzer', password: PASSWORD, displayName: '模糊', roles: [{ role: 'office', orgUnitId: 'JK' }] },
    mutable: ['username', 'password', 'displayName', 'roles'],
    required: true,
  },
  {
    method: 'PATCH',
    url: (town) => `/api/admin/users/${town.userIds.gw3}`,
    template: { displayName: '改名', disabled: false },
    mutable: ['displayName', 'disabled'],
    required: false,
  },
  {
    method: 'POST',
    url: (town) => `/api/admin/users/${town.userIds.gw3}/password`,
    template: { password: 'another-pass-1' },
    mutable: ['password'],
    required: true,
  },
  {
    method: 'POST',
    url: () => '/api/audit/reveal',
    template: { subjectId: '0193a000-0000-7000-8000-00000000abcd', party: 0, reason: 'other', note: '核实情况' },
    mutable: ['subjectId', 'party', 'reason', 'note'],
    required: true,
  },
];

/** Bodies that are wrong for the endpoint, as raw text with a content type. */
function invalidBodies(e: BodyEndpoint): fc.Arbitrary<{ text: string; type: string; what: string }> {
  const json = (value: unknown) => JSON.stringify(value);
  const withKey = (key: string, value: unknown) => json({ ...e.template, [key]: value });
  const arbs: fc.Arbitrary<{ text: string; type: string; what: string }>[] = [
    malformedJson.map((text) => ({ text, type: 'application/json', what: 'malformed' })),
    fc
      .tuple(fc.constantFrom(...e.mutable), wrongType)
      .filter(([k, v]) => typeof v !== typeof e.template[k])
      .map(([k, v]) => ({ text: withKey(k, v), type: 'application/json', what: `wrong type of ${k}` })),
    fc.tuple(fc.constantFrom(...e.mutable), hugeText).map(([k, v]) => ({ text: withKey(k, v), type: 'application/json', what: `huge ${k}` })),
    fc.tuple(pollutionKey, fc.boolean()).map(([k, nested]) => {
      const inner = `"${k}":{"polluted":true}`;
      const base = json(e.template);
      const text = nested ? base.replace(/^\{/, `{"x":{${inner}},`) : base.replace(/^\{/, `{${inner},`);
      return { text, type: 'application/json', what: `${k} key` };
    }),
    fc
      .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', '', 'application/jsonx')
      .map((type) => ({ text: json(e.template), type, what: `content-type ${type}` })),
  ];
  if (e.required)
    arbs.push(fc.constantFrom(...e.mutable).map((k) => ({ text: json({ ...e.template, [k]: undefined }), type: 'application/json', what: `missing ${k}` })));
  return fc.oneof(...arbs);
}

describe.each(storeCases())('fuzzing the API on $name', (storeCase) => {
  let t: TestApp;
  let town: Township;
  let ip = 0;
  // Distinct client addresses, so that the login and API rate limits do not turn a 400 into a 429.
  const send = (method: string, url: string, init: { token?: string; text?: string; type?: string } = {}) => {
    const headers: Record<string, string> = { 'x-forwarded-for': `10.9.${(++ip >> 8) & 255}.${ip & 255}` };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.type) headers['content-type'] = init.type;
    return t.app.request(url, { method, headers, ...(init.text !== undefined ? { body: init.text } : {}) });
  };
  const expectClientError = async (res: Response, what: string) => {
    const text = await res.text();
    expect(res.status, `${what}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
    const body = JSON.parse(text) as { error: { code: unknown; message: unknown } };
    expect(typeof body.error.code, what).toBe('string');
    expect(typeof body.error.message, what).toBe('string');
  };

  test('setup', async () => {
    t = await openTestApp(storeCase, { trustProxy: true });
    town = await seedTownship(t);
  });

  test.each(ENDPOINTS.map((e) => [`${e.method} ${e.url({ userIds: { gw3: ':id' } } as unknown as Township)}`, e] as const))(
    'invalid bodies for %s → 4xx with a code, database unchanged',
    async (_name, e) => {
      await fc.assert(
        fc.asyncProperty(invalidBodies(e), async ({ text, type, what }) => {
          const before = await databaseFingerprint(t);
          const res = await send(e.method, e.url(town), { token: town.tokens.admin, text, type });
          await expectClientError(res, what);
          expect(await databaseFingerprint(t), `${what} changed the database`).toBe(before);
        }),
        { numRuns: RUNS },
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  test('hostile usernames and passwords at login: 401 (or 400), never 5xx, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (username, password) => {
        const before = await databaseFingerprint(t);
        const res = await send('POST', '/api/auth/login', { text: JSON.stringify({ username, password }), type: 'application/json' });
        await expectClientError(res, JSON.stringify({ username, password }));
        expect(await databaseFingerprint(t)).toBe(before);
      }),
      { numRuns: 15 },
    );
  });

  test('hostile but valid names are stored exactly as sent (no SQL injection, no mangling)', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (name) => {
        const res = await send('POST', '/api/admin/org-units', {
          token: town.tokens.admin,
          text: JSON.stringify({ parentId: 'V2', kind: 'grid', name }),
          type: 'application/json',
        });
        if (res.status >= 400) return expectClientError(res, JSON.stringify(name));
        expect(res.status).toBe(201);
        const made = (await res.json()) as { id: string };
        const stored = (await t.store.listOrgUnits()).find((u) => u.id === made.id);
        expect(stored?.name).toBe(name.trim());
      }),
      { numRuns: RUNS },
    );
    expect((await t.store.listUsers()).length).toBeGreaterThan(5);
    expect((await t.store.listOrgUnits()).some((u) => u.id === 'JK')).toBe(true);
  });

  test('random CSV sheets: 4xx with row errors or 201, never 5xx; a refused sheet writes nothing', async () => {
    const cell = fc.oneof(hostileText, fc.constantFrom('村', '网格', '镇', 'V1', 'JK', ''));
    const sheet = fc
      .array(fc.array(cell, { minLength: 0, maxLength: 7 }), { maxLength: 6 })
      .map((rows) => ['编号,上级编号,类型,名称,简称', ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(sheet, hostileText), async (csv) => {
        const before = await databaseFingerprint(t);
        const res = await send('POST', '/api/admin/org-units/import', { token: town.tokens.admin, text: csv, type: 'text/csv' });
        if (res.status === 201) return;
        await expectClientError(res, csv);
        expect(await databaseFingerprint(t)).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  test('random bytes as a CSV or an .xlsx workbook → 4xx, database unchanged', async () => {
    const zipLike = fc.uint8Array({ maxLength: 400 }).map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b]));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 400 }), zipLike),
        fc.constantFrom('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
        async (bytes, type) => {
          const before = await databaseFingerprint(t);
          const res = await t.app.request('/api/admin/org-units/import', {
            method: 'POST',
            headers: { authorization: `Bearer ${town.tokens.admin}`, 'content-type': type, 'x-forwarded-for': `10.8.0.${++ip & 255}` },
            body: bytes,
          });
          await expectClientError(res, `${type} ${bytes.length} bytes`);
          expect(await databaseFingerprint(t)).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('hostile path parameters → 4xx, database unchanged', async () => {
    const segment = hostileText.map((s) => encodeURIComponent(s || 'x'));
    await fc.assert(
      fc.asyncProperty(segment, fc.constantFrom('PATCH org', 'PATCH user', 'POST password', 'DELETE device'), async (id, which) => {
        const before = await databaseFingerprint(t);
        const [method, url, body] = {
          'PATCH org': ['PATCH', `/api/admin/org-units/${id}`, { name: '新名字' }],
          'PATCH user': ['PATCH', `/api/admin/users/${id}`, { displayName: '新名字' }],
          'POST password': ['POST', `/api/admin/users/${id}/password`, { password: 'another-pass-2' }],
          'DELETE device': ['DELETE', `/api/admin/devices/${id}`, undefined],
        }[which] as [string, string, unknown];
        const res = await send(method, url, { token: town.tokens.admin, ...(body ? { text: JSON.stringify(body), type: 'application/json' } : {}) });
        await expectClientError(res, `${which} ${id}`);
        expect(await databaseFingerprint(t)).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  test('hostile query strings on every GET that reads parameters → never 5xx, errors well-formed', async () => {
    const value = fc.oneof(hostileText, fc.integer().map(String), fc.constantFrom('-1', '1e9', '0x10', '2024-02-30', '9999999999999999999', ''));
    const urls = [
      (v: string) => `/api/admin/audit?limit=${v}`,
      (v: string) => `/api/admin/audit?from=${v}&to=${v}&action=${v}&actorId=${v}&before=${v}`,
      (v: string) => `/api/admin/devices?userId=${v}`,
      (v: string) => `/api/admin/audit.csv?from=${v}`,
      (v: string) => `/api/sync/pull?cursor=${v}&limit=${v}`,
      (v: string) => `/api/stats/summary?year=${v}&orgUnitId=${v}`,
      (v: string) => `/api/reports/annual?year=${v}&orgUnitId=${v}&format=${v}`,
    ];
    await fc.assert(
      fc.asyncProperty(
        value,
        fc.constantFrom(...urls.keys()),
        fc.constantFrom('admin', 'office', 'gw1') as fc.Arbitrary<'admin' | 'office' | 'gw1'>,
        async (v, i, who) => {
          const res = await send('GET', urls[i]!(encodeURIComponent(v)), { token: town.tokens[who] });
          expect(res.status, `${urls[i]!(v)} as ${who}`).toBeLessThan(500);
          if (res.status >= 400) await expectClientError(res, urls[i]!(v));
          else await res.arrayBuffer();
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  test('push bodies of any shape → never 5xx; a 200 answers every event', async () => {
    const eventish = fc.oneof(
      fc.jsonValue(),
      fc.record({
        id: hostileText,
        type: fc.constantFrom('case.opened', 'sweep.recorded', 'case.numbered', '__proto__'),
        orgUnitId: fc.constantFrom('G1', 'OG', "'; DROP TABLE events; --"),
        data: fc.jsonValue(),
      }),
    );
    // Well-formed events whose free text is hostile: they must be applied or refused one by one.
    const textEvent = fc.tuple(hostileText, hostileText, fc.constantFrom('G1', 'G2')).map(([summary, name, orgUnitId]) => ({
      id: crypto.randomUUID(),
      type: 'case.opened',
      subjectId: crypto.randomUUID(),
      orgUnitId,
      occurredAt: '2024-05-01T10:00:00+08:00',
      recordedAt: '2024-05-01T10:00:00+08:00',
      deviceId: 'fuzz',
      deviceSeq: 1,
      data: { disputeType: '02', source: 'application', summary: `纠纷${summary}`, parties: [{ role: 'applicant', name: `张${name}` }] },
    }));
    const body = fc.oneof(
      fc.array(textEvent, { minLength: 1, maxLength: 3 }).map((events) => ({ text: JSON.stringify({ deviceId: 'fuzz', events }), type: 'application/json' })),
      malformedJson.map((text) => ({ text, type: 'application/json' })),
      fc
        .record({ deviceId: fc.oneof(hostileText, wrongType), events: fc.oneof(fc.array(eventish, { maxLength: 5 }), wrongType) })
        .map((b) => ({ text: JSON.stringify(b), type: 'application/json' })),
      pollutionKey.map((k) => ({ text: `{"deviceId":"d","events":[],"${k}":{"polluted":1}}`, type: 'application/json' })),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('admin', 'gw1', 'office') as fc.Arbitrary<'admin' | 'gw1' | 'office'>, async ({ text, type }, who) => {
        const res = await send('POST', '/api/sync/push', { token: town.tokens[who], text, type });
        expect(res.status, text.slice(0, 200)).toBeLessThan(500);
        if (res.status >= 400) return expectClientError(res, text.slice(0, 200));
        const answer = (await res.json()) as { results: { status: string }[] };
        const sent = (JSON.parse(text) as { events: unknown[] }).events;
        expect(answer.results).toHaveLength(sent.length);
      }),
      { numRuns: RUNS },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('teardown', async () => {
    await t.dispose();
  });
});
