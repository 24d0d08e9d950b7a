// `npm start` builds only on a fresh checkout, once however many processes start together:
// two scripts/start.ts started at the same moment on a copy of the tree with no dist/ both serve
// the same complete app, built by one of them; with NODE_ENV=production nothing is built; a lock
// left by a process that died is taken over.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildDistOnce, startMayBuild } from '../../scripts/build-once.ts';
import { freePort } from '../e2e/support/server.ts';

const project = path.resolve(import.meta.dirname, '../..');
const TREE = ['src', 'public', 'scripts', 'index.html', 'manifest.webmanifest', 'vite.config.ts', 'package.json', 'tsconfig.base.json'];

/** A checkout with no dist/: the sources copied, node_modules linked. */
function freshCheckout(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-checkout-'));
  for (const name of TREE) cpSync(path.join(project, name), path.join(dir, name), { recursive: true });
  symlinkSync(path.join(project, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function start(cwd: string, env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-start-data-'));
  const inherited = { ...process.env };
  delete inherited.DIST_DIR;
  delete inherited.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd,
    env: { ...inherited, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', TAIZHANG_ADMIN_PASSWORD: 'admin-pass-123', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return { child, url: `http://127.0.0.1:${port}`, output: () => log };
}

async function listening(s: Started): Promise<void> {
  const deadline = Date.now() + 50_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${s.url}/api/health`)).ok) return;
    } catch {
      // not yet
    }
    if (s.child.exitCode !== null) throw new Error(`start exited: ${s.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`did not start: ${s.output()}`);
}

const running: Started[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const s of running.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      const exited = new Promise((r) => s.child.once('exit', r));
      s.child.kill('SIGKILL');
      await exited;
    }
  }
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm start', () => {
  it('builds a fresh checkout once when two start together, and both serve the complete app', async () => {
    const dir = freshCheckout();
    dirs.push(dir);
    const [a, b] = await Promise.all([start(dir), start(dir)]);
    running.push(a!, b!);
    await Promise.all([listening(a!), listening(b!)]);

    const onDisk = readFileSync(path.join(dir, 'dist/index.html'), 'utf8');
    const pages = await Promise.all([a!, b!].map(async (s) => (await fetch(`${s.url}/`)).text()));
    expect(pages[0]).toBe(onDisk);
    expect(pages[1]).toBe(onDisk);
    // Complete: every script and stylesheet it names is served by both.
    const refs = [...onDisk.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const s of [a!, b!]) for (const ref of refs) expect((await fetch(`${s.url}${ref}`)).status, ref).toBe(200);
    expect((await fetch(`${a!.url}/sw.js`)).status).toBe(200);

    const builds = [a!, b!].map((s) => s.output().split('Building the app').length - 1);
    expect(builds.sort()).toEqual([0, 1]);
    // Nothing left behind: no lock, no temp build.
    expect(readdirSync(path.join(dir, '.tmp'))).toEqual([]);
  }, 60_000);

  it('never builds with NODE_ENV=production (a deployment builds as its own step)', async () => {
    const dir = freshCheckout();
    dirs.push(dir);
    const s = await start(dir, { NODE_ENV: 'production' });
    running.push(s);
    await listening(s);
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
    expect(s.output()).toContain('npm run build');
    expect(startMayBuild({ DIST_DIR: '/srv/taizhang/dist' })).toBe(false);
    expect(startMayBuild({})).toBe(true);
  }, 60_000);

  it('takes over the lock of a builder that died', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-lock-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, '.tmp'));
    // A pid no process has: the holder is gone.
    writeFileSync(path.join(dir, '.tmp/build.lock'), '2147483646');
    const outcome = await buildDistOnce({ root: dir, waitMs: 2000, build: (out) => writeFileSync(path.join(out, 'index.html'), '<!doctype html>') });
    expect(outcome).toBe('built');
    expect(readFileSync(path.join(dir, 'dist/index.html'), 'utf8')).toBe('<!doctype html>');
    expect(existsSync(path.join(dir, '.tmp/build.lock'))).toBe(false);
  });
});
