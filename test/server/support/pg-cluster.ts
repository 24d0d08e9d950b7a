// Private PostgreSQL servers for failover tests: a primary made with initdb in a temp directory
// and streaming replicas of it made with pg_basebackup -R, each on its own port, run by the
// postgres OS user when this runs as root (initdb refuses root). `clusterRefusal()` says why
// they cannot be had here, so a test can print it and skip.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../e2e/support/server.ts';

const run = promisify(execFile);
const BIN = process.env.TAIZHANG_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

/** Why private clusters cannot be made here, or undefined. */
export function clusterRefusal(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl', 'pg_basebackup']) {
    if (!existsSync(path.join(BIN, tool))) return `${path.join(BIN, tool)} is missing (set TAIZHANG_PG_BIN to the PostgreSQL binaries)`;
  }
  if (asRoot && !postgresIds()) return 'running as root, and there is no postgres OS user to run initdb as';
  if (asRoot && !existsSync('/usr/sbin/runuser')) return 'running as root, and there is no runuser to run initdb as the postgres user';
  return undefined;
}

/** Runs a PostgreSQL tool, as the postgres user when this is root. */
async function pgTool(tool: string, args: string[]): Promise<string> {
  const [cmd, argv] = asRoot ? ['/usr/sbin/runuser', ['-u', 'postgres', '--', path.join(BIN, tool), ...args]] : [path.join(BIN, tool), args];
  try {
    const { stdout, stderr } = await run(cmd, argv, { cwd: tmpdir() });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

export interface PgServer {
  port: number;
  dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  start(): Promise<void>;
  /** `fast` as an operator stops it; `immediate` as a crash or a power cut would. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  promote(): Promise<void>;
  /** One query, on its `postgres` database unless told another. */
  query<T extends pg.QueryResultRow>(sql: string, database?: string): Promise<T[]>;
  /** A streaming replica of this server: pg_basebackup -R -X stream, started. */
  replica(): Promise<PgServer>;
}

export interface PgClusters {
  primary(): Promise<PgServer>;
  /** Stops every server still running and removes their directories. */
  dispose(): Promise<void>;
}

export function pgClusters(): PgClusters {
  const root = mkdtempSync(path.join(tmpdir(), 'taizhang-pg-'));
  const ids = asRoot ? postgresIds() : undefined;
  if (ids) chownSync(root, ...ids);
  const servers: PgServer[] = [];
  let running = new Set<PgServer>();

  const server = async (name: string): Promise<PgServer> => {
    const dataDir = path.join(root, name);
    const port = await freePort();
    const s: PgServer = {
      port,
      dataDir,
      url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
      async start() {
        // Its socket in the temp directory: nothing of the machine's own server is touched.
        await pgTool('pg_ctl', ['-D', dataDir, '-w', '-t', '60', '-l', `${dataDir}.log`, '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${root}`, 'start']);
        running.add(s);
      },
      async stop(mode = 'fast') {
        await pgTool('pg_ctl', ['-D', dataDir, '-w', '-m', mode, 'stop']);
        running.delete(s);
      },
      async promote() {
        await pgTool('pg_ctl', ['-D', dataDir, '-w', 'promote']);
      },
      async query<T extends pg.QueryResultRow>(sql: string, database?: string) {
        const client = new pg.Client({ connectionString: s.url(database) });
        await client.connect();
        try {
          return (await client.query<T>(sql)).rows;
        } finally {
          await client.end();
        }
      },
      async replica() {
        const r = await server(`replica-${servers.length}`);
        await pgTool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-D', r.dataDir, '-R', '-X', 'stream', '-c', 'fast']);
        await r.start();
        return r;
      },
    };
    servers.push(s);
    return s;
  };

  return {
    async primary() {
      const s = await server(`primary-${servers.length}`);
      await pgTool('initdb', ['-D', s.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
      await s.start();
      return s;
    },
    async dispose() {
      for (const s of [...running]) await s.stop('immediate').catch(() => undefined);
      running = new Set();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The postgres user's uid and gid, from the password database; undefined when there is none. */
function postgresIds(): [number, number] | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
