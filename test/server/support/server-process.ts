// A real server process (src/server/main.ts, as `npm start` runs it) for fault tests that need
// its exit code, its pid (to freeze it) or its whole output; and fresh PostgreSQL databases for
// tests that terminate every backend of "their" database or hold the cluster-wide push lock,
// which on the shared test database would hit other test runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const ADMIN_PASSWORD = 'admin-pass-123';

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed on stdout and stderr so far. */
  output(): string;
  /** Resolves when it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGKILL if still running, then removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * Spawns `npm start`'s server on a port of its own choosing (PORT=0) and learns it from the line
 * it logs once listening. A port picked free beforehand can be taken by another test's server
 * before this one binds it: this one then exits, and the other one answers its readiness checks.
 */
export function spawnServer(env: Record<string, string>): { child: ChildProcess; port: Promise<number>; output(): string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', DATABASE_URL: '', TAIZHANG_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      const listening = /listening on http:\/\/[^:\s]+:(\d+)/.exec(log);
      if (listening) resolve(Number(listening[1]));
    });
    child.once('exit', () => reject(new Error(`server exited before listening: ${log}`)));
  });
  port.catch(() => undefined);
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return { child, port, output: () => log };
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-proc-'));
  const spawned = spawnServer({ DATA_DIR: dataDir, ...env });
  const { child } = spawned;
  const log = () => spawned.output();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const dispose = async () => {
    if (alive()) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000)));
  let port: number;
  try {
    port = await Promise.race([spawned.port, timeout]);
  } catch (err) {
    await dispose();
    throw new Error(`server did not start: ${(err as Error).message}\n${log()}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  return { url: `http://127.0.0.1:${port}`, port, child, output: log, exited, alive, dispose };
}

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** One JSON request to a server process. */
export async function call<T = unknown>(url: string, method: string, token: string | undefined, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface FreshDatabase {
  name: string;
  /** DATABASE_URL of the new database, with `password` in it when given. */
  url: string;
  drop(): Promise<void>;
}

async function onServer<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server of `baseUrl`; drop() removes it, ending whatever is still connected. */
export async function createFreshDatabase(baseUrl: string, { password }: { password?: string } = {}): Promise<FreshDatabase> {
  const name = `taizhang_fault_${Math.random().toString(36).slice(2, 10)}`;
  await onServer(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  if (password !== undefined) url.password = password;
  return {
    name,
    url: url.toString(),
    drop: () => onServer(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * How many backends of the database wait for an advisory lock (the push lock). From pg_locks
 * alone: a client inside a transaction (one holding the lock) reads pg_stat_activity once per
 * transaction, so that would not show a backend that came or began waiting since.
 */
export async function advisoryLockWaiters(client: pg.Client, dbName: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_locks
     WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = $1)`,
    [dbName],
  );
  return Number(rows[0]!.n);
}
