// Office ledgers through the API on every store: entries become events in the log, the annual
// report takes its office figures from them (placeholders where none), voiding takes an entry
// out, and neither phones nor field roles can write them.
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateOf } from '#shared/time';
import { paragraphText, type AnnualReport } from '../../src/server/reports/model.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { G1, push, seedTownship, TOWN, type Township } from './support/sync-fixtures.ts';

const ENTRIES: { date: string; entry: Record<string, unknown> }[] = [
  { date: '2024-03-01', entry: { kind: 'adviser', activity: 'meeting', count: 20 } },
  { date: '2024-04-01', entry: { kind: 'adviser', activity: 'opinion', count: 2 } },
  { date: '2024-05-01', entry: { kind: 'adviser', activity: 'contract_review', count: 35 } },
  { date: '2024-06-01', entry: { kind: 'adviser', activity: 'major_decision', count: 1 } },
  ...Array.from({ length: 4 }, (_, i) => ({
    date: `2024-0${i + 1}-15`,
    entry: { kind: 'admin_case', caseType: 'reconsideration', title: `复议案件${i + 1}`, performed: true },
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    date: `2024-0${i + 5}-15`,
    entry: { kind: 'admin_case', caseType: 'litigation', title: `诉讼案件${i + 1}`, appeared: true },
  })),
  { date: '2024-01-10', entry: { kind: 'enforcement_list', statutory: 20, empowered: 40, entrusted: 40 } },
  { date: '2024-07-10', entry: { kind: 'enforcement_list', statutory: 27, empowered: 50, entrusted: 43 } },
  { date: '2024-08-10', entry: { kind: 'enforcement_decision', decision: 'no_penalty', count: 2 } },
  { date: '2024-12-20', entry: { kind: 'disclosure', count: 63 } },
  { date: '2024-02-01', entry: { kind: 'emergency_team', groups: 6, townMembers: 50, villageMembers: 1072 } },
  { date: '2024-09-01', entry: { kind: 'emergency_drill', count: 3 } },
  { date: '2024-10-01', entry: { kind: 'study', form: 'central_group', count: 4 } },
  // Another year: counts nowhere in 2024.
  { date: '2023-12-31', entry: { kind: 'disclosure', count: 1000 } },
];

describe.each(storeCases())('office ledgers on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const ids: string[] = [];
  beforeAll(async () => {
    town = await seedTownship(t());
    for (const e of ENTRIES) {
      const r = await t().json<{ subjectId: string }>('POST', '/api/office/ledgers', { token: town.tokens.office!, body: { orgUnitId: TOWN, ...e } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(r.body.subjectId);
    }
  });
  const report = async () => (await t().json<AnnualReport>('GET', `/api/reports/annual?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! })).body;

  it('fills the report’s office figures from the ledgers', async () => {
    const r = await report();
    expect(r.figures).toMatchObject({
      adviserMeetings: '20',
      adviserOpinions: '2',
      adviserContracts: '35',
      adviserDecisions: '1',
      enforcementStatutory: '27',
      enforcementEmpowered: '50',
      enforcementEntrusted: '43',
      noPenaltyDecisions: '2',
      disclosureItems: '63',
      emergencyGroups: '6',
      emergencyTownMembers: '50',
      emergencyVillageMembers: '1072',
      emergencyDrills: '3',
      studySessions: '4',
      reconsiderationCases: '4',
      reconsiderationPerformanceRate: '100%',
      litigationCases: '3',
      litigationAppearanceRate: '100%',
    });
    const text = r.paragraphs.map(paragraphText).join('\n');
    expect(text).toContain('法律顾问全年参加有关会议20次，出具书面法律意见书2份，审查合同35件，参与重大决策1次。');
    expect(text).toContain('2024年办理行政复议案件4件，履行率100%；办理行政诉讼案件3件，出庭应诉率100%。');
    expect(text).toContain('梳理形成27项法定执法、50项赋权执法、43项委托执法的执法事项清单');
    expect(text).toContain('其中镇级队伍50人，村级队伍1072人');
    expect(r.placeholders).not.toContain('【待填写：法律顾问参加会议次数】');
    expect(r.placeholders).toContain('【待填写：成文日期】');
  });

  it('lists the entries and takes a voided one out of the figures', async () => {
    const disclosure = ids[ENTRIES.findIndex((e) => e.entry.kind === 'disclosure')]!;
    const v = await t().json('POST', `/api/office/ledgers/${disclosure}/void`, { token: town.tokens.office!, body: { orgUnitId: TOWN, reason: '重复登记' } });
    expect(v.status).toBe(200);
    const list = await t().json<{ items: { subjectId: string; voided: boolean }[]; figures: Record<string, number> }>(
      'GET',
      `/api/office/ledgers?year=2024&orgUnitId=${TOWN}`,
      { token: town.tokens.office! },
    );
    expect(list.body.items).toHaveLength(ENTRIES.length - 1);
    expect(list.body.items.find((i) => i.subjectId === disclosure)?.voided).toBe(true);
    expect(list.body.figures.disclosureItems).toBeUndefined();
    expect((await report()).placeholders).toContain('【待填写：公开政务信息条数】');
    const unknown = await t().json('POST', `/api/office/ledgers/${uuidv7()}/void`, { token: town.tokens.office!, body: { orgUnitId: TOWN, reason: '测试' } });
    expect(unknown.status).toBe(404);
  });

  it('refuses a date after today or before 2000, with the reason', async () => {
    const today = localDateOf(new Date().toISOString(), 'Asia/Shanghai');
    const tomorrow = addDays(today, 1);
    for (const [date, message] of [
      [tomorrow, `日期（${tomorrow}）晚于今天，请核对`],
      [`${Number(today.slice(0, 4)) + 1}-01-01`, /晚于今天/],
      ['1900-05-01', '日期（1900-05-01）早于 2000 年，请核对'],
    ] as const) {
      const r = await t().json<{ error: { code: string; message: string; field?: string } }>('POST', '/api/office/ledgers', {
        token: town.tokens.office!,
        body: { orgUnitId: TOWN, date, entry: { kind: 'disclosure', count: 5 } },
      });
      expect(r.status, date).toBe(422);
      expect(r.body.error.message).toMatch(message);
      // About the date alone: named, so the form says it at the date.
      expect(r.body.error.field).toBe('date');
    }
    const ok = await t().json('POST', '/api/office/ledgers', {
      token: town.tokens.office!,
      body: { orgUnitId: TOWN, date: today, entry: { kind: 'emergency_drill', count: 1 } },
    });
    expect(ok.status).toBe(201);
  });

  it('refuses field roles, phones and bad entries', async () => {
    const body = { orgUnitId: TOWN, date: '2024-03-01', entry: { kind: 'disclosure', count: 5 } };
    expect((await t().json('POST', '/api/office/ledgers', { token: town.tokens.grid1!, body })).status).toBe(403);
    const bad = await t().json<{ error: { code: string; message: string } }>('POST', '/api/office/ledgers', {
      token: town.tokens.office!,
      body: { ...body, entry: { kind: 'disclosure', count: -1 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/条数/);
    // A phone pushing a ledger event is refused like any server-only type.
    const event = {
      id: uuidv7(),
      type: 'ledger.recorded',
      subjectId: uuidv7(),
      orgUnitId: G1,
      occurredAt: '2024-03-01T12:00:00+08:00',
      recordedAt: '2024-03-01T12:00:00+08:00',
      deviceId: 'dev-grid1',
      deviceSeq: 1,
      data: { kind: 'disclosure', count: 5 },
    };
    const pushed = await push(t(), town.tokens.grid1!, [event]);
    expect(pushed.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_type' } });
  });
});
