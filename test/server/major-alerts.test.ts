// 重大矛盾纠纷 and 典型案例 through HTTP on each store: a case flagged on a phone is an alert on the
// office's list with its three times, it stays open until acknowledged (once, with who and
// when), a later update keeps it acknowledged while unflagging and flagging again raises a new
// one; the 快报 carries the facts with parties masked for the desk; the year's typical cases,
// marked on a phone or written by the office, list and export as .docx.
import JSZip from 'jszip';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#shared/events';
import type { Alert, AlertsResponse, FlashReport, TypicalResponse } from '#shared/major/api';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G3, push, seedTownship, TOWN, V1, type Township } from './support/sync-fixtures.ts';

let deviceSeq = 0;
function about(of: DomainEvent, type: string, occurredAt: string, data: unknown, recordedAt = new Date().toISOString()): DomainEvent {
  return {
    id: uuidv7(),
    subjectId: of.subjectId,
    orgUnitId: of.orgUnitId,
    occurredAt,
    recordedAt,
    deviceId: 'dev-major',
    deviceSeq: ++deviceSeq,
    type,
    data,
  } as DomainEvent;
}
const flag = {
  flagged: true,
  criteria: ['many_people', 'violence_risk'],
  risk: '双方亲属二十余人聚集',
  measures: '已分开劝离，派出所民警到场',
  leader: '李副镇长',
};

describe.each(storeCases())('重大矛盾纠纷 alerts on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const open = caseOpened(G1, '2024-06-01T09:00:00+08:00', {
    peopleInvolved: 24,
    parties: [
      { role: 'applicant', name: '张大山' },
      { role: 'respondent', name: '李小河' },
    ],
  });
  const raised = about(open, 'case.major', '2024-06-01T09:05:00+08:00', flag, '2024-06-01T01:06:00.000Z');
  const alerts = async (unit = TOWN) => {
    const res = await t().json<AlertsResponse>('GET', `/api/major/alerts?orgUnitId=${unit}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('a case flagged on the phone reaches the office as an open alert with when it was flagged, saved and received', async () => {
    expect((await alerts()).alerts).toEqual([]);
    const before = Date.now();
    const pushed = await push(t(), town.tokens.grid1!, [open, raised]);
    expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const list = await alerts();
    expect(list.open).toBe(1);
    const [a] = list.alerts;
    expect(a).toMatchObject({
      subjectId: open.subjectId,
      unitName: '红星村第一网格',
      flaggedAt: raised.occurredAt,
      recordedAt: raised.recordedAt,
      stage: 'warning',
      ack: null,
    });
    expect(a!.criteria).toEqual(['many_people', 'violence_risk']);
    expect(Date.parse(a!.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(a!.stages.map((s) => [s.stage, s.done])).toEqual([
      ['screening', true],
      ['warning', true],
      ['handling', false],
      ['resolved', false],
    ]);
    // Another village's office view does not see it; the grid worker's desk routes are closed.
    expect((await alerts('jk-v2')).alerts).toEqual([]);
    expect((await t().json('GET', `/api/major/alerts?orgUnitId=${TOWN}`, { token: town.tokens.grid1! })).status).toBe(403);
  });

  it('prints the 快报 from the case’s facts and measures, parties masked for the desk', async () => {
    const res = await t().json<FlashReport>('GET', `/api/major/alerts/${open.subjectId}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      peopleInvolved: 24,
      risk: flag.risk,
      measures: flag.measures,
      leader: '李副镇长',
      unitPath: '江口镇 红星村 红星村第一网格',
    });
    expect(res.body.parties.map((p) => p.name)).toEqual(['张**', '李**']);
    expect((await t().json('GET', `/api/major/alerts/${uuidv7()}`, { token: town.tokens.office! })).status).toBe(404);
  });

  it('stays until acknowledged, once, with who and when; an update keeps it acknowledged', async () => {
    const ack = await t().json<Alert>('POST', `/api/major/alerts/${open.subjectId}/ack`, { token: town.tokens.office!, body: {} });
    expect(ack.status).toBe(201);
    expect(ack.body.ack).toMatchObject({ byName: 'office' });
    const twice = await t().json<{ error: { code: string } }>('POST', `/api/major/alerts/${open.subjectId}/ack`, { token: town.tokens.office!, body: {} });
    expect(twice.status).toBe(409);
    expect((await alerts()).open).toBe(0);
    const session = about(open, 'case.session', '2024-06-02T10:00:00+08:00', { content: '镇村两级联合调处' });
    const more = about(open, 'case.major', '2024-06-02T11:00:00+08:00', { ...flag, measures: '已召开联席会议' });
    await push(t(), town.tokens.grid1!, [session, more]);
    const [a] = (await alerts()).alerts;
    expect(a).toMatchObject({ stage: 'handling', ack: { byName: 'office' } });
    expect(await t().store.listAudit({ action: 'major.acknowledged', limit: 5 })).toHaveLength(1);
  });

  it('unflagged it leaves the list; flagged again it is a new open alert', async () => {
    await push(t(), town.tokens.grid1!, [about(open, 'case.major', '2024-06-03T10:00:00+08:00', { flagged: false, criteria: [] })]);
    expect((await alerts()).alerts).toEqual([]);
    expect((await t().json('POST', `/api/major/alerts/${open.subjectId}/ack`, { token: town.tokens.office!, body: {} })).status).toBe(404);
    await push(t(), town.tokens.grid1!, [about(open, 'case.major', '2024-06-04T10:00:00+08:00', flag)]);
    expect((await alerts()).open).toBe(1);
  });

  it('lists the year’s typical cases, marked on the phone or written by the office, and exports them as .docx', async () => {
    const a = caseOpened(V1, '2024-04-01T09:00:00+08:00');
    const b = caseOpened(G3, '2024-05-01T09:00:00+08:00');
    const later = caseOpened(G1, '2024-12-20T09:00:00+08:00');
    const events = [
      a,
      caseClosed(a, '2024-04-10T10:00:00+08:00'),
      b,
      caseClosed(b, '2024-05-10T10:00:00+08:00'),
      later,
      caseClosed(later, '2025-01-05T10:00:00+08:00'),
    ];
    events.push(
      about(a, 'case.typical', '2024-04-12T10:00:00+08:00', {
        typical: true,
        title: '排水沟纠纷化干戈为玉帛',
        story: '张某（化名）与李某（化名）因排水沟……\n调解员三次上门。',
      }),
    );
    events.push(about(later, 'case.typical', '2025-01-06T10:00:00+08:00', { typical: true, title: '次年结案的案例' }));
    expect((await push(t(), town.tokens.admin!, events)).body.results.every((r) => r.status === 'applied')).toBe(true);
    const written = await t().json('POST', `/api/major/cases/${b.subjectId}/typical`, {
      token: town.tokens.office!,
      body: { typical: true, title: '山林界址纠纷', story: '青山村两户因山林界址……' },
    });
    expect(written.status).toBe(201);
    const noTitle = await t().json<{ error: { code: string; message: string } }>('POST', `/api/major/cases/${b.subjectId}/typical`, {
      token: town.tokens.office!,
      body: { typical: true },
    });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.error.message).toContain('标题');
    expect((await t().json('POST', `/api/major/cases/${b.subjectId}/typical`, { token: town.tokens.grid1!, body: { typical: false } })).status).toBe(403);

    const list = await t().json<TypicalResponse>('GET', `/api/major/typical?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(list.body.cases.map((c) => [c.title, c.unitName, c.closedOn])).toEqual([
      ['排水沟纠纷化干戈为玉帛', '红星村', '2024-04-10'],
      ['山林界址纠纷', '青山村第一网格', '2024-05-10'],
    ]);
    const docx = await t().request('GET', `/api/major/typical.docx?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(docx.status).toBe(200);
    const xml = await (await JSZip.loadAsync(new Uint8Array(await docx.arrayBuffer()))).file('word/document.xml')!.async('string');
    expect(xml).toContain('江口镇2024年典型案例');
    expect(xml).toContain('案例1　排水沟纠纷化干戈为玉帛');
    expect(xml).toContain('调解员三次上门。');
    expect(xml).toContain('山林界址纠纷');
    expect(xml).not.toContain('次年结案的案例');
  });
});
