// Times are shown in the phone's local time: a UTC instant (a server-written event) is not shown as UTC.
import { afterAll, beforeAll, expect, test } from 'vitest';

let previous: string | undefined;
beforeAll(() => {
  previous = process.env.TZ;
  // The deployment's zone; Node reads TZ again when it changes.
  process.env.TZ = 'Asia/Shanghai';
});
afterAll(() => {
  if (previous === undefined) delete process.env.TZ;
  else process.env.TZ = previous;
});

test('a UTC instant is shown in local time; one written with an offset keeps its own wall clock', async () => {
  const { dateOf, dateTimeOf } = await import('../../../src/app/format.ts');
  // 16:30 UTC is 00:30 the next day in 江口.
  expect(dateTimeOf('2024-05-01T16:30:00.000Z')).toBe('2024-05-02 00:30');
  expect(dateOf('2024-05-01T16:30:00.000Z')).toBe('2024-05-02');
  expect(dateTimeOf('2024-05-01T09:15:00.000+08:00')).toBe('2024-05-01 09:15');
  expect(dateOf(undefined)).toBe('');
});
