// A synthetic township for `npm run demo`, shaped like 江口镇 (云阳县): 32 villages and 4
// communities, 4–5 grids each (≈150), the town's mediation committee, one committee per
// village/community, the stations at the court and the police station; users in every role.
// Names are made up; everything is derived from a seeded PRNG, so two runs are identical.
import type { Role } from '#shared/codes';
import type { OrgUnit, StoredRoleGrant } from '../storage/account-store.ts';
import { createRandom, type Random } from './random.ts';

const COUNTY_ID = '500235';
export const TOWN_ID = '500235110';
export const TOWN_COMMITTEE_ID = `${TOWN_ID}-twh`;
export const COURT_STATION_ID = `${TOWN_ID}-fating`;
export const POLICE_STATION_ID = `${TOWN_ID}-paichusuo`;

const VILLAGE_NAMES = [
  '向阳',
  '帆水',
  '千丘',
  '盛堡',
  '江口',
  '龙洞',
  '石门',
  '桂花',
  '青山',
  '柏树',
  '双河',
  '梨园',
  '红岩',
  '新华',
  '永安',
  '长乐',
  '金竹',
  '大坪',
  '团堡',
  '凤凰',
  '水井',
  '桃园',
  '枫香',
  '马鞍',
  '黄桷',
  '三合',
  '庙垭',
  '天池',
  '平安',
  '兴隆',
  '复兴',
  '云峰',
];
const COMMUNITY_NAMES = ['江口', '滨江', '盛堡', '帆水'];

export interface DemoUser {
  username: string;
  displayName: string;
  roles: StoredRoleGrant[];
  /** What the user is, in Chinese, for the printed list. */
  title: string;
}

export interface DemoTownship {
  units: OrgUnit[];
  /** Villages and communities, in order. */
  places: OrgUnit[];
  gridsOf: Map<string, OrgUnit[]>;
  committeeOf: Map<string, OrgUnit>;
  users: DemoUser[];
  /** The user who records each grid's sweeps and outreach, and each place's cases. */
  gridWorkerOf: Map<string, string>;
  mediatorOf: Map<string, string>;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛';
const GIVEN = '建国明华丽娟军平芳勇静敏强磊洋艳杰涛超秀英霞刚桂兰玉梅志红文斌海燕波辉鹏飞宇晨欣怡婷雪琴春兵云龙';

export function personName(rnd: Random): string {
  const surname = rnd.pick([...SURNAMES]);
  const given = Array.from({ length: rnd.int(1, 2) }, () => rnd.pick([...GIVEN])).join('');
  return surname + given;
}

const unit = (
  id: string,
  parentId: string | null,
  kind: OrgUnit['kind'],
  name: string,
  shortName: string | null = null,
  code: string | null = null,
): OrgUnit => ({
  id,
  parentId,
  kind,
  name,
  code,
  shortName,
});

const grant = (role: Role, orgUnitId: string | null): StoredRoleGrant => ({ role, orgUnitId });

export function buildTownship(seed = 2024): DemoTownship {
  const rnd = createRandom(seed);
  const units: OrgUnit[] = [
    unit(COUNTY_ID, null, 'county', '云阳县', '云阳', COUNTY_ID),
    unit(TOWN_ID, COUNTY_ID, 'town', '江口镇', '江口', TOWN_ID),
    unit(TOWN_COMMITTEE_ID, TOWN_ID, 'committee', '江口镇人民调解委员会', '江口'),
    unit(COURT_STATION_ID, TOWN_ID, 'station', '驻江口法庭调解室', '驻法庭'),
    unit(POLICE_STATION_ID, TOWN_ID, 'station', '驻江口派出所调解室', '驻所'),
  ];
  const places: OrgUnit[] = [];
  const gridsOf = new Map<string, OrgUnit[]>();
  const committeeOf = new Map<string, OrgUnit>();
  const all = [...VILLAGE_NAMES.map((n) => [n, 'village'] as const), ...COMMUNITY_NAMES.map((n) => [n, 'community'] as const)];
  all.forEach(([short, kind], i) => {
    const id = `${TOWN_ID}${kind === 'village' ? 2 : 0}${String(i + 1).padStart(2, '0')}`;
    const name = kind === 'village' ? `${short}村` : `${short}社区`;
    const place = unit(id, TOWN_ID, kind, name, short, id);
    places.push(place);
    units.push(place);
    const committee = unit(`${id}-twh`, id, 'committee', `${name}人民调解委员会`, kind === 'village' ? `${short}村` : `${short}社区`);
    committeeOf.set(id, committee);
    units.push(committee);
    // ≈150 grids: 4 or 5 per place, more in communities (denser housing).
    const count = kind === 'community' ? 5 : rnd.next() < 0.15 ? 5 : 4;
    const grids = Array.from({ length: count }, (_, g) => unit(`${id}-${String(g + 1).padStart(2, '0')}`, id, 'grid', `${name}第${'一二三四五六'[g]}网格`));
    gridsOf.set(id, grids);
    units.push(...grids);
  });

  const users: DemoUser[] = [
    { username: 'demo-admin', displayName: '系统管理员', roles: [grant('admin', null)], title: '管理员' },
    { username: 'zongzhiban', displayName: personName(rnd), roles: [grant('office', TOWN_ID)], title: '镇综治办（机关）' },
    {
      username: 'sifasuo',
      displayName: personName(rnd),
      roles: [grant('office', TOWN_ID), grant('mediator', TOWN_COMMITTEE_ID)],
      title: '司法所（机关兼镇调委会调解员）',
    },
    { username: 'tiaojie-zhen', displayName: personName(rnd), roles: [grant('mediator', TOWN_COMMITTEE_ID)], title: '镇调委会调解员' },
  ];
  const gridWorkerOf = new Map<string, string>();
  const mediatorOf = new Map<string, string>([[TOWN_ID, 'tiaojie-zhen']]);
  places.forEach((place, i) => {
    const username = `tj${String(i + 1).padStart(2, '0')}`;
    users.push({ username, displayName: personName(rnd), roles: [grant('mediator', place.id)], title: `${place.name}调委会调解员` });
    mediatorOf.set(place.id, username);
    for (const [g, grid] of (gridsOf.get(place.id) ?? []).entries()) {
      const worker = `wg${String(i + 1).padStart(2, '0')}${g + 1}`;
      users.push({ username: worker, displayName: personName(rnd), roles: [grant('grid_worker', grid.id)], title: `${grid.name}网格员` });
      gridWorkerOf.set(grid.id, worker);
    }
  });
  return { units, places, gridsOf, committeeOf, users, gridWorkerOf, mediatorOf };
}
