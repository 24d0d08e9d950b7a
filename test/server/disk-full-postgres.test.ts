// A full disk for real on PostgreSQL: a throw-away database whose tablespace lies on a 32 MB
// tmpfs, filled to the last byte. A push that makes a table or index grow hits "could not
// extend file" (SQLSTATE 53100) and answers 507 storage_full in Chinese; pulls and logins keep
// answering, a photo upload answers 507 and leaves no blob, and nothing acknowledged is lost;
// once space is freed the refused push goes through. The
// WAL stays on the server's own disk, as in a deployment where only the data volume fills.
// Needs DATABASE_URL, a server on this machine and root for the mount: otherwise the suite
// prints why and skips. The database, the tablespace and the mount go in afterAll whatever
// happened.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import type { StoreCase } from './support/stores.ts';
import { caseOpened, G1, outreach, PASSWORD, pullAll, push, seedTownship, type Township } from './support/sync-fixtures.ts';
import { mountTmpfs, tmpfsRefusal, type Tmpfs } from './support/tmpfs.ts';

const databaseUrl = process.env.DATABASE_URL || undefined;

/** Why this suite cannot run here, or undefined. */
function refusal(): string | undefined {
  if (!databaseUrl) return 'DATABASE_URL is not set';
  const host = new URL(databaseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
    return `the tablespace directory must be on the database's machine, and ${host} is not this one`;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' });
  } catch {
    return 'there is no postgres OS user to own the tablespace directory';
  }
  return tmpfsRefusal();
}

const why = refusal();
if (why) console.log(`disk-full on PostgreSQL skipped: ${why}`);

const osId = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres']).toString().trim());

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

interface Failure {
  error: { code: string; message: string };
}

describe.skipIf(why !== undefined)('a full disk under PostgreSQL (a tablespace on a 32 MB tmpfs)', () => {
  const name = `faults_full_${Math.random().toString(36).slice(2, 10)}`;
  let fs: Tmpfs | undefined;
  let made = { tablespace: false, database: false };
  let t: TestApp;
  let town: Township;
  const acknowledged = new Set<string>();
  const refused: DomainEvent[] = [];

  const offer = async (events: DomainEvent[]) => {
    const r = await push(t, town.tokens.grid1!, events);
    if (r.status === 200) for (const x of r.body.results) if (x.status === 'applied' || x.status === 'duplicate') acknowledged.add(x.id);
    return r;
  };

  beforeAll(async () => {
    fs = mountTmpfs(32);
    // The server's own OS user must own the directory; it must be empty, hence a subdirectory of the mount.
    const location = path.join(fs.dir, 'pg');
    mkdirSync(location);
    chownSync(location, osId('-u'), osId('-g'));
    await onServer(async (c) => {
      await c.query(`CREATE TABLESPACE ${name} LOCATION '${location}'`);
      made.tablespace = true;
      await c.query(`CREATE DATABASE ${name} TABLESPACE ${name}`);
      made.database = true;
    });
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    const onTablespace: StoreCase = {
      name: 'postgres',
      async open() {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-test-'));
        const store = await openPostgresStore(url.toString(), { dataDir });
        return {
          store,
          dataDir,
          databaseUrl: url.toString(),
          schema: undefined,
          async dispose() {
            await store.close();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    };
    t = await openTestApp(onTablespace);
    town = await seedTownship(t);
    for (let day = 1; day <= 5; day++) expect((await offer([caseOpened(G1, `2024-03-0${day}T09:00:00+08:00`)])).status).toBe(200);
  });
  afterAll(async () => {
    try {
      await t?.dispose();
      await onServer(async (c) => {
        if (made.database) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        if (made.tablespace) await c.query(`DROP TABLESPACE IF EXISTS ${name}`);
      });
      made = { tablespace: false, database: false };
    } finally {
      fs?.unmount();
    }
  });

  it('answers a push that cannot extend a table 507 storage_full in Chinese, and loses nothing it acknowledged', async () => {
    fs!.fill();
    expect(fs!.available()).toBe(0);
    // Free room in pages already there takes a batch or two: those are acknowledged, then a table must grow.
    let last: Awaited<ReturnType<typeof offer>> | undefined;
    for (let i = 0; i < 200; i++) {
      const batch = Array.from({ length: 50 }, (_, k) => outreach(G1, '2024-03-10T09:00:00+08:00', 100 + k, { title: `宣讲${i}-${k}`.repeat(20) }));
      last = await offer(batch);
      if (last.status !== 200) {
        refused.push(...batch);
        break;
      }
    }
    expect(last!.status).toBe(507);
    expect(last!.body as unknown as Failure).toEqual({ error: { code: 'storage_full', message: expect.stringMatching(/存储空间已满/) } });
    const { events } = await pullAll(t, town.tokens.office!);
    const held = new Set(events.map((e) => e.id));
    expect([...acknowledged].filter((id) => !held.has(id))).toEqual([]);
    expect(refused.filter((e) => held.has(e.id))).toEqual([]);
  });

  it('keeps pulls and logins answering on the full tablespace', async () => {
    const r = await t.json<{ events: unknown[] }>('GET', '/api/sync/pull?cursor=0&deviceId=dev-grid1', { token: town.tokens.grid1! });
    expect(r.status).toBe(200);
    expect(r.body.events.length).toBe(acknowledged.size + 5);
    // A login's rows (its session, its audit line, a wrong password's count) fit in pages that have room: no file must grow.
    const login = (password: string) =>
      t.json<{ token?: string }>('POST', '/api/auth/login', { body: { username: 'mediator1', password, deviceId: 'phone-on-full-disk' } });
    const wrong = await login('not-the-password');
    expect(wrong).toEqual({ status: 401, body: { error: { code: 'invalid_credentials', message: '用户名或密码不对' } } });
    const right = await login(PASSWORD);
    expect(right.status).toBe(200);
    expect((await pullAll(t, right.body.token!)).events.length).toBe(acknowledged.size + 5);
  });

  it('answers a photo upload 507 and keeps no trace of it', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(256 * 1024)]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const r = await t.request('PUT', `/api/attachments/${sha}`, { token: town.tokens.grid1!, body: bytes, headers: { 'content-type': 'image/jpeg' } });
    expect(r.status).toBe(507);
    expect(await r.json()).toEqual({ error: { code: 'storage_full', message: expect.stringMatching(/存储空间已满/) } });
    expect(await t.store.hasAttachment(sha)).toBe(false);
  });

  it('takes the refused push once space is freed', async () => {
    fs!.free();
    const again = await offer(refused);
    expect(again.status).toBe(200);
    expect(again.body.results.every((x) => x.status === 'applied')).toBe(true);
    const { events } = await pullAll(t, town.tokens.office!);
    const held = new Set(events.map((e) => e.id));
    expect([...acknowledged].filter((id) => !held.has(id))).toEqual([]);
  });
});
