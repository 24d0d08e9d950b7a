// The edge against hostile or broken clients and deployments: the token checked before a body is
// read, slow clients cut by the socket timeouts of a real listening server, and a start refused
// on a configuration or a database file that would only fail (or lose data) later.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/server/config.ts';
import { serverOptionsOf } from '../../src/server/http/server-options.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/index.ts';
import { seedTownship, type Township } from './access-fixtures.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';

const MB = 1024 * 1024;

/** A request body of `total` bytes made on demand, counting what the server pulled of it. */
function countedBody(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

describe.each(storeCases())('hostile edge on $name', (storeCase) => {
  const t = useTestApp(storeCase, { limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('answers a 5 MB streamed push without a valid token 401 before reading its body', async () => {
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const body = countedBody(5 * MB);
      const res = await t().app.request('/api/sync/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: body.stream,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      // The stream hands over a chunk or two ahead of being asked; nowhere near the 5 MB.
      expect(body.pulled()).toBeLessThan(512 * 1024);
    }
    // With a valid token the same route reads the body (and finds it is not JSON).
    const ok = await t().request('POST', '/api/sync/push', { token: town.tokens.gw1, body: '{', headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(400);
  });

  describe('a real listening server', () => {
    let server: ReturnType<typeof serve>;
    let port: number;
    beforeAll(async () => {
      server = serve({ fetch: t().app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: serverOptionsOf(t().config.limits) });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    /** Sends `head` and then one byte of `trickle` every 100 ms; resolves with what came back and when the socket closed. */
    function trickle(head: string, drip: string): Promise<{ answer: string; ms: number }> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const socket = connect(port, '127.0.0.1');
        let answer = '';
        let i = 0;
        const timer = setInterval(() => {
          if (!socket.destroyed && !socket.writableEnded) socket.write(drip[i++ % drip.length]!);
        }, 100);
        socket.on('connect', () => socket.write(head));
        socket.on('data', (d) => (answer += d.toString('latin1')));
        socket.on('error', () => {});
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ answer, ms: Date.now() - started });
        });
        setTimeout(() => {
          clearInterval(timer);
          socket.destroy();
          reject(new Error(`socket still open after 5 s: ${answer}`));
        }, 5_000);
      });
    }

    it('cuts a client trickling its request head', async () => {
      const { answer, ms } = await trickle('GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'a');
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeLessThan(2_000);
    });

    it('cuts a client trickling its body', async () => {
      const head = `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"username":"`;
      const { answer, ms } = await trickle(head, 'a');
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeLessThan(2_500);
    });

    it('still answers a client that sends its request at once', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
    });
  });
});

describe('starting', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'taizhang-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the real server entry point; resolves with its exit code and output (or kills it once it listens). */
  function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', TAIZHANG_ADMIN_PASSWORD: 'admin-pass-123', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const collect = (d: Buffer) => {
        output += d.toString();
        if (output.includes('listening on')) child.kill('SIGKILL');
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('exit', (code) => resolve({ code, output }));
    });
  }

  it('refuses an unknown TAIZHANG_TIME_ZONE at start, with a message naming it', async () => {
    expect(() => readConfig({ TAIZHANG_TIME_ZONE: 'Asia/Shanghia' })).toThrow(/TAIZHANG_TIME_ZONE.*Asia\/Shanghia/);
    expect(readConfig({ TAIZHANG_TIME_ZONE: 'Asia/Urumqi' }).timeZone).toBe('Asia/Urumqi');
    const run = await start({ DATA_DIR: path.join(dir, 'tz'), TAIZHANG_TIME_ZONE: 'Mars/Olympus' });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('TAIZHANG_TIME_ZONE must be an IANA time zone name');
  }, 30_000);

  it('refuses a zero-length or non-SQLite database file, and leaves it as it was', async () => {
    for (const [name, content] of [
      ['empty', ''],
      ['text', 'this is not a database, it is a note left in DATA_DIR\n'],
    ] as const) {
      const dataDir = path.join(dir, name);
      const file = path.join(dataDir, 'taizhang.sqlite');
      rmSync(dataDir, { recursive: true, force: true });
      openSqliteStore(dataDir); // a real first start makes the directory (and a database, replaced below)
      rmSync(file);
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
      writeFileSync(file, content);
      expect(() => openSqliteStore(dataDir)).toThrow(name === 'empty' ? /为空（0 字节），拒绝启动/ : /不是 SQLite 数据库，拒绝启动/);
      const run = await start({ DATA_DIR: dataDir });
      expect(run.code, run.output).not.toBe(0);
      expect(run.output).toContain('拒绝启动');
      expect(statSync(file).size).toBe(content.length);
    }
  }, 60_000);

  it('starts on a directory with no database file at all (a real first start)', async () => {
    const run = await start({ DATA_DIR: path.join(dir, 'first') });
    expect(run.output).toContain('listening on');
  }, 30_000);
});
