// `npm run restore <backup>` (scripts/restore.ts): puts a backup (backup.ts) in place and mints
// a new generation of the log, so that phones, whose cursors and acknowledged events belong to
// the log as it was, start over and offer again everything they still hold (design.md "Sync
// contract"). It stops nothing: the server must be stopped first (SQLite), or the processes
// pointed at the restored database afterwards (PostgreSQL); docs/deploy.md has the procedure.
// Nothing is destroyed: the SQLite file it replaces is kept beside it, photo files are only
// added, and on PostgreSQL it restores only into an empty database.
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../storage/postgres/index.ts';
import { openSqliteStore } from '../storage/sqlite/index.ts';
import { copyAttachmentFiles, libpqTarget, MANIFEST, runPgTool, type BackupManifest } from './backup.ts';

export interface RestoreOptions {
  /** The backup directory (or its manifest or database file). */
  from: string;
  dataDir: string;
  databaseUrl: string | undefined;
  now?: Date;
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** The generation the restored log has now. */
  generation: string;
  /** SQLite: where the database that was in place before is kept. */
  keptPrevious?: string;
  attachmentsCopied: number;
}

function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The backup's directory and manifest; refuses anything that is not a finished backup. */
function readBackup(from: string): { dir: string; manifest: BackupManifest } {
  const dir = existsSync(from) && statSync(from).isDirectory() ? from : path.dirname(from);
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) throw new Error(`${dir} 不是完整的备份：没有 ${MANIFEST}（备份没做完，或路径不对）`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== 'taizhang-backup' || manifest.version !== 1) throw new Error(`${file} 不是本系统的备份清单`);
  if (!existsSync(path.join(dir, manifest.database))) throw new Error(`备份缺少数据库文件 ${manifest.database}`);
  return { dir, manifest };
}

function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

async function restoreSqlite(opts: RestoreOptions, dir: string, manifest: BackupManifest): Promise<RestoreReport> {
  const copy = path.join(dir, manifest.database);
  const check = new Database(copy, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`备份的数据库文件已损坏：${String(result)}`);
  } finally {
    check.close();
  }
  const live = path.join(opts.dataDir, 'taizhang.sqlite');
  let keptPrevious: string | undefined;
  if (existsSync(live)) {
    // Fold the WAL into the file first, so the kept copy is whole on its own; a server still
    // holding the file open makes this fail rather than lose its latest commits.
    // Leaving WAL mode takes the file exclusively: it fails while any other connection has it open.
    const db = new Database(live, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 2000');
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
    } catch (err) {
      throw new Error(`数据库正在被使用：请先停止服务器，再恢复（${(err as Error).message}）`, { cause: err });
    } finally {
      db.close();
    }
    keptPrevious = `${live}.before-restore-${stamp(opts.now ?? new Date())}`;
    renameSync(live, keptPrevious);
  }
  for (const leftover of [`${live}-wal`, `${live}-shm`]) {
    // Never let another file's WAL be applied to the restored one.
    if (existsSync(leftover)) renameSync(leftover, `${keptPrevious ?? live}${leftover.slice(live.length)}.stale`);
  }
  const part = `${live}.restore-part`;
  copyFileSync(copy, part);
  fsyncPath(part);
  renameSync(part, live);
  fsyncPath(opts.dataDir);
  const files = copyAttachmentFiles(path.join(dir, 'attachments'), path.join(opts.dataDir, 'attachments'));
  // Opening it runs the migrations a backup from an older build lacks, the generation table's included.
  const store = openSqliteStore(opts.dataDir);
  try {
    const generation = await store.mintGeneration(`restore of the backup of ${manifest.createdAt}`);
    return { manifest, generation, ...(keptPrevious ? { keptPrevious } : {}), attachmentsCopied: files.copied };
  } finally {
    await store.close();
  }
}

async function restorePostgres(opts: RestoreOptions, url: string, dir: string, manifest: BackupManifest): Promise<RestoreReport> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    if (Number(rows[0]?.n ?? 0) > 0) {
      throw new Error('目标数据库不是空的：请新建一个空数据库（createdb），把 DATABASE_URL 指向它再恢复；原数据库保持不动');
    }
  } finally {
    await client.end();
  }
  const target = libpqTarget(url);
  await runPgTool(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.dbname}`, path.join(dir, manifest.database)],
    target.env,
  );
  const files = copyAttachmentFiles(path.join(dir, 'attachments'), path.join(opts.dataDir, 'attachments'));
  const store = await openPostgresStore(url, { dataDir: opts.dataDir });
  try {
    const generation = await store.mintGeneration(`restore of the backup of ${manifest.createdAt}`);
    return { manifest, generation, attachmentsCopied: files.copied };
  } finally {
    await store.close();
  }
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreReport> {
  const { dir, manifest } = readBackup(opts.from);
  if (manifest.store === 'postgres') {
    if (!opts.databaseUrl) throw new Error('这是 PostgreSQL 的备份：请设置 DATABASE_URL（指向一个新建的空数据库）');
    return restorePostgres(opts, opts.databaseUrl, dir, manifest);
  }
  if (opts.databaseUrl) throw new Error('这是 SQLite 的备份：恢复前请取消 DATABASE_URL，并把 DATA_DIR 设为服务器的数据目录');
  return restoreSqlite(opts, dir, manifest);
}
