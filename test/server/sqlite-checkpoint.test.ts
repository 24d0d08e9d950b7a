// The WAL checkpoint worker (storage/sqlite/checkpointer.ts): once the WAL is large, its
// checkpoints copy the log into the database file beside the writer; one that cannot start
// hands the checkpoints back to the writer.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckpointer, FALLBACK_AUTOCHECKPOINT_PAGES, WORKER_FROM_WAL_BYTES } from '../../src/server/storage/sqlite/checkpointer.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');
let dir: string;
let file: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'checkpoint-'));
  file = path.join(dir, 'db.sqlite');
  db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Only the worker may checkpoint here: the writer's own automatic checkpoint is off.
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (b BLOB)');
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Commits `mb` MB of rows in one transaction. */
function write(mb: number): void {
  const insert = db.prepare('INSERT INTO t (b) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < mb * 16; i++) insert.run(Buffer.alloc(64 * 1024, i));
  })();
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the WAL checkpoint worker', () => {
  it('leaves a small WAL to the writer, then copies a large one into the database file', async () => {
    const thresholds: number[] = [];
    const checkpointer = createCheckpointer(file, (pages) => thresholds.push(pages), driver);
    write(1);
    checkpointer.afterCommit();
    expect(thresholds).toEqual([]);
    const before = statSync(file).size;
    write(Math.ceil(WORKER_FROM_WAL_BYTES / 1024 / 1024) + 1);
    checkpointer.afterCommit();
    // The worker took over: the writer's own checkpoint now only catches a worker left behind.
    expect(thresholds).toEqual([FALLBACK_AUTOCHECKPOINT_PAGES]);
    await until(() => statSync(file).size > before + WORKER_FROM_WAL_BYTES);
    await checkpointer.close();
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBeGreaterThan(16 * 5);
  });

  it('hands the checkpoints back to the writer when the worker cannot run', async () => {
    const thresholds: number[] = [];
    const errors: string[] = [];
    const log = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      const checkpointer = createCheckpointer(file, (pages) => thresholds.push(pages), path.join(dir, 'no-such-driver.js'));
      write(Math.ceil(WORKER_FROM_WAL_BYTES / 1024 / 1024) + 1);
      checkpointer.afterCommit();
      await until(() => thresholds.length === 2);
      expect(thresholds).toEqual([FALLBACK_AUTOCHECKPOINT_PAGES, 1000]);
      expect(errors.join('\n')).toMatch(/checkpoint worker stopped/);
      // Nothing is started again, and closing has nothing to wait for.
      checkpointer.afterCommit();
      expect(thresholds).toHaveLength(2);
      await checkpointer.close();
    } finally {
      console.error = log;
    }
  });
});

describe('the SQLite store', () => {
  it('closes with its checkpoint worker running, leaving every committed row in the database', async () => {
    const dataDir = path.join(dir, 'data');
    const store = openSqliteStore(dataDir);
    const raw = new Database(path.join(dataDir, 'taizhang.sqlite'));
    raw.pragma('wal_autocheckpoint = 0');
    raw.exec('CREATE TABLE big (b BLOB)');
    const insert = raw.prepare('INSERT INTO big (b) VALUES (?)');
    raw.transaction(() => {
      for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(64 * 1024, i));
    })();
    raw.close();
    // A push's commit is what nudges the worker: an empty batch still commits.
    await store.transactPush(async () => undefined);
    await store.close();
    const reopened = new Database(path.join(dataDir, 'taizhang.sqlite'), { readonly: true });
    expect((reopened.prepare('SELECT count(*) AS n FROM big').get() as { n: number }).n).toBe(100);
    reopened.close();
  });
});

describe('a process that closes its store at the end of its script', () => {
  it('exits 0 after the checkpoint worker is gone (a worker left unreferenced ended it mid-await, exit 13)', () => {
    const script = path.join(dir, 'close-at-end.mts');
    const storeModule = path.resolve('src/server/storage/sqlite/index.ts');
    writeFileSync(
      script,
      `import Database from ${JSON.stringify(driver)};
import { openSqliteStore } from ${JSON.stringify(storeModule)};
const dataDir = ${JSON.stringify(path.join(dir, 'data'))};
const store = openSqliteStore(dataDir);
const raw = new Database(dataDir + '/taizhang.sqlite');
raw.pragma('wal_autocheckpoint = 0');
raw.exec('CREATE TABLE big (b BLOB)');
const insert = raw.prepare('INSERT INTO big (b) VALUES (?)');
raw.transaction(() => { for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(64 * 1024, i)); })();
raw.close();
await store.transactPush(async () => undefined);
await store.close();
console.log('closed');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
  });
});
