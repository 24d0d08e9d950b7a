// The demo year's 重大矛盾纠纷 flags, 典型案例 and 以案定补 grade proposals, added to the cases
// buildYear made (same authors, their devices' next sequence numbers) from a generator of
// their own, so the rest of the year stays exactly as it was. Deterministic like the year.
import type { DomainEvent, EventData } from '#shared/events';
import { createRandom } from './random.ts';

const MAJOR_TYPES = new Set(['03', '07', '08', '10']);
const MEASURES = [
  '村调委会第一时间到场分开双方，派出所民警到场维持秩序，镇综治办派员参与调处。',
  '已召集村民小组长和双方代表座谈，安排专人盯守，防止矛盾激化。',
  '已向镇党委分管领导报告，联合司法所、派出所开展联合调处。',
];
const STORIES: readonly { type: string; title: string; story: string }[] = [
  {
    type: '02',
    title: '一条排水沟的“和解之路”',
    story:
      '张某（化名）与邻居李某（化名）因院坝排水沟堵塞多次争吵。调解员先后三次上门，实地查看沟渠走向，释明相邻关系的法律规定，最终双方同意共同出资疏通并加装盖板，握手言和。',
  },
  {
    type: '01',
    title: '赡养老人不能“算细账”',
    story: '王某（化名）三兄妹对老人赡养费分担争执不下。调解员邀请村里德高望重的老党员共同调解，以情说理、以法明责，兄妹三人签订赡养协议，按月足额给付。',
  },
  {
    type: '07',
    title: '山林界址纠纷化干戈为玉帛',
    story:
      '两个村民小组因山林界址不清各执一词。镇村两级调委会联合自然资源部门现场勘界，对照林权证逐一核实，重新埋设界桩，双方签订协议，历时十余年的纠纷得到化解。',
  },
  {
    type: '10',
    title: '农民工讨薪“一站式”化解',
    story: '十余名务工人员被拖欠工资。驻派出所调解室联合劳动保障所迅速介入，约谈包工头和项目方，当场达成分期支付协议，一个月内全部兑现。',
  },
  {
    type: '03',
    title: '宅基地“一尺之争”的调解',
    story: '刘某（化名）建房时滴水檐越界引发纠纷。调解员依据宅基地审批资料现场丈量，引导双方互谅互让，约定改建檐口并补偿损失，邻里关系恢复和睦。',
  },
];

interface Opened {
  author: string;
  event: Extract<DomainEvent, { type: 'case.opened' }>;
  closed?: Extract<DomainEvent, { type: 'case.closed' }>;
}

export interface DemoAlert {
  subjectId: string;
  raisedEventId: string;
}

const later = (iso: string, minutes: number) => {
  const wall = new Date(Date.parse(iso) + 8 * 3_600_000 + minutes * 60_000).toISOString().slice(0, 19);
  return `${wall}+08:00`;
};

/** Appends the flags, typical stories and grade proposals; returns the alerts they raise, oldest first. */
export function addMajorAndTypical(byAuthor: Map<string, DomainEvent[]>, seed = 2024): DemoAlert[] {
  const rnd = createRandom(seed * 31_337);
  const cases: Opened[] = [];
  const closures = new Map<string, Extract<DomainEvent, { type: 'case.closed' }>>();
  for (const [author, events] of byAuthor) {
    for (const e of events) {
      if (e.type === 'case.opened') cases.push({ author, event: e });
      if (e.type === 'case.closed') closures.set(e.subjectId, e);
    }
  }
  for (const c of cases) {
    const closed = closures.get(c.event.subjectId);
    if (closed) c.closed = closed;
  }
  const append = (author: string, e: Omit<DomainEvent, 'id' | 'deviceId' | 'deviceSeq' | 'recordedAt'>) => {
    const list = byAuthor.get(author)!;
    const ms = Date.parse(e.occurredAt);
    const event = {
      ...e,
      id: rnd.uuid(ms),
      deviceId: `demo-${author}`,
      deviceSeq: list.length + 1,
      recordedAt: new Date(ms + rnd.int(1, 20) * 60_000).toISOString(),
    } as DomainEvent;
    list.push(event);
    return event;
  };
  const about = (c: Opened, type: DomainEvent['type'], occurredAt: string, data: unknown) =>
    append(c.author, { type, subjectId: c.event.subjectId, orgUnitId: c.event.orgUnitId, occurredAt, data } as Omit<
      DomainEvent,
      'id' | 'deviceId' | 'deviceSeq' | 'recordedAt'
    >);

  const alerts: DemoAlert[] = [];
  const major = cases.filter((c) => MAJOR_TYPES.has(c.event.data.disputeType) && (c.event.data.peopleInvolved ?? 0) >= 5).slice(0, 6);
  major.forEach((c, i) => {
    const data: EventData<'case.major'> = {
      flagged: true,
      criteria:
        c.event.data.disputeType === '10'
          ? ['many_people', 'sensitive']
          : rnd.next() < 0.5
            ? ['many_people', 'violence_risk']
            : ['many_people', 'petition_risk'],
      risk: '涉及人数较多，双方情绪激动，有聚集上访的苗头。',
      measures: MEASURES[i % MEASURES.length]!,
      leader: '分管政法副镇长',
      responsibleUnit: '镇综治办',
    };
    const flag = about(c, 'case.major', later(c.event.occurredAt, 30), data);
    alerts.push({ subjectId: c.event.subjectId, raisedEventId: flag.id });
    about(c, 'case.grade_proposed', later(c.event.occurredAt, 40), { grade: 'major', note: '重大矛盾纠纷' });
    // One of them was handed to the county's 信访 office.
    if (i === 2) about(c, 'case.major', later(c.event.occurredAt, 60 * 24 * 3), { ...data, transferredTo: '县信访办' });
  });

  const resolved = cases.filter((c) => c.closed?.data.result === 'success' && c.closed.occurredAt < '2024-12-01');
  STORIES.forEach((s, i) => {
    // A case of the story's kind, spread over the year.
    const ofType = resolved.filter((c) => c.event.data.disputeType === s.type);
    const c = ofType[Math.floor(((i + 0.5) * ofType.length) / STORIES.length)];
    if (!c?.closed) return;
    about(c, 'case.typical', later(c.closed.occurredAt, 60 * 24 * 5), { typical: true, title: s.title, story: s.story });
  });
  for (const c of resolved.filter((_, i) => i % 25 === 3))
    about(c, 'case.grade_proposed', later(c.closed!.occurredAt, 60), { grade: 'difficult', note: '多次调解' });
  return alerts;
}
