// UUIDs as the log uses them (RFC 9562): v7, time-ordered, for events and subjects; v4 for a
// device. On the phone's path to its first form, so a few lines over crypto.getRandomValues
// rather than a package (which weighed 1.4 KB gzip there).

let lastMs = -1;
let counter = 0;

function formatted(b: Uint8Array): string {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A v7 UUID for `now` (ms). Ids made in one millisecond, or after the clock stepped back, still
 * sort in the order they were made: a 12-bit counter in rand_a, started at a random value in its
 * lower half, and past its end the timestamp moves on by one. Events saved together are ordered
 * by id where their times are equal (#shared/fold/order).
 */
export function uuidv7(now: number = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  if (now > lastMs) {
    lastMs = now;
    counter = ((b[6]! & 0x07) << 8) | b[7]!;
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  for (let i = 0; i < 6; i++) b[i] = Math.floor(lastMs / 2 ** (8 * (5 - i))) % 256;
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return formatted(b);
}

/** A random (v4) UUID. */
export function uuidv4(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return formatted(b);
}
