// Bearer tokens: 256 random bits, base64url on the wire; only the SHA-256 is stored, so a
// leaked database does not log anyone in. Sliding expiry: each use within the window
// pushes the end out again (written at most every TOUCH_INTERVAL_MS to spare the database).
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const TOUCH_INTERVAL_MS = 60 * 60 * 1000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function issueToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The token of an `Authorization: Bearer …` header, or undefined when it is missing or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer +(\S+)$/i.exec(header ?? '');
  return m?.[1] && TOKEN_SHAPE.test(m[1]) ? m[1] : undefined;
}
