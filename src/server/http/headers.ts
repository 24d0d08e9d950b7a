// What every response carries and every URL must pass: security headers (a CSP with no inline
// script, no framing, no caching of API answers) and the refusal of a URL that decodes to U+0000.
import type { MiddlewareHandler } from 'hono';
import { failure, sendFailure } from './errors.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
].join('; ');

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('X-Frame-Options', 'DENY');
    c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (c.req.path.startsWith('/api/')) c.res.headers.set('Cache-Control', 'no-store');
  };
}

/** 400 for a path or query that decodes to U+0000: PostgreSQL would fail on it as a 500. */
export function rejectNulInUrl(): MiddlewareHandler {
  return async (c, next) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(new URL(c.req.url).pathname + new URL(c.req.url).search);
    } catch {
      return sendFailure(c, failure(400, 'bad_request', '请求地址格式不对'));
    }
    if (decoded.includes('\u0000')) return sendFailure(c, failure(400, 'bad_request', '请求地址中不能含有空字符'));
    return next();
  };
}
