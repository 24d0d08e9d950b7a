// 组织和人员 on the return: mediation committees by type and people's mediators (专职 / 兼职) of a
// town, from the org tree and the accounts. A committee's type follows where it hangs: under a
// village or community it is a 村（居）调委会, under the town or county a 乡镇（街道）调委会,
// unless its name says it is an enterprise's or a sector's (交通事故, 医疗纠纷, 劳动争议…): the
// org tree has no type field, and those committees are named for what they serve.
import { COMMITTEE_TYPES, type MediatorEmployment } from '../codes.ts';

type CommitteeType = (typeof COMMITTEE_TYPES)[number]['code'];

interface Unit {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
}

const SECTOR = /行业|专业|交通|医疗|医患|劳动|物业|婚姻家庭|消费|旅游|知识产权|环境/;
const ENTERPRISE = /公司|企业|集团|厂|矿|学校|医院/;

function committeeTypeOf(unit: Unit, parent: Unit | undefined): CommitteeType {
  if (SECTOR.test(unit.name)) return 'sector';
  if (ENTERPRISE.test(unit.name)) return 'enterprise';
  return parent && (parent.kind === 'village' || parent.kind === 'community' || parent.kind === 'grid') ? 'village' : 'town';
}

export interface Registry {
  committees: Record<CommitteeType, number>;
  committeeTotal: number;
  mediators: { total: number; fullTime: number; partTime: number };
}

/**
 * `units`: the town's subtree; `mediators`: each enabled account holding a mediator grant in it
 * once, with its employment (兼职 when not set: most village mediators are).
 */
export function registryOf(units: readonly Unit[], mediators: readonly { userId: string; employment?: MediatorEmployment | undefined }[]): Registry {
  const byId = new Map(units.map((u) => [u.id, u]));
  const committees = Object.fromEntries(COMMITTEE_TYPES.map((t) => [t.code, 0])) as Record<CommitteeType, number>;
  let committeeTotal = 0;
  for (const u of units) {
    if (u.kind !== 'committee') continue;
    committees[committeeTypeOf(u, u.parentId === null ? undefined : byId.get(u.parentId))]++;
    committeeTotal++;
  }
  const seen = new Set<string>();
  let fullTime = 0;
  for (const m of mediators) {
    if (seen.has(m.userId)) continue;
    seen.add(m.userId);
    if (m.employment === 'full_time') fullTime++;
  }
  return { committees, committeeTotal, mediators: { total: seen.size, fullTime, partTime: seen.size - fullTime } };
}
