// The PIN that unlocks a cached session on this phone. Only a salted PBKDF2-SHA-256 hash is
// kept (crypto.subtle), so reading the phone's storage does not reveal the PIN.

export interface PinHash {
  salt: string;
  hash: string;
  iterations: number;
}

// About 0.1–0.3 s on a low-end phone: slow enough to make guessing offline costly, fast
// enough to unlock without a noticeable wait.
const ITERATIONS = 120_000;

export type PinProblem = 'pin_format' | 'pin_mismatch';

/** A PIN is 4 to 6 digits. */
export function checkPinFormat(pin: string): PinProblem | undefined {
  return /^\d{4,6}$/.test(pin) ? undefined : 'pin_format';
}

export async function hashPin(pin: string, salt?: Uint8Array, iterations = ITERATIONS): Promise<PinHash> {
  const saltBytes = salt ?? crypto.getRandomValues(new Uint8Array(16));
  const bits = await derive(pin, saltBytes, iterations);
  return { salt: toHex(saltBytes), hash: toHex(new Uint8Array(bits)), iterations };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const bits = new Uint8Array(await derive(pin, fromHex(stored.salt), stored.iterations));
  const expected = fromHex(stored.hash);
  // Compare every byte, whatever the first difference.
  let diff = bits.length ^ expected.length;
  for (let i = 0; i < Math.min(bits.length, expected.length); i++) diff |= bits[i]! ^ expected[i]!;
  return diff === 0;
}

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256);
}

function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
