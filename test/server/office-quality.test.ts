// Data-quality lists on every store, with records dated relative to today.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { nowIsoWithOffset } from '#shared/time';
import type { QualityReport } from '../../src/server/office/quality.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G3, outreach, push, seedTownship, TOWN, type Township } from './support/sync-fixtures.ts';

const daysAgo = (n: number) => nowIsoWithOffset(new Date(Date.now() - n * 86_400_000), 'Asia/Shanghai');

describe.each(storeCases())('data quality on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    town = await seedTownship(t());
    const overdue = caseOpened(G1, daysAgo(40), { summary: '超期未结的案件' });
    const fresh = caseOpened(G1, daysAgo(10));
    const due = caseOpened(G1, daysAgo(30), { summary: '应回访的案件' });
    const visited = caseOpened(G1, daysAgo(30));
    const oral = caseOpened(G3, daysAgo(20), { summary: '化解但未记录协议形式' });
    const followup: DomainEvent = {
      ...caseClosed(visited, daysAgo(5)),
      id: crypto.randomUUID(),
      type: 'case.followup',
      data: { mode: 'phone' },
    } as DomainEvent;
    const events = [
      overdue,
      fresh,
      due,
      caseClosed(due, daysAgo(14), 'success', 'written'),
      visited,
      caseClosed(visited, daysAgo(14), 'success', 'written'),
      followup,
      oral,
      caseClosed(oral, daysAgo(15), 'success', 'none'),
      outreach(G1, daysAgo(3), 120),
      outreach(G3, daysAgo(3), 5000, { title: '人次异常的活动' }),
    ];
    Object.assign(ids, { overdue: overdue.subjectId, due: due.subjectId, oral: oral.subjectId });
    const r = await push(t(), town.tokens.admin!, events);
    expect(r.body.results.map((x) => x.status)).toEqual(events.map(() => 'applied'));
    // A phone that last synced three weeks ago.
    await t().store.recordPull('old-phone', town.userIds.grid3!, G3, new Date(Date.now() - 21 * 86_400_000).toISOString());
  });

  it('lists what needs chasing, and nothing that does not', async () => {
    const year = new Date().getFullYear();
    const r = await t().json<QualityReport>('GET', `/api/office/quality?year=${year}&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(r.status).toBe(200);
    expect(r.body.overdueCases.map((i) => i.subjectId)).toEqual([ids.overdue]);
    expect(r.body.followupsDue.map((i) => i.subjectId)).toEqual([ids.due]);
    expect(r.body.resolvedWithoutAgreement.map((i) => i.subjectId)).toEqual([ids.oral]);
    expect(r.body.outreachWithoutPhotos).toHaveLength(2);
    expect(r.body.audienceOutliers.map((i) => i.what)).toEqual(['人次异常的活动：5000 人次']);
    expect(r.body.silentDevices.map((d) => d.deviceId)).toEqual(['old-phone']);
  });

  it('follows the chosen month or quarter; a case still open from before stays on the list', async () => {
    const open = caseOpened(G1, '2024-02-10T09:00:00+08:00', { summary: '二月受理至今未结' });
    const oral = caseOpened(G3, '2024-04-20T09:00:00+08:00', { summary: '五月化解未记协议' });
    const talk = outreach(G1, '2024-08-01T09:00:00+08:00', 80, { title: '八月无照片的宣讲' });
    const events = [open, oral, caseClosed(oral, '2024-05-10T09:00:00+08:00', 'success', 'none'), talk];
    expect((await push(t(), town.tokens.admin!, events)).body.results.map((x) => x.status)).toEqual(events.map(() => 'applied'));
    const quality = async (period: string) =>
      (await t().json<QualityReport & { period: string }>('GET', `/api/office/quality?year=2024&orgUnitId=${TOWN}&${period}`, { token: town.tokens.office! }))
        .body;
    const q1 = await quality('quarter=1');
    expect(q1.period).toBe('2024年第1季度');
    expect(q1.overdueCases.map((i) => i.subjectId)).toEqual([open.subjectId]);
    expect(q1.resolvedWithoutAgreement).toEqual([]);
    expect(q1.outreachWithoutPhotos).toEqual([]);
    const q2 = await quality('quarter=2');
    expect(q2.overdueCases.map((i) => i.subjectId)).toEqual([open.subjectId]);
    expect(q2.resolvedWithoutAgreement.map((i) => i.subjectId)).toEqual([oral.subjectId]);
    const aug = await quality('month=8');
    expect(aug.period).toBe('2024年8月');
    expect(aug.outreachWithoutPhotos.map((i) => i.subjectId)).toEqual([talk.subjectId]);
    expect(aug.resolvedWithoutAgreement).toEqual([]);
    const year = await quality('');
    expect(year.resolvedWithoutAgreement.map((i) => i.subjectId)).toEqual([oral.subjectId]);
    expect(year.outreachWithoutPhotos.map((i) => i.subjectId)).toEqual([talk.subjectId]);
    expect((await t().request('GET', `/api/office/quality?year=2024&orgUnitId=${TOWN}&month=13`, { token: town.tokens.office! })).status).toBe(400);
    expect((await t().request('GET', `/api/office/quality?year=2024&orgUnitId=${TOWN}&month=2&quarter=1`, { token: town.tokens.office! })).status).toBe(400);
  });

  it('downloads the same lists as the screen shows for the period', async () => {
    // Accepted in December 2024, resolved without an agreement form in January 2025: 2025's to chase, not 2024's.
    const late = caseOpened(G3, '2024-12-28T09:00:00+08:00', { summary: '次年一月化解未记协议' });
    const events = [late, caseClosed(late, '2025-01-03T09:00:00+08:00', 'success', 'none')];
    expect((await push(t(), town.tokens.admin!, events)).body.results.map((x) => x.status)).toEqual(events.map(() => 'applied'));
    for (const period of ['', '&quarter=2', '&month=8']) {
      const screen = (await t().json<QualityReport>('GET', `/api/office/quality?year=2024&orgUnitId=${TOWN}${period}`, { token: town.tokens.office! })).body;
      const res = await t().request('GET', `/api/exports/quality.csv?year=2024&orgUnitId=${TOWN}${period}`, { token: town.tokens.office! });
      expect(res.status).toBe(200);
      const lines = (await res.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/)
        .slice(1);
      const count = (list: string) => lines.filter((l) => l.startsWith(`${list},`)).length;
      expect(count('超过 30 天未结的案件'), period).toBe(screen.overdueCases.length);
      expect(count('应回访未回访的案件'), period).toBe(screen.followupsDue.length);
      expect(count('调解成功但未记录协议形式'), period).toBe(screen.resolvedWithoutAgreement.length);
      expect(count('没有现场照片的普法活动'), period).toBe(screen.outreachWithoutPhotos.length);
    }
    const month = await t().request('GET', `/api/exports/quality.xlsx?year=2024&orgUnitId=${TOWN}&month=8`, { token: town.tokens.office! });
    expect(decodeURIComponent(month.headers.get('content-disposition') ?? '')).toContain('江口镇2024年8月数据质量清单.xlsx');
    expect((await t().request('GET', `/api/exports/quality.csv?year=2024&orgUnitId=${TOWN}&month=13`, { token: town.tokens.office! })).status).toBe(400);
  });

  it('is for office and admin in their scope', async () => {
    expect((await t().request('GET', `/api/office/quality?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.grid1! })).status).toBe(403);
  });
});
