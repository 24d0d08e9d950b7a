// One queue per SQLite connection. A push transaction awaits between its (synchronous)
// statements, and any statement run on the connection meanwhile would join it: seen before
// the commit, or rolled back with it. So every store method runs through the queue, one at a
// time, in call order.
export interface Serial {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn);
      // The next caller waits for this one to settle, whether it failed or not.
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
  };
}

/** The same methods, each run through the queue. */
export function serialized<T extends object>(part: T, serial: Serial): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(part)) {
    out[name] = typeof value === 'function' ? (...args: unknown[]) => serial.run(async () => (value as (...a: unknown[]) => unknown).apply(part, args)) : value;
  }
  return out as T;
}
