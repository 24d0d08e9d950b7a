// Failover for real, as docs/deploy.md "Failover" tells an operator to do it: a private primary
// (initdb) and its streaming replica (pg_basebackup -R -X stream), a real server process on the
// primary, two phones (the app's sync run on its IndexedDB storage) whose pushes are
// acknowledged and replayed on the replica (and `npm run backup` taken from the replica, as
// docs/deploy.md suggests, holds them). Then the replica stops (it lags), the phones push
// more and are acknowledged, the primary dies (pg_ctl stop -m immediate), the replica starts
// again, is promoted with pg_ctl promote, gets `npm run restore -- --new-generation failover`,
// and the server is started on it. The promoted log lacks what the phones were acknowledged for
// after the replica stopped; on their next sync each phone sees the new generation, offers again
// every event it holds, and pulls from the start: the server then holds every event once and
// each phone holds all of them, its outbox empty and its cursor at the log's end. A third phone
// syncs first after the failover, so that the log grows past the others' cursors. The second
// case leaves the new generation out: the server mints it, on PostgreSQL's new WAL timeline,
// and the phones come out the same. Needs the
// PostgreSQL 15 binaries (initdb, pg_ctl, pg_basebackup): without them it prints why and skips.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterRefusal, pgClusters, type PgClusters, type PgServer } from './support/pg-cluster.ts';
import { closePhones, heldBy, loginPhone, recordSweeps, syncPhone, type Phone } from './support/phones.ts';
import { ADMIN_PASSWORD, call, startServerProcess, type ServerProcess } from './support/server-process.ts';

const run = promisify(execFile);
const G1 = 'jk-v1-g1';

const why = clusterRefusal();
if (why) console.log(`replica promotion skipped: ${why}`);

/** `npm run backup|restore -- …` as the operator runs them (the npm scripts are `tsx scripts/<name>.ts`). */
async function script(name: 'backup' | 'restore', args: string[], databaseUrl: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited 30 s for ${what}`);
}

/** The replica has replayed everything the primary has written so far. */
async function caughtUp(primary: PgServer, replica: PgServer): Promise<void> {
  const [{ lsn }] = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')) as [{ lsn: string }];
  await until('the replica to replay the primary', async () => {
    const [row] = await replica.query<{ done: boolean }>(`SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`);
    return row?.done === true;
  });
}

/** Made by the first test that runs: a filtered-out file leaves no directory behind. */
let clusters: PgClusters | undefined;
const servers: ServerProcess[] = [];
afterAll(async () => {
  await closePhones();
  for (const s of servers) await s.dispose();
  await clusters?.dispose();
});

describe.skipIf(why !== undefined)('failover to a promoted streaming replica', () => {
  it.each([
    { how: 'as docs/deploy.md says, with npm run restore -- --new-generation', mintByHand: true },
    { how: 'when the operator forgot the new generation: the server mints it on the new WAL timeline', mintByHand: false },
  ])(
    'phones offer again what the promotion lost and pull the promoted log from the start, $how',
    async ({ mintByHand }) => {
      clusters ??= pgClusters();
      const primary = await clusters.primary();
      await primary.query('CREATE DATABASE taizhang');
      const replica = await primary.replica();
      await until(
        'the replica to stream',
        async () => (await primary.query<{ state: string }>('SELECT state FROM pg_stat_replication'))[0]?.state === 'streaming',
      );

      let server = await startServerProcess({ DATABASE_URL: primary.url('taizhang'), TAIZHANG_LOG: 'off' });
      servers.push(server);
      const admin = (await call<{ token: string }>(`${server.url}/api/auth/login`, 'POST', undefined, { username: 'admin', password: ADMIN_PASSWORD })).body
        .token;
      for (const u of [
        { id: 'jk', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
        { id: 'jk-v1', parentId: 'jk', kind: 'village', name: '红星村' },
        { id: G1, parentId: 'jk-v1', kind: 'grid', name: '第一网格' },
      ]) {
        expect((await call(`${server.url}/api/admin/org-units`, 'POST', admin, u)).status).toBe(201);
      }
      const phones: Phone[] = [await loginPhone(server.url, 'admin', ADMIN_PASSWORD), await loginPhone(server.url, 'admin', ADMIN_PASSWORD)];
      // Offline until after the failover; then it is the first to sync, and the promoted log grows past the others' cursors.
      const late = await loginPhone(server.url, 'admin', ADMIN_PASSWORD);
      const syncAll = async () => {
        const reports = [];
        // Twice round: each phone's second run brings it what the other pushed after its first pull.
        for (let round = 0; round < 2; round++) for (const p of phones) reports.push(await syncPhone(p, server.url));
        for (const r of reports) expect(r.failure).toBeUndefined();
        return reports;
      };
      const serverLog = async () => {
        const ids: string[] = [];
        let cursor = 0;
        for (;;) {
          const r = await call<{ events: { id: string }[]; cursor: number; hasMore: boolean }>(
            `${server.url}/api/sync/pull?cursor=${cursor}&limit=1000`,
            'GET',
            admin,
          );
          expect(r.status).toBe(200);
          ids.push(...r.body.events.map((e) => e.id));
          cursor = r.body.cursor;
          if (!r.body.hasMore) return { ids, cursor };
        }
      };

      const replicated = [...(await recordSweeps(phones[0]!, G1, 3)), ...(await recordSweeps(phones[1]!, G1, 2))];
      await syncAll();
      await caughtUp(primary, replica);
      if (mintByHand) {
        // The nightly backup taken from the replica, as docs/deploy.md suggests: it holds what was replayed.
        const backups = mkdtempSync(path.join(tmpdir(), 'taizhang-replica-backup-'));
        try {
          const backup = await script('backup', [backups], replica.url('taizhang'));
          expect(backup.code, backup.out).toBe(0);
          const manifest = JSON.parse(readFileSync(path.join(backups, readdirSync(backups)[0]!, 'manifest.json'), 'utf8')) as {
            store: string;
            lastSeq: number;
          };
          expect(manifest).toMatchObject({ store: 'postgres', lastSeq: (await serverLog()).cursor });
        } finally {
          rmSync(backups, { recursive: true, force: true });
        }
      }

      // The replica falls behind: what the primary acknowledges from now on never reaches it.
      await replica.stop();
      const lost = [...(await recordSweeps(phones[0]!, G1, 2)), ...(await recordSweeps(phones[1]!, G1, 3))];
      await syncAll();
      const everything = [...replicated, ...lost].sort();
      expect((await serverLog()).ids.sort()).toEqual(everything);
      for (const p of phones) expect((await heldBy(p)).outbox).toEqual({ pending: 0, rejected: 0 });

      // The primary is lost; the replica is promoted as it stands.
      await primary.stop('immediate');
      server.child.kill('SIGTERM');
      await server.exited;
      await replica.start();
      await replica.promote();
      expect(await replica.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: false }]);
      if (mintByHand) {
        const minted = await script('restore', ['--new-generation', 'failover'], replica.url('taizhang'));
        expect(minted.code, minted.out).toBe(0);
        expect(minted.out).toContain('新的日志代号');
      }

      server = await startServerProcess({ DATABASE_URL: replica.url('taizhang'), TAIZHANG_LOG: 'off' });
      servers.push(server);
      expect((await serverLog()).ids.sort()).toEqual([...replicated].sort());
      // The first process to open the promoted database (the restore script's, or else the server's) saw the new timeline.
      const generations = (await replica.query<{ reason: string }>('SELECT reason FROM log_generations ORDER BY n', 'taizhang')).map((g) => g.reason);
      expect(generations).toEqual(['created', 'failover: WAL timeline 1 → 2', ...(mintByHand ? ['failover'] : [])]);
      // Were the log's identity unchanged, the other phones would go on pulling from their cursors and
      // skip what the late phone's events now occupy of those seqs, and never offer again what was lost.
      const afterFailover = await recordSweeps(late, G1, 8);
      expect((await syncPhone(late, server.url)).failure).toBeUndefined();
      const everythingNow = [...everything, ...afterFailover].sort();

      const reports = await syncAll();
      expect(reports.slice(0, 2).map((r) => [r.startedOver, r.reoffered])).toEqual([
        [true, 5],
        [true, 5],
      ]);
      expect(reports.slice(2).map((r) => r.startedOver)).toEqual([false, false]);
      const { ids, cursor } = await serverLog();
      expect(ids.length).toBe(new Set(ids).size);
      expect(ids.sort()).toEqual(everythingNow);
      for (const p of phones) expect(await heldBy(p)).toEqual({ events: everythingNow, outbox: { pending: 0, rejected: 0 }, cursor });
    },
    120_000,
  );
});
