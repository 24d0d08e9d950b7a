// `npm run backup` (scripts/backup.ts): one consistent copy of the database and the photo
// files, taken while the server keeps serving, into a directory of its own with a manifest.
// SQLite: better-sqlite3's db.backup() (SQLite's online backup API: a snapshot, whatever is
// committed meanwhile), then the attachment files, which never change once written (named by
// their hash), so copying them after the database holds every photo the copy's events name.
// PostgreSQL: pg_dump in its custom format (one snapshot of the whole database, photos
// included: they are rows of attachment_blobs), plus any photo files from before that table.
// The restore is restore.ts; docs/deploy.md says when to run which.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export const MANIFEST = 'manifest.json';
const SQLITE_FILE = 'taizhang.sqlite';
const PG_DUMP_FILE = 'taizhang.pgdump';
const ATTACHMENTS = 'attachments';
/** better-sqlite3's largest step: the rest of the database in one. */
const ALL_PAGES = 0x7fffffff;

/** What a backup directory holds, written last: a directory without it is not a finished backup. */
export interface BackupManifest {
  format: 'taizhang-backup';
  version: 1;
  store: 'sqlite' | 'postgres';
  createdAt: string;
  /** The log's generation in the copy (storage/log-identity-store.ts). */
  generation: string | null;
  /** The copy's last event seq (PostgreSQL: read just before the dump, so at least this many). */
  lastSeq: number;
  /** The database file in the directory. */
  database: string;
  attachmentFiles: number;
}

export interface BackupOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  /** Where the backup's own directory is made. */
  into: string;
  now?: Date;
}

function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** `taizhang-20261201T233000Z`: sorts by time, safe in every file system. */
function backupName(at: Date): string {
  return `taizhang-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

/** Every photo file under `from` (…/ab/cd/<sha256>) copied to `to` when not there already; returns how many `to` holds of them. */
export function copyAttachmentFiles(from: string, to: string): { copied: number; total: number } {
  let copied = 0;
  let total = 0;
  if (!existsSync(from)) return { copied, total };
  for (const a of readdirSync(from)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue; // tmp/ holds uploads in progress
    for (const b of readdirSync(path.join(from, a))) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      for (const name of readdirSync(path.join(from, a, b))) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        total++;
        const dir = path.join(to, a, b);
        const target = path.join(dir, name);
        if (existsSync(target)) continue;
        mkdirSync(dir, { recursive: true });
        // Through a part file, as the server writes them: a cut copy never sits under a hash name.
        const part = `${target}.part`;
        copyFileSync(path.join(from, a, b, name), part);
        fsyncPath(part);
        renameSync(part, target);
        copied++;
      }
    }
  }
  return { copied, total };
}

function readIdentity(db: Database.Database): { generation: string | null; lastSeq: number } {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log_generations'").get() !== undefined;
  const generation = hasTable
    ? ((db.prepare('SELECT generation FROM log_generations ORDER BY n DESC LIMIT 1').pluck().get() as string | undefined) ?? null)
    : null;
  const lastSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number;
  return { generation, lastSeq };
}

async function backupSqlite(opts: BackupOptions, dir: string, createdAt: string): Promise<BackupManifest> {
  const source = path.join(opts.dataDir, SQLITE_FILE);
  if (!existsSync(source)) throw new Error(`没有找到数据库文件 ${source}（DATA_DIR 设对了吗？）`);
  const part = path.join(dir, `${SQLITE_FILE}.part`);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // All pages in one step, under one read transaction: in steps, every commit the server makes
    // meanwhile restarts the copy, which on a busy server may never end. WAL lets the server
    // keep writing while it reads.
    await db.backup(part, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  const copy = new Database(part, { fileMustExist: true });
  let identity: { generation: string | null; lastSeq: number };
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`备份副本校验失败：${String(check)}`);
    // The copy is a file of its own: no WAL beside it, whatever mode the source runs in.
    copy.pragma('journal_mode = DELETE');
    identity = readIdentity(copy);
  } finally {
    copy.close();
  }
  fsyncPath(part);
  renameSync(part, path.join(dir, SQLITE_FILE));
  const files = copyAttachmentFiles(path.join(opts.dataDir, ATTACHMENTS), path.join(dir, ATTACHMENTS));
  return { format: 'taizhang-backup', version: 1, store: 'sqlite', createdAt, ...identity, database: SQLITE_FILE, attachmentFiles: files.total };
}

/**
 * A connection string for pg_dump/pg_restore with its password moved to PGPASSWORD: arguments
 * are visible to every user of the machine (ps), the environment is not.
 */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

/** Runs a PostgreSQL client program; rejects with its stderr when it fails. */
export function runPgTool(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err) => reject(new Error(`${program} 无法运行（需要安装 PostgreSQL 客户端程序）：${err.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${program} 失败（退出码 ${code}）：${stderr.trim()}`))));
  });
}

async function backupPostgres(opts: BackupOptions, url: string, dir: string, createdAt: string): Promise<BackupManifest> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let identity: { generation: string | null; lastSeq: number };
  try {
    const { rows } = await client.query<{ generation: string | null; last_seq: string }>(
      `SELECT (SELECT generation FROM log_generations ORDER BY n DESC LIMIT 1) AS generation, (SELECT coalesce(max(seq), 0) FROM events) AS last_seq`,
    );
    identity = { generation: rows[0]?.generation ?? null, lastSeq: Number(rows[0]?.last_seq ?? 0) };
  } finally {
    await client.end();
  }
  const target = libpqTarget(url);
  const part = path.join(dir, `${PG_DUMP_FILE}.part`);
  await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${part}`, `--dbname=${target.dbname}`], target.env);
  fsyncPath(part);
  renameSync(part, path.join(dir, PG_DUMP_FILE));
  const files = copyAttachmentFiles(path.join(opts.dataDir, ATTACHMENTS), path.join(dir, ATTACHMENTS));
  return { format: 'taizhang-backup', version: 1, store: 'postgres', createdAt, ...identity, database: PG_DUMP_FILE, attachmentFiles: files.total };
}

/** Takes a backup into a new directory under `opts.into`; returns the directory and its manifest. */
export async function takeBackup(opts: BackupOptions): Promise<{ dir: string; manifest: BackupManifest }> {
  const at = opts.now ?? new Date();
  const dir = path.join(opts.into, backupName(at));
  if (existsSync(dir)) throw new Error(`备份目录 ${dir} 已存在`);
  mkdirSync(dir, { recursive: true });
  const createdAt = at.toISOString();
  const manifest = opts.databaseUrl ? await backupPostgres(opts, opts.databaseUrl, dir, createdAt) : await backupSqlite(opts, dir, createdAt);
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  fsyncPath(path.join(dir, MANIFEST));
  fsyncPath(dir);
  return { dir, manifest };
}
