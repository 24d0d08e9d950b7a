// A restore into a running system, as an operator does it, on each store: a real server process,
// two phones (the app's own sync run and IndexedDB storage, in fake-indexeddb) push and are
// acknowledged, `npm run backup` runs while the server serves, more pushes are acknowledged,
// then the server is stopped, `npm run restore` puts the backup in place (on PostgreSQL into a
// new empty database), and the server starts again on it. The phones' next sync finds a new
// generation of the log: every event either phone holds is back on the server, once, and both
// phones hold every event again with their cursors at the log's end.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import * as storage from '../../src/app/storage/index.ts';
import { restoreBackup } from '../../src/server/backup/restore.ts';
import type { RunReport } from '../../src/app/sync/sender.ts';
import { asPhone, closePhones, heldBy, loginPhone, recordSweeps, syncPhone, type Phone } from './support/phones.ts';
import { ADMIN_PASSWORD, call, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { storeCases } from './support/stores.ts';
import { sweep } from './support/sync-fixtures.ts';

const run = promisify(execFile);
const G1 = 'jk-v1-g1';

/** A fresh PostgreSQL database (restores need whole databases, not schemas), dropped at the end. */
async function freshDatabase(base: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** `npm run backup` / `npm run restore` as an operator runs them. */
async function script(name: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { env: { ...process.env, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await closePhones();
  for (const c of cleanups.reverse()) await c();
});

describe.each(storeCases().map((c) => c.name))('backup and restore on %s', (kind) => {
  it('a restore loses nothing any phone still holds, doubles nothing, and leaves cursors at the end', async () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-restore-'));
    const backups = mkdtempSync(path.join(tmpdir(), 'taizhang-backups-'));
    cleanups.push(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(backups, { recursive: true, force: true });
    });
    const base = process.env.DATABASE_URL;
    let env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: '' };
    let restoredEnv = env;
    if (kind === 'postgres' && base) {
      const live = await freshDatabase(base, `tz_restore_live_${tag}`);
      const restored = await freshDatabase(base, `tz_restore_new_${tag}`);
      cleanups.push(live.drop, restored.drop);
      env = { DATA_DIR: dataDir, DATABASE_URL: live.url };
      restoredEnv = { DATA_DIR: dataDir, DATABASE_URL: restored.url };
    }

    let server: ServerProcess = await startServerProcess(env);
    cleanups.push(() => server.dispose());
    const admin = await call<{ token: string }>(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    for (const u of [
      { id: 'jk', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
      { id: 'jk-v1', parentId: 'jk', kind: 'village', name: '红星村' },
      { id: G1, parentId: 'jk-v1', kind: 'grid', name: '第一网格' },
    ]) {
      expect((await call(`${server.url}/api/admin/org-units`, 'POST', admin.body.token, u)).status).toBe(201);
    }

    const phones: Phone[] = [await loginPhone(server.url, 'admin', ADMIN_PASSWORD), await loginPhone(server.url, 'admin', ADMIN_PASSWORD)];
    const record = (phone: Phone, n: number) => recordSweeps(phone, G1, n);
    // A photo, as the outreach form saves it: the bytes beside the event, uploaded before it.
    const photo = new Uint8Array(3000).map((_, i) => (i * 37) & 0xff);
    photo.set([0xff, 0xd8, 0xff, 0xe0], 0);
    const photoSha = createHash('sha256').update(photo).digest('hex');
    const recordOutreach = (phone: Phone) =>
      asPhone(phone, async () => {
        const [event] = await storage.recordEvents(
          [
            {
              type: 'outreach.recorded',
              subjectId: crypto.randomUUID(),
              orgUnitId: G1,
              occurredAt: '2024-06-20T09:00:00+08:00',
              data: { title: '民法典进村宣讲', form: 'lecture', audience: 80, photos: [{ sha256: photoSha, mime: 'image/jpeg', size: photo.length }] },
            },
          ],
          {
            blobs: [
              {
                sha256: photoSha,
                blob: new Blob([photo]),
                mime: 'image/jpeg',
                size: photo.length,
                width: 1,
                height: 1,
                uploaded: false,
                createdAt: Date.now(),
              },
            ],
          },
        );
        return event!.id;
      });
    const photoStatus = async () =>
      (await fetch(`${server.url}/api/attachments/${photoSha}`, { headers: { authorization: `Bearer ${admin.body.token}` } })).status;
    const sync = (phone: Phone): Promise<RunReport> => syncPhone(phone, server.url);
    const syncAll = async () => {
      const reports: RunReport[] = [];
      // Twice round: the second run of each brings it what the other pushed after its own pull.
      for (let round = 0; round < 2; round++) for (const p of phones) reports.push(await sync(p));
      for (const r of reports) expect(r.failure).toBeUndefined();
      return reports;
    };
    const held = heldBy;
    const serverIds = async () => {
      const ids: string[] = [];
      let cursor = 0;
      for (;;) {
        const r = await call<{ events: { id: string }[]; cursor: number; hasMore: boolean }>(
          `${server.url}/api/sync/pull?cursor=${cursor}&limit=1000`,
          'GET',
          admin.body.token,
        );
        expect(r.status).toBe(200);
        ids.push(...r.body.events.map((e) => e.id));
        cursor = r.body.cursor;
        if (!r.body.hasMore) return { ids, cursor };
      }
    };

    const beforeBackup = [...(await record(phones[0]!, 3)), ...(await record(phones[1]!, 2))];
    await syncAll();

    const backup = await script('backup', [backups], env);
    expect(backup.code, backup.out).toBe(0);
    expect(readdirSync(backups)).toHaveLength(1);
    const backupDir = path.join(backups, readdirSync(backups)[0]!);

    // Acknowledged after the backup: gone from the server once it is restored, held by the phones.
    const afterBackup = [...(await record(phones[0]!, 2)), await recordOutreach(phones[0]!), ...(await record(phones[1]!, 3))];
    await syncAll();
    expect(await photoStatus()).toBe(200);
    const everything = [...beforeBackup, ...afterBackup].sort();
    for (const p of phones) expect((await held(p)).outbox).toEqual({ pending: 0, rejected: 0 });
    expect((await serverIds()).ids.sort()).toEqual(everything);

    if (kind === 'sqlite') {
      // The server still has the file open: the restore refuses and changes nothing.
      const refused = await script('restore', [backupDir], env);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('请先停止服务器');
      expect((await serverIds()).ids.sort()).toEqual(everything);
    }

    if (kind === 'postgres') {
      // Into the database in use: refused, it is not empty (the procedure restores into a new one).
      const refused = await script('restore', [backupDir], env);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('目标数据库不是空的');
    }
    server.child.kill('SIGTERM');
    await server.exited;
    const restore = await script('restore', [backupDir], restoredEnv);
    expect(restore.code, restore.out).toBe(0);
    server = await startServerProcess(restoredEnv);
    cleanups.push(() => server.dispose());
    expect((await serverIds()).ids.sort()).toEqual([...beforeBackup].sort());
    expect(await photoStatus()).toBe(404);
    const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as { generation: string; lastSeq: number };
    expect(manifest.lastSeq).toBe(beforeBackup.length);
    const generationNow = async () =>
      (await call<{ generation: string }>(`${server.url}/api/sync/pull?cursor=0&limit=1`, 'GET', admin.body.token)).body.generation;
    const restoredGeneration = await generationNow();
    expect(restoredGeneration).toMatch(/^[0-9a-f]{32}$/);
    expect(restoredGeneration).not.toBe(manifest.generation);

    const reports = await syncAll();
    expect(reports.slice(0, 2).map((r) => r.startedOver)).toEqual([true, true]);
    expect(reports.slice(2).map((r) => r.startedOver)).toEqual([false, false]);
    const { ids, cursor } = await serverIds();
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.sort()).toEqual(everything);
    // Its upload was lost with the rest: the phone sent it again before its event.
    expect(await photoStatus()).toBe(200);
    for (const p of phones) {
      const h = await held(p);
      expect(h.events).toEqual(everything);
      expect(h.outbox).toEqual({ pending: 0, rejected: 0 });
      expect(h.cursor).toBe(cursor);
    }

    // A promoted replica: the same log under a new generation. Phones offer everything again, the server has it all.
    const failover = await script('restore', ['--new-generation', 'failover'], restoredEnv);
    expect(failover.code, failover.out).toBe(0);
    expect(await generationNow()).not.toBe(restoredGeneration);
    const again = await syncAll();
    expect(again.slice(0, 2).map((r) => [r.startedOver, r.reoffered])).toEqual([
      [true, 6],
      [true, 5],
    ]);
    expect((await serverIds()).ids.sort()).toEqual(everything);
    for (const p of phones) expect(await held(p)).toMatchObject({ events: everything, outbox: { pending: 0, rejected: 0 }, cursor });
  }, 180_000);
});

describe('a SQLite backup taken while pushes commit', () => {
  it('completes, passes integrity_check and holds whole batches only, with projections that agree', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-backup-busy-'));
    const backups = mkdtempSync(path.join(tmpdir(), 'taizhang-backups-'));
    cleanups.push(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(backups, { recursive: true, force: true });
    });
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    const server = await startServerProcess(env);
    cleanups.push(() => server.dispose());
    const { token } = (await call<{ token: string }>(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD })).body;
    for (const u of [
      { id: 'jk', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
      { id: 'jk-v1', parentId: 'jk', kind: 'village', name: '红星村' },
      { id: G1, parentId: 'jk-v1', kind: 'grid', name: '第一网格' },
    ]) {
      expect((await call(`${server.url}/api/admin/org-units`, 'POST', token, u)).status).toBe(201);
    }
    const BATCH = 40;
    const batches: string[][] = [];
    let backingUp = true;
    const pusher = async () => {
      for (let b = 0; backingUp || b < 3; b++) {
        const events = Array.from({ length: BATCH }, (_, i) => sweep(G1, `2024-0${(b % 9) + 1}-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+08:00`));
        const r = await call<{ results: { status: string }[] }>(`${server.url}/api/sync/push`, 'POST', token, { deviceId: 'busy-phone', events });
        expect(r.status).toBe(200);
        batches.push(events.map((e) => e.id));
      }
    };
    const pushing = Promise.all([pusher(), pusher()]);
    // Let some batches land first, so the copy starts in the middle of the stream.
    while (batches.length < 4) await new Promise((r) => setTimeout(r, 20));
    const backup = await script('backup', [backups], env);
    backingUp = false;
    await pushing;
    expect(backup.code, backup.out).toBe(0);

    const copy = new Database(path.join(backups, readdirSync(backups)[0]!, 'taizhang.sqlite'), { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = new Set(copy.prepare('SELECT id FROM events').pluck().all() as string[]);
      const whole = batches.filter((b) => b.every((id) => ids.has(id))).length;
      expect(batches.filter((b) => b.some((id) => ids.has(id))).length).toBe(whole);
      expect(whole).toBeGreaterThanOrEqual(4);
      expect(whole).toBeLessThan(batches.length);
      expect(copy.prepare('SELECT count(*) FROM sweep_projection').pluck().get()).toBe(ids.size);
      expect(copy.prepare('SELECT sum(count) FROM sweep_totals').pluck().get()).toBe(ids.size);
    } finally {
      copy.close();
    }
  }, 120_000);
});

describe('restore refuses what is not a finished backup', () => {
  it('a directory without its manifest, and a backup of the other store', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-not-a-backup-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'taizhang.sqlite'), 'half a copy');
    await expect(restoreBackup({ from: dir, dataDir: dir, databaseUrl: undefined })).rejects.toThrow('不是完整的备份');
    writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        format: 'taizhang-backup',
        version: 1,
        store: 'postgres',
        createdAt: '',
        generation: null,
        lastSeq: 0,
        database: 'taizhang.sqlite',
        attachmentFiles: 0,
      }),
    );
    await expect(restoreBackup({ from: dir, dataDir: dir, databaseUrl: undefined })).rejects.toThrow('这是 PostgreSQL 的备份');
  });
});
