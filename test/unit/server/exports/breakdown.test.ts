// A breakdown's rows add up to its total whatever the counts hold: unknown codes and blank
// fields get rows of their own, and 合计 is the total.
import { describe, expect, it } from 'vitest';
import { breakdownRows, ownLevelLabel } from '../../../../src/server/exports/sheets.ts';

const KNOWN = [
  ['a', '甲'],
  ['b', '乙'],
] as const;

describe('breakdownRows', () => {
  it('lists the known codes in order, zeros included, then 合计', () => {
    expect(breakdownRows({ b: 2 }, KNOWN, 2)).toEqual([
      ['甲', 0],
      ['乙', 2],
      ['合计', 2],
    ]);
  });

  it('puts unknown codes under 未注明 and what no row holds under 未填写', () => {
    const rows = breakdownRows({ a: 1, zz: 2 }, KNOWN, 5);
    expect(rows).toEqual([
      ['甲', 1],
      ['乙', 0],
      ['未注明', 2],
      ['未填写', 2],
      ['合计', 5],
    ]);
    expect(rows.slice(0, -1).reduce((n, r) => n + Number(r[1]), 0)).toBe(5);
  });

  it('names the own-level row by the level', () => {
    expect([ownLevelLabel('town'), ownLevelLabel('county'), ownLevelLabel('village')]).toEqual(['镇本级', '县本级', '本级']);
  });
});
