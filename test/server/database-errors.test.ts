// What the API's error handler answers for each kind of database failure a route can meet: the
// retryable ones (timeouts, a connection the server ended or cannot make) a 503 with Retry-After
// and a Chinese message, so the phone's sync waits and sends again; any other error stays a 500.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleError } from '../../src/server/http/errors.ts';
import { PushSlotsBusyError } from '../../src/server/storage/postgres/connections.ts';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

async function answerTo(err: Error): Promise<{ status: number; retryAfter: string | null; body: { error: { code: string; message: string } } }> {
  const app = new Hono();
  app.get('/x', () => {
    throw err;
  });
  app.onError(handleError);
  const res = await app.request('/x');
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error: { code: string; message: string } } };
}

describe('database failures as HTTP answers', () => {
  it.each([
    ['lock timeout', withCode('canceling statement due to lock timeout', '55P03'), 'database_busy'],
    ['statement timeout', withCode('canceling statement due to statement timeout', '57014'), 'database_busy'],
    ['deadlock', withCode('deadlock detected', '40P01'), 'database_busy'],
    ['no connection free in time', new Error('timeout exceeded when trying to connect'), 'database_busy'],
    ['no push connection free in time', new PushSlotsBusyError(5000), 'database_busy'],
    ['idle-in-transaction timeout', withCode('terminating connection due to idle-in-transaction timeout', '25P03'), 'database_unavailable'],
    ['terminated backend', withCode('terminating connection due to administrator command', '57P01'), 'database_unavailable'],
    ['connection failure', withCode('connection failure', '08006'), 'database_unavailable'],
    ['server down', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'database_unavailable'],
    ['connection ended', new Error('Connection terminated unexpectedly'), 'database_unavailable'],
  ])('%s: 503 with Retry-After', async (_name, err, code) => {
    const r = await answerTo(err);
    expect(r.status).toBe(503);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ['a unique violation (a bug, not a fault)', withCode('duplicate key value violates unique constraint', '23505')],
    ['any other error', new Error('something else')],
  ])('%s: still a 500 without details', async (_name, err) => {
    const r = await answerTo(err);
    expect(r.status).toBe(500);
    expect(r.retryAfter).toBeNull();
    expect(r.body.error.code).toBe('internal');
  });
});
