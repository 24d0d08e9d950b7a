// Structured logs: one JSON line per request on stdout (time, level, requestId, method, path
// without its query, status, duration, user id when known), and the request id every answer
// echoes in X-Request-Id. Bodies, query values, tokens, passwords and the database URL are never
// logged: a query or a body may hold a party's name or ID number.
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../http/env.ts';

type LogLevel = 'info' | 'warn' | 'error';
type LogRecord = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogRecord): void;
}

/** JSON lines to a writer (stdout by default). */
export function jsonLogger(write: (line: string) => void = (line) => void process.stdout.write(line)): Logger {
  return {
    log(level, message, fields = {}) {
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };

/** An X-Request-Id a proxy or client sent, when it is short and plain; else one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(c: Context): string {
  const sent = c.req.header('x-request-id');
  return sent !== undefined && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** The matched route's pattern (bounded label for metrics), or '*' when only the fallbacks matched. */
function routeOf(c: Context): string {
  try {
    return routePath(c) || '*';
  } catch {
    return '*';
  }
}

interface RequestObserver {
  request(method: string, route: string, status: number, seconds: number): void;
}

/** Sets X-Request-Id, then logs the answered request and reports it to the metrics. */
export function requestLog(logger: Logger, metrics: RequestObserver): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = requestIdOf(c);
    const started = performance.now();
    c.header('X-Request-Id', requestId);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    const route = routeOf(c);
    c.res.headers.set('X-Request-Id', requestId);
    metrics.request(c.req.method, route, status, seconds);
    // Set by requireUser on authenticated routes only.
    const userId = (c.var as Partial<AppEnv['Variables']>).principal?.userId;
    const err = c.error;
    logger.log(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      route,
      status,
      durationMs: Math.round(seconds * 100_000) / 100,
      userId,
      ...(err ? { error: `${err.name}: ${err.message}`, stack: err.stack } : {}),
    });
  };
}
