// WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the COMMIT
// that crosses its threshold, on the one thread that serves every request: copying the WAL
// into the database file took about a third of a push's commit. Once the WAL has grown, a
// worker thread with its own connection runs PASSIVE checkpoints beside the writer (WAL lets
// one run while the other writes; a passive one never waits for or blocks it). The writer's
// own automatic checkpoint stays, at a higher threshold, for a worker that falls behind or dies.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** WAL size (bytes) from which checkpoints move to the worker; below it SQLite's own are cheap. */
export const WORKER_FROM_WAL_BYTES = 4 * 1024 * 1024;
/** The writer's automatic checkpoint while the worker runs, in pages (about 64 MB of WAL at 4 KB). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_000;

// Plain JavaScript evaluated in the worker (no TypeScript loader there). One checkpoint at a
// time; a nudge that arrives during one runs another after it, so the last commit is copied.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
let running = false;
let again = false;
function run() {
  running = true;
  again = false;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: err && err.message ? err.message : String(err) });
  }
  setImmediate(() => (again ? run() : (running = false)));
}
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  if (running) again = true;
  else run();
});
`;

export interface Checkpointer {
  /** After a commit: hands checkpoints to the worker once the WAL is large, then asks it for one. */
  afterCommit(): void;
  /** Stops the worker and closes its connection (before the writer's own close). */
  close(): Promise<void>;
}

/**
 * `file` the database, `setAutocheckpoint` the writer's threshold in pages, `driver` the
 * better-sqlite3 module's resolved path (the worker loads the same one).
 */
export function createCheckpointer(file: string, setAutocheckpoint: (pages: number) => void, driver: string): Checkpointer {
  let worker: Worker | undefined;
  let failed = false;
  const walBytes = () => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  };
  const start = () => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
    w.unref();
    w.on('message', (m: { error?: string }) => {
      if (m.error) console.error(`WAL checkpoint failed (the writer's own checkpoint stays on): ${m.error}`);
    });
    // A worker that cannot run leaves the checkpoints to the writer, as on a small database.
    w.on('error', (err) => {
      failed = true;
      worker = undefined;
      setAutocheckpoint(1000);
      console.error(`WAL checkpoint worker stopped: ${err.message}`);
    });
    setAutocheckpoint(FALLBACK_AUTOCHECKPOINT_PAGES);
    return w;
  };
  return {
    afterCommit() {
      if (!worker) {
        if (failed || walBytes() < WORKER_FROM_WAL_BYTES) return;
        worker = start();
      }
      worker.postMessage('checkpoint');
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      // Unreferenced while it runs, so that it never keeps a process alive; waited for here, so
      // it must hold the event loop open until it is gone (an empty loop ends a process mid-await).
      w.ref();
      w.postMessage('close');
      await exited;
    },
  };
}
