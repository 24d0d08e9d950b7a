// The PostgreSQL connections of one API process: the pool with its timeouts, what happens when
// the database drops a connection, and the cap on how many of them pushes may hold. pg emits
// 'error' on a pool or client whose connection the server ended (restart, failover,
// pg_terminate_backend, an idle-in-transaction timeout); unheard, that event ends the process.
// pg's client objects hold the connection string and password, so errors are logged by code
// and message only, never as objects.
import pg from 'pg';
import type { PostgresLimits } from '../../config.ts';

/** Thrown when a push waited its whole lock timeout for one of the connections pushes may hold. */
export class PushSlotsBusyError extends Error {
  constructor(waitedMs: number) {
    super(`no push connection free within ${waitedMs} ms`);
    this.name = 'PushSlotsBusyError';
  }
}

/** `code: message` of an error, without any object pg hung on it. */
export function describeDatabaseError(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
}

function logDatabaseError(context: string, err: unknown): void {
  console.error(`PostgreSQL ${context}: ${describeDatabaseError(err)}`);
}

/** A lost connection is logged; the client stops being queryable and pg-pool drops it on release, so the next query connects anew. */
function listenForErrors(client: pg.Client | pg.PoolClient, context: string): void {
  client.on('error', (err) => logDatabaseError(context, err));
}

/** The setup connection (create the schema): errors heard, ended whatever happens. */
export async function withSetupClient<T>(url: string, limits: PostgresLimits, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: limits.connectTimeoutMs });
  listenForErrors(client, 'setup connection');
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch((err: unknown) => logDatabaseError('setup connection end', err));
  }
}

interface PoolOptions {
  url: string;
  limits: PostgresLimits;
  /** search_path for test isolation. */
  schema: string | undefined;
  /** Migrations run once at start and may legitimately wait for another process's migration or run long: no statement or lock timeout. */
  forMigrations?: boolean;
}

export function openPool({ url, limits, schema, forMigrations = false }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: forMigrations ? 1 : limits.poolMax,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    ...(forMigrations
      ? {}
      : {
          // Sent as startup parameters of every connection; a frozen holder of the push lock loses it after idleInTransactionTimeoutMs.
          statement_timeout: limits.statementTimeoutMs,
          lock_timeout: limits.lockTimeoutMs,
          idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
        }),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // Every client gets a listener of its own: pg-pool listens only while a client is idle. An idle
  // client's error also reaches the pool (which drops the client); unheard there it would end the process.
  pool.on('connect', (client) => listenForErrors(client, 'connection lost'));
  pool.on('error', () => undefined);
  return pool;
}

/**
 * At most `size` calls of the returned function run at once; a call waits for a slot at most
 * `waitMs` and then fails with PushSlotsBusyError. Pushes run side by side but queue for the
 * ordering lock at their end, so more of them holding connections would only take those reads need.
 */
export function slotLimiter(size: number, waitMs: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (active < size) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      // The releasing call hands its slot over: `active` is not decremented in between.
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(grant), 1);
        reject(new PushSlotsBusyError(waitMs));
      }, waitMs);
      waiting.push(grant);
    });
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return async (fn) => {
    await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
}
