// When to try again after a failed sync run: exponential from 5 s to 10 min, with jitter so
// that a village's phones coming back into signal together do not hit the server in step.

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 10 * 60_000;

/**
 * Delay before retry number `failures` (1 = the first retry after one failure).
 * "Equal jitter": half the exponential step is fixed, half random, so the delay still grows.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 20));
  return Math.round(step / 2 + random() * (step / 2));
}

/** A server's Retry-After wins when it asks for longer than our own backoff. */
export function retryDelay(failures: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const ours = backoffDelay(failures, random);
  return retryAfterMs === undefined ? ours : Math.min(BACKOFF_MAX_MS * 3, Math.max(ours, retryAfterMs));
}
