// A restore from backup keeps the case numbers handed out after the backup, on each store: two
// phones (the app's own storage and sync run, in fake-indexeddb) register cases against a real
// server process, the server numbers them, `npm run backup` runs between, the server is stopped
// and `npm run restore` puts the backup back. The phones then start over, the one whose case was
// numbered last first: each gives back its case's sealed number before the registration, so
// every case keeps the number it had (and may carry on paper) instead of the next one free, and
// the next new case is numbered after them all. A number another phone's new case took first
// goes to that case; the case that had it is numbered afresh, and its phone shows the new one.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as storage from '../../src/app/storage/index.ts';
import { asPhone, closePhones, loginPhone, syncPhone, type Phone } from './support/phones.ts';
import { ADMIN_PASSWORD, call, createFreshDatabase, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { storeCases } from './support/stores.ts';

const run = promisify(execFile);
const G1 = 'jk-v1-g1';

/** `npm run backup` / `npm run restore` as an operator runs them; throws with their output on failure. */
async function script(name: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { env: { ...process.env, ...env } });
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await closePhones();
  for (const c of cleanups.reverse()) await c();
});

/** Registers a case on the phone, as its form does; returns the case's id. */
const registerCase = (phone: Phone, party: string) =>
  asPhone(phone, async () => {
    const subjectId = crypto.randomUUID();
    await storage.recordEvents([
      {
        type: 'case.opened',
        subjectId,
        orgUnitId: G1,
        occurredAt: '2024-06-21T09:00:00+08:00',
        data: { disputeType: '02', source: 'application', summary: '排水沟堵塞', parties: [{ role: 'applicant', name: party }] },
      },
    ]);
    return subjectId;
  });

/** Each case's number as the phone shows it. */
const numbersOnPhone = (phone: Phone, ids: readonly string[]) =>
  asPhone(phone, async () => Promise.all(ids.map(async (id) => ((await storage.getRecord(id))?.state as { caseNumber?: string } | undefined)?.caseNumber)));

/** A server with two phones' cases numbered 001 (before the backup), 002 and 003 (after it), restored from the backup. */
async function restoredTown(kind: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-numbers-'));
  const backups = mkdtempSync(path.join(tmpdir(), 'taizhang-numbers-backups-'));
  cleanups.push(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(backups, { recursive: true, force: true });
  });
  let env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: '' };
  let restoredEnv = env;
  const base = process.env.DATABASE_URL;
  if (kind === 'postgres' && base) {
    const live = await createFreshDatabase(base);
    const restored = await createFreshDatabase(base);
    cleanups.push(live.drop, restored.drop);
    env = { DATA_DIR: dataDir, DATABASE_URL: live.url };
    restoredEnv = { DATA_DIR: dataDir, DATABASE_URL: restored.url };
  }
  let server: ServerProcess = await startServerProcess(env);
  cleanups.push(() => server.dispose());
  const admin = await call<{ token: string }>(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD });
  for (const u of [
    { id: 'jk', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
    { id: 'jk-v1', parentId: 'jk', kind: 'village', name: '红星村', shortName: '红星' },
    { id: 'jk-v1-twh', parentId: 'jk-v1', kind: 'committee', name: '红星村人民调解委员会', shortName: '红星村' },
    { id: G1, parentId: 'jk-v1', kind: 'grid', name: '第一网格' },
  ]) {
    expect((await call(`${server.url}/api/admin/org-units`, 'POST', admin.body.token, u)).status).toBe(201);
  }
  expect(
    (
      await call(`${server.url}/api/admin/users`, 'POST', admin.body.token, {
        username: 'wang',
        password: 'field-pass-123',
        displayName: '王网格',
        roles: [{ role: 'grid_worker', orgUnitId: G1 }],
      })
    ).status,
  ).toBe(201);
  const login = () => loginPhone(server.url, 'wang', 'field-pass-123');
  const [first, second] = [await login(), await login()];
  const sync = async (phone: Phone) => expect((await syncPhone(phone, server.url)).failure).toBeUndefined();
  const numbersOnServer = async (ids: readonly string[]) => {
    const byCase = new Map<string, string>();
    for (let cursor = 0; ;) {
      const r = await call<{ events: { type: string; subjectId: string; data: { caseNumber?: string } }[]; cursor: number; hasMore: boolean }>(
        `${server.url}/api/sync/pull?cursor=${cursor}&limit=1000`,
        'GET',
        admin.body.token,
      );
      for (const e of r.body.events) if (e.type === 'case.numbered') byCase.set(e.subjectId, e.data.caseNumber!);
      cursor = r.body.cursor;
      if (!r.body.hasMore) break;
    }
    return { numbers: ids.map((id) => byCase.get(id)), all: [...byCase.values()] };
  };

  const kept = await registerCase(first, '张大山');
  await sync(first);
  await script('backup', [backups], env);
  const backupDir = path.join(backups, readdirSync(backups)[0]!);
  // Numbered after the backup: the second phone's case first, then the first phone's.
  const early = await registerCase(second, '李小河');
  await sync(second);
  const late = await registerCase(first, '王长林');
  await sync(first);
  await sync(second);
  const cases = [kept, early, late];
  expect((await numbersOnServer(cases)).numbers).toEqual([number(1), number(2), number(3)]);

  server.child.kill('SIGTERM');
  await server.exited;
  await script('restore', [backupDir], restoredEnv);
  server = await startServerProcess(restoredEnv);
  cleanups.push(() => server.dispose());
  expect((await numbersOnServer(cases)).numbers).toEqual([number(1), undefined, undefined]);
  return { first, second, cases, login, sync, numbersOnServer };
}

const number = (n: number) => `（2024）红星村人调字第${String(n).padStart(3, '0')}号`;

describe.each(storeCases().map((c) => c.name))('case numbers through a restore on %s', (kind) => {
  it('every case keeps the number it was given after the backup; the next case follows them', async () => {
    const { first, second, cases, sync, numbersOnServer } = await restoredTown(kind);
    // The phone whose case was numbered last starts over first: a fresh number would have been 第002号.
    await sync(first);
    await sync(second);
    await sync(first);
    const after = await numbersOnServer(cases);
    expect(after.numbers).toEqual([number(1), number(2), number(3)]);
    expect(after.all.length).toBe(new Set(after.all).size);
    for (const phone of [first, second]) expect(await numbersOnPhone(phone, cases)).toEqual(after.numbers);

    const next = await registerCase(second, '周秀英');
    await sync(second);
    expect((await numbersOnServer([next])).numbers).toEqual([number(4)]);
  }, 120_000);

  it('a new case that took a lost number first keeps it; the case that had it is numbered afresh, on its phone too', async () => {
    const { first, second, cases, login, sync, numbersOnServer } = await restoredTown(kind);
    const third = await login();
    const newcomer = await registerCase(third, '赵新来');
    await sync(third);
    await sync(first);
    await sync(second);
    await sync(first);
    await sync(third);
    const [kept, early, late] = cases;
    const after = await numbersOnServer([kept!, early!, late!, newcomer]);
    expect(after.numbers).toEqual([number(1), number(4), number(3), number(2)]);
    expect(after.all.length).toBe(new Set(after.all).size);
    for (const phone of [first, second, third]) expect(await numbersOnPhone(phone, [kept!, early!, late!, newcomer])).toEqual(after.numbers);
    // Nothing left over: the refused number left the outbox without a 未通过.
    for (const phone of [first, second, third]) expect(await asPhone(phone, () => storage.countOutbox())).toEqual({ pending: 0, rejected: 0 });
  }, 120_000);
});
