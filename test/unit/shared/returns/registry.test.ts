// 组织和人员 on the return: committees by type from where they hang and what they are named for,
// mediators once each, 专职 only when set so.
import { describe, expect, test } from 'vitest';
import { registryOf } from '#shared/returns/registry';

const UNITS = [
  { id: 'JK', parentId: null, kind: 'town', name: '江口镇' },
  { id: 'V1', parentId: 'JK', kind: 'village', name: '向阳村' },
  { id: 'C1', parentId: 'V1', kind: 'committee', name: '向阳村人民调解委员会' },
  { id: 'CM', parentId: 'JK', kind: 'community', name: '场镇社区' },
  { id: 'C2', parentId: 'CM', kind: 'committee', name: '场镇社区人民调解委员会' },
  { id: 'TC', parentId: 'JK', kind: 'committee', name: '江口镇人民调解委员会' },
  { id: 'TR', parentId: 'JK', kind: 'committee', name: '江口镇道路交通事故纠纷人民调解委员会' },
  { id: 'EN', parentId: 'JK', kind: 'committee', name: '江口水泥厂人民调解委员会' },
  { id: 'S1', parentId: 'TC', kind: 'station', name: '驻江口法庭调解室' },
];

describe('registryOf', () => {
  test('committees by type; a station is a room of a committee, not one', () => {
    const r = registryOf(UNITS, []);
    expect(r.committees).toEqual({ village: 2, town: 1, enterprise: 1, sector: 1 });
    expect(r.committeeTotal).toBe(5);
  });

  test('mediators counted once each; 专职 when set so, else 兼职', () => {
    const r = registryOf(UNITS, [
      { userId: 'a', employment: 'full_time' },
      { userId: 'a', employment: 'full_time' },
      { userId: 'b' },
      { userId: 'c', employment: 'part_time' },
    ]);
    expect(r.mediators).toEqual({ total: 3, fullTime: 1, partTime: 2 });
  });
});
