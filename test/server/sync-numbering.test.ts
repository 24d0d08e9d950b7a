// Which committee numbers a case, and the server-made ids of case.numbered events.
import { describe, expect, it } from 'vitest';
import { chooseNumberingBody, uuidv7, type OrgRow } from '../../src/server/services/case-number.ts';

const row = (id: string, parentId: string | null, kind: string, name: string, shortName: string | null = null): OrgRow => ({
  id,
  parentId,
  kind,
  name,
  shortName,
});
const town = row('t', null, 'town', '江口镇', '江口');
const village = row('v', 't', 'village', '红星村');
const grid = row('g', 'v', 'grid', '第一网格');
const townCommittee = row('t-c', 't', 'committee', '江口镇人民调解委员会', '江口');
const villageCommittee = row('v-c', 'v', 'committee', '红星村人民调解委员会', '红星');

describe('chooseNumberingBody', () => {
  const chain = [grid, village, town];
  it('takes the committee the phone named', () => {
    expect(chooseNumberingBody(townCommittee, chain, [villageCommittee, townCommittee], 'g')).toEqual({ committeeId: 't-c', shortName: '江口' });
  });
  it('ignores a named committee of another village: the case’s own committee numbers it', () => {
    const other = row('o-c', 'o', 'committee', '青山村人民调解委员会', '青山');
    expect(chooseNumberingBody(other, chain, [villageCommittee, townCommittee], 'g').committeeId).toBe('v-c');
  });
  it('ignores a named unit that is not a committee', () => {
    expect(chooseNumberingBody(village, chain, [villageCommittee, townCommittee], 'g').committeeId).toBe('v-c');
  });
  it('takes the village’s committee before the town’s', () => {
    expect(chooseNumberingBody(undefined, chain, [townCommittee, villageCommittee], 'g')).toEqual({ committeeId: 'v-c', shortName: '红星' });
  });
  it('falls back to the town’s committee, then to the nearest village or town, then to the unit', () => {
    expect(chooseNumberingBody(undefined, chain, [townCommittee], 'g').committeeId).toBe('t-c');
    expect(chooseNumberingBody(undefined, chain, [], 'g')).toEqual({ committeeId: 'v', shortName: '红星村' });
    expect(chooseNumberingBody(undefined, [], [], 'unknown-unit')).toEqual({ committeeId: 'unknown-unit', shortName: 'unknown-unit' });
  });
  it('numbers a case recorded on a committee itself by that committee', () => {
    expect(chooseNumberingBody(undefined, [villageCommittee, village, town], [villageCommittee, townCommittee], 'v-c').committeeId).toBe('v-c');
  });
});

describe('uuidv7', () => {
  it('is a lowercase v7 UUID carrying the time, different each call', () => {
    const ms = Date.parse('2024-12-31T16:00:00Z');
    const ids = Array.from({ length: 200 }, () => uuidv7(ms));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
