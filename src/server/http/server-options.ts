// The Node HTTP server's socket timeouts (main.ts passes these to serve): a client trickling its
// request head or body is cut instead of holding a connection. Node checks open connections for
// these timeouts every connectionsCheckingInterval (30 s by default): checked more often so
// that the configured time is what a slow client gets.
import type { ServerOptions } from 'node:http';
import type { Limits } from '../config.ts';

export function serverOptionsOf(limits: Pick<Limits, 'headersTimeoutMs' | 'requestTimeoutMs'>): ServerOptions {
  const requestTimeout = limits.requestTimeoutMs;
  // Node requires the head's timeout not to exceed the whole request's.
  const headersTimeout = Math.min(limits.headersTimeoutMs, requestTimeout);
  return { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(headersTimeout / 4))) };
}
