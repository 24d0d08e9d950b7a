// The one-command quickstart's build (`npm start` on a fresh checkout): built only when the app
// is missing, by one process at a time, into a temp directory renamed into place, so that
// several processes starting together never serve or write a half-built dist/. A deployment
// builds with `npm run build` as its own step and starts with NODE_ENV=production or DIST_DIR:
// then nothing is ever built at start.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

interface BuildPlace {
  /** The project directory: dist/ and the lock file (.tmp/build.lock) live in it. */
  root: string;
  /** Writes a complete build into outDir (an empty directory of its own). */
  build(outDir: string): void | Promise<void>;
  /** How long to wait for another process's build before giving up (default 10 min). */
  waitMs?: number;
}

type BuildOutcome = 'built' | 'present';

/** Whether `npm start` may build: only the quickstart, never a deployment's start. */
export function startMayBuild(env: NodeJS.ProcessEnv): boolean {
  return !env.DIST_DIR && env.NODE_ENV !== 'production';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function holderAlive(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath, 'utf8'));
  } catch {
    return true; // being written or just removed: look again
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the exclusive lock file (O_EXCL), waiting while a live process holds it; a dead holder's lock is taken over. */
async function acquire(lockPath: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!holderAlive(lockPath)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`another process has been building the app for ${Math.round(waitMs / 1000)} s (${lockPath}); remove the file if it is stale`);
    await sleep(200);
  }
}

/** Builds dist/ unless dist/index.html is there, once across every process starting from this directory. */
export async function buildDistOnce({ root, build, waitMs = 10 * 60_000 }: BuildPlace): Promise<BuildOutcome> {
  const dist = path.join(root, 'dist');
  const complete = () => existsSync(path.join(dist, 'index.html'));
  if (complete()) return 'present';
  const tmp = path.join(root, '.tmp');
  mkdirSync(tmp, { recursive: true });
  const release = await acquire(path.join(tmp, 'build.lock'), waitMs);
  try {
    // Another process may have built it while this one waited.
    if (complete()) return 'present';
    const outDir = path.join(tmp, `dist-build-${process.pid}`);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir);
    await build(outDir);
    if (!existsSync(path.join(outDir, 'index.html'))) throw new Error(`the build wrote no index.html into ${outDir}`);
    // A dist/ without index.html is an interrupted build of an older version: moved aside, then removed.
    if (existsSync(dist)) {
      const old = path.join(tmp, `dist-old-${process.pid}`);
      renameSync(dist, old);
      rmSync(old, { recursive: true, force: true });
    }
    renameSync(outDir, dist);
    return 'built';
  } finally {
    release();
  }
}
