// The phone's own UUIDs: v7 carries its millisecond and sorts in the order made, within a
// millisecond and when the clock steps back (events saved together are ordered by id at equal
// times); v4 is random; both are what the event schema and the uuid package agree a UUID is.
import fc from 'fast-check';
import { validate, version } from 'uuid';
import { expect, test } from 'vitest';
import { uuidv4, uuidv7 } from '#shared/uuid';

test('a v7 names its millisecond, version and variant', () => {
  fc.assert(
    // Up to 2029: the next test makes ids in 2030, after these (the order is kept across calls).
    fc.property(fc.integer({ min: 0, max: Date.parse('2029-12-31T00:00:00Z') }), (ms) => {
      const id = uuidv7(ms);
      expect(validate(id) && version(id)).toBe(7);
      expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(ms);
      expect(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)).toBe(true);
    }),
  );
});

test('ids made in one millisecond, and after the clock stepped back, sort in the order made', () => {
  const at = Date.parse('2030-01-01T00:00:00Z');
  const made = [...Array.from({ length: 5000 }, () => uuidv7(at)), uuidv7(at - 60_000), uuidv7(at - 1), uuidv7(at + 10_000)];
  expect([...made].sort()).toEqual(made);
  expect(new Set(made).size).toBe(made.length);
  expect(made.at(-1)!.replace(/-/g, '').slice(0, 12)).toBe((at + 10_000).toString(16).padStart(12, '0'));
});

test('a v4 is random and well formed', () => {
  const ids = Array.from({ length: 1000 }, uuidv4);
  for (const id of ids) expect(validate(id) && version(id)).toBe(4);
  expect(new Set(ids).size).toBe(ids.length);
});
