// A restore from backup with two real phones in Chromium: both sync, `npm run backup` runs while
// the server serves, both record more and see it acknowledged (their outboxes empty), then the
// server is stopped, `npm run restore` puts the backup back and the server starts again. After
// 立即同步 each phone has offered its records again: the server holds every sweep either phone
// made, once, both phones hold all of them and say 已同步, and the sync log says what happened.
// The cases registered after the backup keep their numbers, though the phone whose case was
// numbered second offers again first: the 案号 on its screen (and on paper) stays true.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { seedTown, type SeededTown } from './support/session.ts';
import { openTab, registerCase } from './support/pages.ts';
import { openAppOnline, outboxSize, phoneSweeps, recordSweepInUi, serverEventList, serverSweeps, syncStatus } from './support/sync.ts';

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
  // Two cases numbered after the backup: the mediator's first, then the grid worker's.
  const caseOf = async (p: Phone, party: string, mediators?: string) => {
    const id = await registerCase(p.page, {
      disputeType: '02',
      source: 'application',
      orgUnitId: town.gridId,
      summary: `${party}家排水沟堵塞`,
      parties: [{ name: party }, { name: '周邻居' }],
      ...(mediators ? { mediators } : {}),
    });
    await syncedAndEmpty(p);
    return id;
  };
  const mediatorsCase = await caseOf(b, '孙大海', '赵调解');
  const workersCase = await caseOf(a, '钱小溪');
  for (const p of [a, b]) await syncedAndEmpty(p);
  const caseNumbers = async () => {
    const numbers = new Map(
      (await serverEventList(server.url, town.adminToken)).filter((e) => e.type === 'case.numbered').map((e) => [e.subjectId, e.data?.caseNumber]),
    );
    return [numbers.get(mediatorsCase), numbers.get(workersCase)];
  };
  const numbered = await caseNumbers();
  expect(numbered[0]).toMatch(/第001号$/);
  expect(numbered[1]).toMatch(/第002号$/);
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
    await openTab(p.page, '排查');
    await expect.poll(() => p.page.getByText('走访 21 户').count(), { timeout: 10_000 }).toBe(1);
  }
  // The grid worker's phone offered first; its case still has 第002号, on the server and on both phones' screens.
  expect(await caseNumbers()).toEqual(numbered);
  for (const p of [a, b]) {
    for (const [id, number] of [
      [mediatorsCase, numbered[0]],
      [workersCase, numbered[1]],
    ] as const) {
      await p.page.goto(`${server.url}/cases/${id}`);
      await expect.poll(() => p.page.getByText(`案号：${number}`).count(), { timeout: 10_000 }).toBe(1);
    }
  }
  // The sync log tells the worker what happened (for the office, when records seem missing).
  await a.page.locator('button.sync-text').click();
  await a.page.getByRole('link', { name: '查看同步记录' }).click();
  await expect.poll(() => a.page.getByText(/服务器数据已恢复，本机记录重新提交 3 条/).count(), { timeout: 10_000 }).toBe(1);
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
