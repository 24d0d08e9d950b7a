// A restore from backup with two real phones in Chromium: both sync, `npm run backup` runs while
// the server serves, both record more and see it acknowledged (their outboxes empty), then the
// server is stopped, `npm run restore` puts the backup back and the server starts again. After
// 立即同步 each phone has offered its records again: the server holds every sweep either phone
// made, once, both phones hold all of them and say 已同步, and the sync log says what happened.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { seedTown, type SeededTown } from './support/session.ts';
import { openAppOnline, outboxSize, phoneSweeps, recordSweepInUi, serverSweeps, syncStatus } from './support/sync.ts';

const run = promisify(execFile);
const SHOTS = process.env.TAIZHANG_SHOTS_DIR;

let server: RunningServer;
let town: SeededTown;
let phones: Phone[] = [];
let backups: string;

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  phones = [await openPhone(), await openPhone()];
  backups = mkdtempSync(path.join(tmpdir(), 'taizhang-e2e-backups-'));
});
afterAll(async () => {
  for (const p of phones) await p.close();
  await server?.stop();
  rmSync(backups, { recursive: true, force: true });
});

const notes = (list: { note: string }[]) => list.map((s) => s.note).sort();

/** `npm run backup` / `npm run restore` on the server's data directory. */
async function script(name: 'backup' | 'restore', args: string[]): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: '' } });
}

async function syncedAndEmpty(phone: Phone): Promise<void> {
  await phone.page.getByRole('button', { name: '立即同步' }).click();
  await expect.poll(() => outboxSize(phone.page), { timeout: 30_000 }).toBe(0);
  await expect.poll(() => syncStatus(phone.page), { timeout: 30_000 }).toMatch(/^已同步/);
}

test('after a restore, the phones give the server back what the backup lacked, once', async () => {
  const [a, b] = phones as [Phone, Phone];
  await openAppOnline(a.page, server.url, town.gridWorker);
  await openAppOnline(b.page, server.url, town.mediator);

  await recordSweepInUi(a.page, { gridId: town.gridId, households: 11, note: '备份前王网格' });
  await recordSweepInUi(b.page, { gridId: town.gridId, households: 12, note: '备份前赵调解' });
  for (const p of [a, b]) await syncedAndEmpty(p);
  await script('backup', [backups]);
  expect(readdirSync(backups)).toHaveLength(1);

  await recordSweepInUi(a.page, { gridId: town.gridId, households: 21, note: '备份后王网格' });
  await recordSweepInUi(b.page, { gridId: town.gridId, households: 22, note: '备份后赵调解' });
  for (const p of [a, b]) await syncedAndEmpty(p);
  const all = ['备份前王网格', '备份前赵调解', '备份后王网格', '备份后赵调解'];
  expect(notes(await serverSweeps(server.url, town.adminToken))).toEqual(all);

  await server.kill('SIGTERM');
  await script('restore', [path.join(backups, readdirSync(backups)[0]!)]);
  await server.restart();
  expect(notes(await serverSweeps(server.url, town.adminToken))).toEqual(['备份前王网格', '备份前赵调解']);

  // Each phone offers its own again; a second round brings each the other's.
  for (const p of [a, b, a, b]) await syncedAndEmpty(p);
  const onServer = await serverSweeps(server.url, town.adminToken);
  expect(notes(onServer)).toEqual(all);
  expect(new Set(onServer.map((s) => s.id)).size).toBe(onServer.length);
  for (const p of [a, b]) {
    await expect.poll(async () => notes(await phoneSweeps(p.page)), { timeout: 20_000 }).toEqual(all);
    await expect.poll(() => p.page.getByText('走访 21 户').count(), { timeout: 10_000 }).toBe(1);
  }
  // The sync log tells the worker what happened (for the office, when records seem missing).
  await a.page.locator('button.sync-text').click();
  await a.page.getByRole('link', { name: '查看同步记录' }).click();
  await expect.poll(() => a.page.getByText(/服务器数据已恢复，本机记录重新提交 2 条/).count(), { timeout: 10_000 }).toBe(1);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await a.page.getByText(/服务器数据已恢复/).scrollIntoViewIfNeeded();
    await a.page.screenshot({ path: path.join(SHOTS, 'after-restore-sync-log.png') });
    await a.page.goBack();
  }
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    for (const [p, name] of [
      [a, 'grid-worker'],
      [b, 'mediator'],
    ] as const) {
      await expect.poll(() => syncStatus(p.page), { timeout: 20_000 }).toMatch(/^已同步/);
      await p.page.screenshot({ path: path.join(SHOTS, `after-restore-${name}.png`), fullPage: true });
    }
  }
});
