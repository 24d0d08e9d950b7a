// Text PostgreSQL cannot hold (U+0000, a lone surrogate) is found in any string or key of a
// pushed event; the engine's well-formedness scan must agree with the definition written out.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { holdsUnstorableText, isStorableText } from '../../../../src/server/http/body.ts';

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const pieces = fc.oneof(fc.constantFrom('\u0000', '\ud800', '\udc00', '\ud83d\ude00', '调解', 'a', ''), fc.string({ maxLength: 3, unit: 'binary' }));
const text = fc.array(pieces, { maxLength: 6 }).map((xs) => xs.join(''));

describe('unstorable text', () => {
  test('agrees with the written definition on any string', () => {
    fc.assert(
      fc.property(text, (s) => isStorableText(s) === !UNSTORABLE.test(s)),
      { numRuns: 3000 },
    );
  });

  test('is found in a key or a value at any depth, and only there', () => {
    expect(holdsUnstorableText({ data: { parties: [{ name: '张\u0000三' }] } })).toBe(true);
    expect(holdsUnstorableText({ data: { ['\ud800']: 1 } })).toBe(true);
    expect(holdsUnstorableText(['ok', ['\udc00']])).toBe(true);
    expect(holdsUnstorableText({ data: { parties: [{ name: '张三 😀', age: 56 }], ok: true, none: null } })).toBe(false);
  });
});
