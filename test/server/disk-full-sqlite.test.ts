// A full disk for real on SQLite: DATA_DIR (the database, its WAL and the photo files) on a
// 16 MB tmpfs, filled to the last byte. Then writes answer 507 storage_full in Chinese, pulls
// and logins still answer, a photo upload that cannot be placed leaves no file behind, and
// nothing acknowledged is lost; once space is freed the same pushes and uploads go through and
// the database passes PRAGMA integrity_check. Needs root for the mount: elsewhere the suite
// prints why and skips.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import type { StoreCase } from './support/stores.ts';
import { caseOpened, G1, outreach, PASSWORD, pullAll, push, seedTownship, type Township } from './support/sync-fixtures.ts';
import { mountTmpfs, tmpfsRefusal, type Tmpfs } from './support/tmpfs.ts';

const refusal = tmpfsRefusal();
if (refusal) console.log(`disk-full on SQLite skipped: ${refusal}`);

/** A JPEG by its signature, `size` bytes of noise after it (nothing compresses it away). */
function photo(size: number): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size)]);
}
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Failure {
  error: { code: string; message: string };
}

describe.skipIf(refusal !== undefined)('a full disk under SQLite (16 MB tmpfs)', () => {
  let fs: Tmpfs;
  let t: TestApp;
  let town: Township;
  /** Every event a push answered applied or duplicate for. */
  const acknowledged = new Set<string>();
  /** Events a push was refused for: the phone keeps them and offers them again. */
  const refused: DomainEvent[] = [];

  const offer = async (events: DomainEvent[]) => {
    const r = await push(t, town.tokens.grid1!, events);
    if (r.status === 200) for (const x of r.body.results) if (x.status === 'applied' || x.status === 'duplicate') acknowledged.add(x.id);
    return r;
  };
  const upload = (bytes: Uint8Array) =>
    t.request('PUT', `/api/attachments/${sha(bytes)}`, { token: town.tokens.grid1!, body: bytes, headers: { 'content-type': 'image/jpeg' } });
  const attachmentsOnDisk = () => readdirSync(path.join(fs.dir, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

  beforeAll(async () => {
    fs = mountTmpfs(16);
    const onTmpfs: StoreCase = {
      name: 'sqlite',
      async open() {
        const store = openSqliteStore(fs.dir);
        return { store, dataDir: fs.dir, databaseUrl: undefined, schema: undefined, dispose: () => store.close() };
      },
    };
    t = await openTestApp(onTmpfs);
    town = await seedTownship(t);
    for (let day = 1; day <= 5; day++) expect((await offer([caseOpened(G1, `2024-03-0${day}T09:00:00+08:00`)])).status).toBe(200);
  });
  afterAll(async () => {
    try {
      await t?.dispose();
    } finally {
      fs?.unmount();
    }
  });

  it('answers pushes 507 storage_full in Chinese once the disk is full, and loses nothing it acknowledged', async () => {
    fs.fill();
    expect(fs.available()).toBe(0);
    // SQLite may still place a batch or two in free pages of its file and WAL: those are acknowledged, then it is full.
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

  it('keeps pulls answering on the full disk, and refuses a login it cannot record as a full disk', async () => {
    expect(fs.available()).toBe(0);
    const r = await t.json<{ events: unknown[] }>('GET', '/api/sync/pull?cursor=0&deviceId=dev-grid1', { token: town.tokens.grid1! });
    expect(r.status).toBe(200);
    expect(r.body.events.length).toBeGreaterThan(0);
    expect((await pullAll(t, town.tokens.office!)).events.length).toBe(r.body.events.length);
    // A new session is a row that must be written, and so is a failed guess (else guessing would be
    // free while the disk is full): with not a byte left both are refused as a full disk, never a 500.
    const full = { status: 507, body: { error: { code: 'storage_full', message: expect.stringMatching(/存储空间已满/) } } };
    const login = (password: string) => t.json('POST', '/api/auth/login', { body: { username: 'mediator1', password, deviceId: 'phone-on-full-disk' } });
    expect(await login(PASSWORD)).toEqual(full);
    expect(await login('not-the-password')).toEqual(full);
  });

  it('answers an upload 507 and leaves no file of it behind, whether the file or its row did not fit', async () => {
    const before = attachmentsOnDisk().length;
    const big = await upload(photo(256 * 1024));
    expect(big.status).toBe(507);
    expect(await big.json()).toEqual({ error: { code: 'storage_full', message: expect.stringMatching(/存储空间已满/) } });
    expect(attachmentsOnDisk().length).toBe(before);
    // Room for the photo's 15 pages and a few more, one page more each time: at some point the
    // file is placed and the database cannot record it (then the file must go too), until both fit.
    let stored = false;
    for (let extra = 0; extra <= 12 && !stored; extra++) {
      fs.free();
      fs.fill((15 + extra) * 4096);
      const r = await upload(photo(15 * 4096 - 4));
      stored = r.status === 201;
      if (!stored) {
        expect(r.status).toBe(507);
        expect(attachmentsOnDisk().length).toBe(before);
      }
    }
    expect(stored).toBe(true);
    fs.fill();
  });

  it('takes the refused pushes and uploads once space is freed, with an intact database', async () => {
    fs.free();
    const again = await offer(refused);
    expect(again.status).toBe(200);
    expect(again.body.results.every((x) => x.status === 'applied')).toBe(true);
    expect((await upload(photo(64 * 1024))).status).toBe(201);
    const login = await t.json<{ token: string }>('POST', '/api/auth/login', {
      body: { username: 'mediator1', password: PASSWORD, deviceId: 'phone-on-full-disk' },
    });
    expect(login.status).toBe(200);
    expect((await pullAll(t, login.body.token)).events.length).toBeGreaterThan(0);
    const { events } = await pullAll(t, town.tokens.office!);
    const held = new Set(events.map((e) => e.id));
    expect([...acknowledged].filter((id) => !held.has(id))).toEqual([]);
    const db = new Database(path.join(fs.dir, 'taizhang.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
