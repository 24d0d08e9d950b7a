// What a request answers when the database, not the request, failed: a lock or statement
// timeout, a connection the server ended or cannot make. These are retryable, so they answer
// 503 with Retry-After (the phone's sync waits that long and sends again; a push is applied
// once however often it is sent) instead of a 500. A full disk (SQLITE_FULL, ENOSPC, PostgreSQL
// disk_full 53100) answers 507 storage_full: nothing was written, an operator must free space. Logged by code and message only: pg's
// objects hold the connection string.
import type { Context } from 'hono';
import { describeDatabaseError, PushSlotsBusyError } from '../storage/postgres/connections.ts';

type DatabaseFault = 'busy' | 'unavailable' | 'full';

/** SQLITE_FULL (better-sqlite3's code), the file system's ENOSPC, PostgreSQL's disk_full. */
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', '53100']);

/** Whether the error is a full disk: bookkeeping writes (token last use, pull records) give way to it. */
function isStorageFull(err: unknown): boolean {
  return err instanceof Error && FULL_CODES.has(String((err as { code?: unknown }).code));
}

/** Runs a bookkeeping write that a read or a login must not fail for: a full disk is logged and skipped. */
export async function bestEffortWrite(what: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (!isStorageFull(err)) throw err;
    // Code and message only: no connection details in the log.
    console.error(`${what} skipped, storage full: ${describeDatabaseError(err)}`);
  }
}

/** SQLSTATEs: lock_not_available, query_canceled (statement_timeout), serialization_failure, deadlock_detected, too_many_connections. */
const BUSY_CODES = new Set(['55P03', '57014', '40001', '40P01', '53300']);
/** SQLSTATEs: idle_in_transaction_session_timeout, admin_shutdown, crash_shutdown, cannot_connect_now; class 08 is checked by prefix. */
const UNAVAILABLE_CODES = new Set(['25P03', '57P01', '57P02', '57P03']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** pg and pg-pool raise these without a code. */
const BUSY_MESSAGES = ['timeout exceeded when trying to connect'];
const UNAVAILABLE_MESSAGES = ['Connection terminated', 'is not queryable'];

function databaseFaultOf(err: unknown): DatabaseFault | undefined {
  if (err instanceof PushSlotsBusyError) return 'busy';
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (FULL_CODES.has(code)) return 'full';
    if (BUSY_CODES.has(code)) return 'busy';
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code)) return 'unavailable';
    return undefined;
  }
  if (BUSY_MESSAGES.some((m) => err.message.includes(m))) return 'busy';
  if (UNAVAILABLE_MESSAGES.some((m) => err.message.includes(m))) return 'unavailable';
  return undefined;
}

const ANSWERS: Record<DatabaseFault, { code: string; message: string; retryAfterSeconds: number }> = {
  busy: { code: 'database_busy', message: '服务器正忙，请稍后再试（数据没有丢失，会自动重新发送）', retryAfterSeconds: 2 },
  unavailable: { code: 'database_unavailable', message: '数据库暂时连接不上，请稍后再试（数据没有丢失，会自动重新发送）', retryAfterSeconds: 5 },
  full: { code: 'storage_full', message: '服务器存储空间已满，本次没有保存，请联系管理员清理空间（手机上的记录不会丢失）', retryAfterSeconds: 60 },
};

/** A 503 + Retry-After for a database fault, or undefined for any other error. */
export function databaseFaultResponse(err: unknown, c: Context): Response | undefined {
  const fault = databaseFaultOf(err);
  if (!fault) return undefined;
  const status = fault === 'full' ? 507 : 503;
  // Not logDatabaseError: its "PostgreSQL" would mislabel a full SQLite disk.
  console.error(`${c.req.method} ${c.req.path} answered ${status}: ${describeDatabaseError(err)}`);
  const answer = ANSWERS[fault];
  c.header('Retry-After', String(answer.retryAfterSeconds));
  return c.json({ error: { code: answer.code, message: answer.message } }, status);
}
