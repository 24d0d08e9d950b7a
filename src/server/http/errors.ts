// Client errors as {error:{code, message, field?}}: the typed Failure routes return, sendFailure that
// answers it, and the app's error handler (a Chinese message for a client error, a 500 without a stack).
// A refusal about one field of the request names it (refusedAt), so that the form shows it there.
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorCode } from '#shared/api/errors';
import { databaseFaultResponse } from './database-errors.ts';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 426 | 429;

export interface Failure {
  ok: false;
  status: ErrorStatus;
  code: ErrorCode;
  message: string;
  /** Extra fields for the error object, e.g. row-by-row import errors. */
  details?: Record<string, unknown>;
}

export function failure(status: ErrorStatus, code: ErrorCode, message: string, details?: Record<string, unknown>): Failure {
  return { ok: false, status, code, message, ...(details ? { details } : {}) };
}

/** A refusal about one field of the request: `field` is its path ('password', 'roles.1'). */
export function refusedAt(field: string, status: ErrorStatus, code: ErrorCode, message: string): Failure {
  return failure(status, code, message, { field });
}

export function sendFailure(c: Context, f: Failure): Response {
  return c.json({ error: { code: f.code, message: f.message, ...f.details } }, f.status);
}

const STATUS_CODES: Partial<Record<number, [code: ErrorCode, message: string]>> = {
  400: ['bad_request', '请求格式不对'],
  401: ['unauthorized', '请先登录'],
  403: ['forbidden', '没有权限进行此操作'],
  404: ['not_found', '接口不存在'],
  405: ['method_not_allowed', '不支持此请求方法'],
  413: ['payload_too_large', '请求内容过大'],
  415: ['unsupported_media_type', '请求内容类型不对'],
  429: ['rate_limited', '请求过于频繁，请稍后再试'],
};

/** Client errors raised as HTTPException keep their status with a Chinese message; a database fault is a retryable
 * 503 (database-errors.ts); anything else is a 500 without details (the error itself goes to the request's log line, observe/log.ts, with its request id). */
export const handleError: ErrorHandler = (err, c) => {
  if (err instanceof HTTPException && err.status < 500) {
    const [code, message] = STATUS_CODES[err.status] ?? ['bad_request', '请求有误'];
    return c.json({ error: { code, message } }, err.status);
  }
  const databaseFault = databaseFaultResponse(err, c);
  if (databaseFault) return databaseFault;
  return c.json({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } }, 500);
};
