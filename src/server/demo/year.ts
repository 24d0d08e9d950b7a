// A plausible year of field records for the demo township, of the reference report's order
// of magnitude (≈505 cases resolved, 90+ outreach sessions, 30,000+ audience, monthly sweeps
// in most grids), grouped by the user who would have recorded them. Seeded: same every run.
import type { CAMPAIGN_NODES, OUTREACH_THEMES } from '#shared/codes';
import type { DomainEvent } from '#shared/events';
import { COURT_STATION_ID, personName, POLICE_STATION_ID, TOWN_COMMITTEE_ID, TOWN_ID, type DemoTownship } from './township.ts';
import { createRandom, type Random } from './random.ts';
import { addMajorAndTypical, type DemoAlert } from './major.ts';

const DAY_MS = 86_400_000;

type Theme = (typeof OUTREACH_THEMES)[number]['code'];
type Campaign = (typeof CAMPAIGN_NODES)[number]['code'];

const TYPE_WEIGHTS = {
  '01': 20,
  '02': 25,
  '03': 10,
  '04': 8,
  '05': 4,
  '06': 10,
  '07': 10,
  '08': 2,
  '09': 1,
  '10': 4,
  '11': 1,
  '12': 1,
  '13': 3,
  '14': 0.5,
  '99': 0.5,
} as const;
const SUBTYPES: Partial<Record<string, readonly string[]>> = {
  '01': ['01-support', '01-inheritance', '01-divorce', '01'],
  '04': ['04-private-loan', '04'],
  '07': ['07-land-contract', '07'],
  '10': ['10-migrant-wages', '10-other'],
};
const SUMMARIES: Record<string, readonly string[]> = {
  '01': ['子女对老人赡养费分担有争议', '兄弟间因父母遗留房屋继承发生纠纷', '夫妻因家庭琐事长期争吵，一方要求离婚'],
  '02': ['邻居因排水沟堵塞、污水流入院坝发生争执', '相邻两户因修建围墙占道产生矛盾', '邻里因噪音和家禽散养发生口角'],
  '03': ['两户因宅基地界址不清发生争议', '建房滴水檐越界引发纠纷'],
  '04': ['民间借款到期未归还，双方对利息有争议', '农资买卖合同货款拖欠'],
  '05': ['合伙养殖收益分配发生争议', '农家乐经营中与供货方发生纠纷'],
  '06': ['家犬咬伤邻居，双方对医疗费赔偿有争议', '施工损坏邻居房屋，赔偿金额未谈拢'],
  '07': ['承包地边界及林木权属发生争议', '山林界址不清，双方均主张权属'],
  '08': ['道路建设占地补偿款分配发生争议'],
  '09': ['养殖场异味影响周边住户'],
  '10': ['务工人员工资被拖欠', '工地受伤后工伤待遇发生争议'],
  '11': ['购买的农机质量问题退换争议'],
  '12': ['就诊后对诊疗费用及结果有异议'],
  '13': ['摩托车与行人相撞，赔偿未达成一致'],
  '14': ['小区物业费收取与服务质量争议'],
  '99': ['村务公开事项引发群众意见'],
};
const CAMPAIGN_DATES: readonly { campaign: Campaign; days: readonly string[]; title: string; themes: readonly Theme[] }[] = [
  { campaign: 'dec4', days: ['2024-12-04'], title: '“12·4”国家宪法日集中宣传', themes: ['constitution'] },
  {
    campaign: 'constitution_week',
    days: ['2024-12-05', '2024-12-06', '2024-12-09', '2024-12-10'],
    title: '宪法宣传周进村宣讲',
    themes: ['constitution', 'xi_rule_of_law'],
  },
  {
    campaign: 'civil_code_month',
    days: ['2024-05-08', '2024-05-15', '2024-05-21', '2024-05-28'],
    title: '民法典宣传月“美好生活·民法典相伴”',
    themes: ['civil_code'],
  },
  { campaign: 'anti_drug_day', days: ['2024-06-26'], title: '“6·26”国际禁毒日宣传', themes: ['anti_drug'] },
  { campaign: 'national_security', days: ['2024-04-15'], title: '全民国家安全教育日宣传', themes: ['other'] },
  { campaign: 'women_day', days: ['2024-03-08'], title: '妇女权益保障法宣讲', themes: ['marriage'] },
];
const ORDINARY_OUTREACH = [
  { title: '防范电信网络诈骗宣讲', themes: ['anti_fraud'] },
  { title: '赶场天法律咨询', themes: ['civil_code', 'land'] },
  { title: '院坝会学法用法', themes: ['civil_code', 'marriage'] },
  { title: '安全生产法进企业', themes: ['safety'] },
  { title: '未成年人保护法进校园', themes: ['minors'] },
  { title: '老年人防骗和权益保护', themes: ['elderly', 'anti_fraud'] },
  { title: '农民工工资支付条例宣讲', themes: ['labour'] },
] as const satisfies readonly { title: string; themes: readonly Theme[] }[];

function dateOf(dayOfYear: number): string {
  return new Date(Date.UTC(2024, 0, 1) + dayOfYear * DAY_MS).toISOString().slice(0, 10);
}

function at(date: string, hour: number, minute: number): string {
  return `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function phone(rnd: Random): string {
  return `1${rnd.pick(['3', '5', '7', '8', '9'])}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}`;
}

export interface DemoYear {
  /** Events by the username that records them. */
  byAuthor: Map<string, DomainEvent[]>;
  counts: { cases: number; outreach: number; sweeps: number; events: number };
  /** The 重大矛盾纠纷 alerts the year raises (demo/major.ts), oldest first. */
  alerts: DemoAlert[];
}

export function buildYear(t: DemoTownship, seed = 2024): DemoYear {
  const rnd = createRandom(seed * 7919);
  const byAuthor = new Map<string, DomainEvent[]>();
  const seqOf = new Map<string, number>();
  // 结果标记 draw from their own sequence, so adding them left every other demo record as it was.
  const flagRnd = createRandom(seed * 104_729);
  const emit = (author: string, e: Omit<DomainEvent, 'id' | 'deviceId' | 'deviceSeq' | 'recordedAt'>, r: Random = rnd) => {
    const seq = (seqOf.get(author) ?? 0) + 1;
    seqOf.set(author, seq);
    const ms = Date.parse(e.occurredAt);
    const event = {
      ...e,
      id: r.uuid(ms),
      deviceId: `demo-${author}`,
      deviceSeq: seq,
      recordedAt: new Date(ms + r.int(1, 90) * 60_000).toISOString(),
    } as DomainEvent;
    const list = byAuthor.get(author) ?? [];
    list.push(event);
    byAuthor.set(author, list);
    return event;
  };
  const counts = { cases: 0, outreach: 0, sweeps: 0, events: 0 };

  // Cases: ≈575 opened over the year → ≈505 resolved in it.
  for (let i = 0; i < 575; i++) {
    const townLevel = rnd.next() < 0.08;
    const place = rnd.pick(t.places);
    const grids = t.gridsOf.get(place.id) ?? [];
    const orgUnitId = townLevel ? TOWN_ID : rnd.next() < 0.75 && grids.length ? rnd.pick(grids).id : place.id;
    const author = townLevel ? (t.mediatorOf.get(TOWN_ID) ?? '') : (t.mediatorOf.get(place.id) ?? '');
    const committeeId = townLevel ? TOWN_COMMITTEE_ID : t.committeeOf.get(place.id)?.id;
    const type = rnd.weighted(TYPE_WEIGHTS);
    const subtype = rnd.pick(SUBTYPES[type] ?? [type]);
    const source = rnd.weighted({ self_initiated: 50, application: 38, referral: 12 });
    const referrer = source === 'referral' ? rnd.weighted({ court: 5, police: 5, petition: 2 }) : undefined;
    const opened = dateOf(rnd.int(0, 352));
    const people = rnd.int(2, 6);
    const parties = Array.from({ length: Math.min(people, 3) }, (_, k) => ({
      role: k === 0 ? ('applicant' as const) : ('respondent' as const),
      name: personName(rnd),
      phone: phone(rnd),
      sex: rnd.pick(['male', 'female'] as const),
      age: rnd.int(22, 80),
    }));
    const withMoney = ['03', '04', '05', '06', '08', '10', '13'].includes(type);
    const subjectId = rnd.uuid(Date.parse(at(opened, 9, 0)));
    const mediators = [personName(rnd)];
    emit(author, {
      type: 'case.opened',
      subjectId,
      orgUnitId,
      occurredAt: at(opened, rnd.int(8, 17), rnd.int(0, 59)),
      data: {
        disputeType: type,
        ...(subtype !== type ? { disputeSubtype: subtype } : {}),
        source,
        ...(referrer ? { referrer } : {}),
        ...(referrer === 'court' ? { stationId: COURT_STATION_ID } : referrer === 'police' ? { stationId: POLICE_STATION_ID } : {}),
        ...(committeeId ? { committeeId } : {}),
        summary: rnd.pick(SUMMARIES[type] ?? ['其他矛盾纠纷']),
        parties,
        peopleInvolved: people,
        ...(withMoney ? { amountInvolved: rnd.int(10, 800) * 100 } : {}),
        mediators,
      },
    } as Omit<DomainEvent, 'id' | 'deviceId' | 'deviceSeq' | 'recordedAt'>);
    counts.cases++;
    const sessions = rnd.int(1, 2);
    let day = opened;
    for (let s = 0; s < sessions; s++) {
      day = addDays(day, rnd.int(1, 8));
      emit(author, {
        type: 'case.session',
        subjectId,
        orgUnitId,
        occurredAt: at(day, rnd.int(9, 17), 0),
        data: { content: '分别听取双方陈述，释明相关法律规定，引导双方协商。', mediators },
      });
    }
    if (rnd.next() < 0.03) continue; // still being mediated
    const result = rnd.weighted({ success: 92, failure: 5, terminated: 3 });
    const agreementForm = result === 'success' ? rnd.weighted({ written: 70, oral: 30 }) : 'none';
    const closed = addDays(day, rnd.int(0, 10));
    emit(author, {
      type: 'case.closed',
      subjectId,
      orgUnitId,
      occurredAt: at(closed, rnd.int(9, 17), 30),
      data: { result, agreementForm, ...(result === 'success' ? { terms: '双方自愿达成协议，按约定期限履行。' } : {}) },
    });
    // A few closures say what mediation prevented; a rarer one learns months later that a court
    // set the agreement aside (dated then, so it counts in that month's return).
    const prevented =
      result === 'success' && flagRnd.next() < 0.07
        ? [flagRnd.weighted({ prevented_criminal: 5, prevented_mass_petition: 3, prevented_mass_incident: 1, prevented_suicide: 1 })]
        : [];
    if (prevented.length > 0) {
      emit(
        author,
        { type: 'case.outcomes', subjectId, orgUnitId, occurredAt: at(closed, 17, 45), data: { flags: prevented } } as Omit<
          DomainEvent,
          'id' | 'deviceId' | 'deviceSeq' | 'recordedAt'
        >,
        flagRnd,
      );
    }
    const learned = addDays(closed, flagRnd.int(60, 150));
    if (result === 'success' && flagRnd.next() < 0.008 && learned <= '2024-12-31') {
      emit(
        author,
        {
          type: 'case.outcomes',
          subjectId,
          orgUnitId,
          occurredAt: at(learned, 11, 0),
          data: { flags: [...prevented, 'agreement_overturned'], note: '法院判决变更调解协议' },
        } as Omit<DomainEvent, 'id' | 'deviceId' | 'deviceSeq' | 'recordedAt'>,
        flagRnd,
      );
    }
    if (result === 'success') {
      const performed = addDays(closed, rnd.int(3, 20));
      emit(author, {
        type: 'case.performed',
        subjectId,
        orgUnitId,
        occurredAt: at(performed, 10, 0),
        data: { status: rnd.next() < 0.96 ? 'full' : 'partial' },
      });
      if (rnd.next() < 0.6) {
        emit(author, {
          type: 'case.followup',
          subjectId,
          orgUnitId,
          occurredAt: at(addDays(performed, rnd.int(3, 15)), 15, 0),
          data: { mode: rnd.pick(['visit', 'phone', 'wechat'] as const), satisfaction: 'satisfied', performanceStatus: 'full' },
        });
      }
    }
  }

  // Outreach: campaign sessions on their days, ordinary ones through the year (≈96 in all).
  const outreachAt = (date: string, title: string, themes: readonly Theme[], campaign?: Campaign) => {
    const townLevel = rnd.next() < 0.25;
    const place = rnd.pick(t.places);
    const grids = t.gridsOf.get(place.id) ?? [];
    const byGrid = !townLevel && rnd.next() < 0.4 && grids.length > 0;
    const grid = byGrid ? rnd.pick(grids) : undefined;
    const author = townLevel ? (t.mediatorOf.get(TOWN_ID) ?? '') : grid ? (t.gridWorkerOf.get(grid.id) ?? '') : (t.mediatorOf.get(place.id) ?? '');
    const orgUnitId = townLevel ? TOWN_ID : (grid?.id ?? place.id);
    const audience = townLevel ? rnd.int(300, 900) : rnd.int(60, 450);
    emit(author, {
      type: 'outreach.recorded',
      subjectId: rnd.uuid(Date.parse(at(date, 9, 0))),
      orgUnitId,
      occurredAt: at(date, rnd.int(9, 15), 0),
      data: {
        title: townLevel ? `江口镇${title}` : `${title}`,
        form: rnd.weighted({ lecture: 40, courtyard: 20, market: 20, consultation: 10, case_explained: 10 }),
        audience,
        themes: [...themes],
        ...(campaign ? { campaign } : {}),
        audienceType: rnd.pick(['villagers', 'students', 'elderly', 'mixed'] as const),
        materials: rnd.int(50, 500),
        consultations: rnd.int(5, 60),
        speakers: [personName(rnd)],
        place: townLevel ? '江口镇政府广场' : `${t.places.find((p) => p.id === place.id)?.name ?? ''}便民服务中心`,
      },
    } as Omit<DomainEvent, 'id' | 'deviceId' | 'deviceSeq' | 'recordedAt'>);
    counts.outreach++;
  };
  for (const c of CAMPAIGN_DATES) for (const day of c.days) for (let k = 0; k < rnd.int(2, 4); k++) outreachAt(day, c.title, c.themes, c.campaign);
  while (counts.outreach < 96) {
    const o = rnd.pick(ORDINARY_OUTREACH);
    outreachAt(dateOf(rnd.int(0, 364)), o.title, o.themes);
  }

  // Sweeps: each grid reports about monthly; a few grids miss a month now and then.
  for (const place of t.places) {
    for (const grid of t.gridsOf.get(place.id) ?? []) {
      const author = t.gridWorkerOf.get(grid.id) ?? '';
      const diligent = rnd.next() < 0.85;
      for (let month = 1; month <= 12; month++) {
        if (!diligent && rnd.next() < 0.35) continue;
        const date = `2024-${String(month).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
        const found = rnd.next() < 0.8 ? 0 : rnd.int(1, 3);
        emit(author, {
          type: 'sweep.recorded',
          subjectId: rnd.uuid(Date.parse(at(date, 10, 0))),
          orgUnitId: grid.id,
          occurredAt: at(date, rnd.int(9, 17), rnd.int(0, 59)),
          data: { households: rnd.int(40, 120), disputesFound: found, zeroReport: found === 0 },
        });
        counts.sweeps++;
      }
    }
  }
  const alerts = addMajorAndTypical(byAuthor, seed);
  counts.events = [...byAuthor.values()].reduce((s, l) => s + l.length, 0);
  return { byAuthor, counts, alerts };
}

/** The office ledgers of the demo year (what 镇综治办 would have entered for the report). */
export function buildLedgers(seed = 2024): { date: string; entry: Record<string, unknown> }[] {
  const rnd = createRandom(seed * 104_729);
  const out: { date: string; entry: Record<string, unknown> }[] = [
    { date: '2024-01-15', entry: { kind: 'enforcement_list', statutory: 27, empowered: 50, entrusted: 43 } },
    { date: '2024-02-20', entry: { kind: 'emergency_team', groups: 6, townMembers: 52, villageMembers: 1072 } },
  ];
  const monthly = (day: number) => Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  for (const date of monthly(25)) {
    out.push({ date, entry: { kind: 'disclosure', count: rnd.int(3, 7) } });
    out.push({ date, entry: { kind: 'adviser', activity: 'meeting', count: rnd.int(1, 2) } });
    out.push({ date, entry: { kind: 'adviser', activity: 'contract_review', count: rnd.int(1, 5) } });
  }
  for (const date of ['2024-03-28', '2024-06-27', '2024-09-26', '2024-12-26'])
    out.push({ date, entry: { kind: 'study', form: 'central_group', count: 1, title: '习近平法治思想专题学习' } });
  for (const date of ['2024-05-10', '2024-11-08']) out.push({ date, entry: { kind: 'adviser', activity: 'opinion', count: 1 } });
  out.push({ date: '2024-08-16', entry: { kind: 'adviser', activity: 'major_decision', count: 1 } });
  for (let i = 0; i < 4; i++)
    out.push({
      date: `2024-${String(2 + i * 3).padStart(2, '0')}-12`,
      entry: { kind: 'admin_case', caseType: 'reconsideration', title: `行政复议案件${i + 1}`, performed: true },
    });
  for (let i = 0; i < 3; i++)
    out.push({
      date: `2024-${String(3 + i * 3).padStart(2, '0')}-18`,
      entry: { kind: 'admin_case', caseType: 'litigation', title: `行政诉讼案件${i + 1}`, appeared: true },
    });
  out.push({ date: '2024-07-22', entry: { kind: 'enforcement_decision', decision: 'no_penalty', count: 2 } });
  for (const date of ['2024-04-18', '2024-06-13', '2024-10-17']) out.push({ date, entry: { kind: 'emergency_drill', count: 1 } });
  return out;
}
