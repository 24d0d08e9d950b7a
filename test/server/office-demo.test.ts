// `npm run demo`'s loader on every store: an empty database gets the township and a year whose
// totals are of the reference report's order, through the real push; a used one is refused;
// the generated year is the same on every run.
import { describe, expect, it } from 'vitest';
import { canonicalJson, type StoredEvent } from '#shared/events';
import { DEFAULT_GRACE_DAYS } from '#shared/stats/completeness';
import { localDateOf } from '#shared/time';
import { loadOrgTree } from '../../src/server/access/org-tree.ts';
import { loadDemo } from '../../src/server/demo/load.ts';
import { buildTownship, TOWN_ID } from '../../src/server/demo/township.ts';
import { buildYear } from '../../src/server/demo/year.ts';
import { closedPeriods } from '../../src/server/office/periods.ts';
import { childOfRoot } from '../../src/server/office/scope-units.ts';
import { draftAnnualReport } from '../../src/server/reports/annual.ts';
import { completenessFor } from '../../src/server/services/completeness.ts';
import { listAlerts } from '../../src/server/subsidy/alerts.ts';
import { rulesFor } from '../../src/server/subsidy/ledger.ts';
import { typicalCasesOf } from '../../src/server/subsidy/typical.ts';
import { testConfig } from './support/app.ts';
import { storeCases } from './support/stores.ts';

describe('demo generator', () => {
  it('is deterministic', () => {
    const a = buildYear(buildTownship());
    const b = buildYear(buildTownship());
    expect(canonicalJson([...a.byAuthor])).toBe(canonicalJson([...b.byAuthor]));
    expect(buildTownship().users.map((u) => u.displayName)).toEqual(buildTownship().users.map((u) => u.displayName));
  });

  it('has 32 villages, 4 communities, about 150 grids, committees, stations and every role', () => {
    const t = buildTownship();
    expect(t.units.filter((u) => u.kind === 'village')).toHaveLength(32);
    expect(t.units.filter((u) => u.kind === 'community')).toHaveLength(4);
    const grids = t.units.filter((u) => u.kind === 'grid').length;
    expect(grids).toBeGreaterThanOrEqual(140);
    expect(grids).toBeLessThanOrEqual(170);
    expect(t.units.filter((u) => u.kind === 'committee')).toHaveLength(37);
    expect(t.units.filter((u) => u.kind === 'station').map((u) => u.name)).toEqual(['驻江口法庭调解室', '驻江口派出所调解室']);
    const roles = new Set(t.users.flatMap((u) => u.roles.map((r) => r.role)));
    expect([...roles].sort()).toEqual(['admin', 'grid_worker', 'mediator', 'office']);
  });
});

describe.each(storeCases())('demo loader on $name', (storeCase) => {
  it('fills an empty database with a year of the reference report’s order, and refuses a second time', async () => {
    const opened = await storeCase.open();
    try {
      const config = testConfig(opened.dataDir, { databaseUrl: opened.databaseUrl });
      // After the demo year's last 履行 and 回访 (late January 2025): the loader's today, after which nothing is received.
      const out = await loadDemo(opened.store, config, { password: 'demo-pass-123', now: new Date('2025-02-01T08:00:00Z') });
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      expect(out.counts.rejected).toBe(0);
      expect(out.counts.applied).toBe(out.counts.events);

      const tree = await loadOrgTree(opened.store);
      const report = await draftAnnualReport(opened.store, tree, {
        year: 2024,
        root: tree.get(TOWN_ID)!,
        units: tree.subtree(TOWN_ID),
        timeZone: 'Asia/Shanghai',
        kind: 'town',
      });
      // A category with nothing in it is left out of the text, and so of the figures.
      const n = (key: string) => Number(report.figures[key] ?? 0);
      expect(n('resolved')).toBeGreaterThanOrEqual(450);
      expect(n('resolved')).toBeLessThanOrEqual(560);
      expect(n('outreachSessions')).toBeGreaterThanOrEqual(90);
      expect(n('outreachAudience')).toBeGreaterThanOrEqual(30_000);
      expect(n('byChannel.court') + n('byChannel.police') + n('byChannel.petition')).toBeGreaterThan(0);
      // The office ledgers were entered too: the report's office figures are filled.
      expect(n('adviserMeetings')).toBeGreaterThan(0);
      expect(report.figures.reconsiderationPerformanceRate).toBe('100%');
      // 结果标记 are in the demo year: the report names what mediation prevented.
      expect(n('outcomes.prevented_criminal')).toBeGreaterThan(0);
      // The town committee's mediators are 专职 on the returns' registry.
      expect((await opened.store.listMediatorEmployment()).filter((e) => e.employment === 'full_time').length).toBeGreaterThan(0);
      expect(report.placeholders).not.toContain('【待填写：公开政务信息条数】');
      // Case numbers were allocated by the server, per committee and year.
      const page = await opened.store.listCases({ units: tree.subtree(TOWN_ID), basis: 'opened', year: 2024, fromMonth: 1, toMonth: 12, limit: 5 });
      expect(page.items.every((c) => /^（2024）.+人调字第\d{3}号$/.test(c.caseNumber ?? ''))).toBe(true);

      // Records reached the server as phones sync through a year, not at load time: most on
      // time, a few past the month's deadline, so 及时率 means something on every village.
      const completeness = await completenessFor(opened.store, tree, tree.subtree(TOWN_ID), {
        year: 2024,
        graceDays: DEFAULT_GRACE_DAYS,
        timeZone: 'Asia/Shanghai',
      });
      const { onTimeRate, reported, onTime } = completeness.total.all;
      expect(onTimeRate).toBeGreaterThan(0.8);
      expect(onTimeRate).toBeLessThan(0.99);
      expect(reported - onTime).toBeGreaterThan(0);
      expect(completeness.villages.every((v) => (v.all.onTimeRate ?? 0) > 0.5)).toBe(true);
      const events: StoredEvent[] = [];
      for (;;) {
        const page = await opened.store.pullEvents({ afterSeq: events.at(-1)?.seq ?? 0, limit: 5000, units: tree.subtree(TOWN_ID) });
        events.push(...page);
        if (page.length < 5000) break;
      }
      // Pushed as phones sync: never before the phone saved the record, never after the load's today.
      expect(events.every((e) => Date.parse(e.receivedAt) >= Date.parse(e.recordedAt) && Date.parse(e.receivedAt) <= Date.parse('2025-02-01T08:00:00Z'))).toBe(
        true,
      );
      // Case numbers follow acceptance, each committee's in order of its cases' 受理 dates, and the
      // 编号 step is dated when the case came in: days after it, never the load's year; in 2025
      // only for a December case whose phone was offline past the month's deadline.
      const acceptedOn = new Map(events.filter((e) => e.type === 'case.opened').map((e) => [e.subjectId, e.occurredAt]));
      const numbered = events.filter((e): e is Extract<StoredEvent, { type: 'case.numbered' }> => e.type === 'case.numbered');
      expect(numbered).toHaveLength(acceptedOn.size);
      const byCommittee = new Map<string, { sequence: number; on: string }[]>();
      for (const e of numbered) {
        const opening = acceptedOn.get(e.subjectId)!;
        expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(Date.parse(opening));
        expect(Date.parse(e.occurredAt) - Date.parse(opening)).toBeLessThan(60 * 86_400_000);
        expect(localDateOf(e.occurredAt) <= '2025-01-31').toBe(true);
        if (localDateOf(e.occurredAt) > '2024-12-31') expect(localDateOf(opening) >= '2024-12-01').toBe(true);
        const list = byCommittee.get(e.data.committeeId) ?? [];
        list.push({ sequence: e.data.sequence, on: localDateOf(opening) });
        byCommittee.set(e.data.committeeId, list);
      }
      expect(numbered.filter((e) => localDateOf(e.occurredAt) > '2024-12-31').length).toBeLessThanOrEqual(10);
      expect(byCommittee.size).toBeGreaterThan(30);
      for (const list of byCommittee.values()) {
        const dates = list.sort((a, b) => a.sequence - b.sequence).map((c) => c.on);
        expect(dates).toEqual([...dates].sort());
      }

      // 综治办 closed January to November the morning after each deadline: what came in later is
      // 迟报, a few records a month, each received after the close. December waits for the user.
      const closes = await closedPeriods(opened.store, TOWN_ID, 'Asia/Shanghai', () => ({ units: tree.subtree(TOWN_ID), childOf: childOfRoot(tree, TOWN_ID) }));
      expect(closes.map((c) => c.month).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const late = closes.reduce((sum, c) => sum + c.lateCount, 0);
      expect(late).toBeGreaterThan(20);
      expect(late).toBeLessThan(events.length * 0.05);
      for (const c of closes) for (const e of c.late) expect(Date.parse(e.receivedAt)).toBeGreaterThan(Date.parse(c.closedAt));

      // 重大矛盾纠纷 (the last two not yet signed for), typical cases and the town's subsidy rules.
      const alerts = await listAlerts(opened.store, tree, tree.subtree(TOWN_ID));
      expect(alerts.length).toBeGreaterThanOrEqual(4);
      expect(alerts.filter((a) => a.ack === null)).toHaveLength(2);
      expect((await typicalCasesOf(opened.store, tree, tree.subtree(TOWN_ID), 2024, 'Asia/Shanghai')).length).toBeGreaterThanOrEqual(3);
      expect((await rulesFor(opened.store, tree, TOWN_ID)).from?.orgUnitId).toBe(TOWN_ID);

      const again = await loadDemo(opened.store, config, { password: 'demo-pass-123' });
      expect(again).toMatchObject({ ok: false, code: 'not_empty' });
    } finally {
      await opened.dispose();
    }
    // A year of syncs, one push each (≈4,200), on a machine the rest of the suite shares.
  }, 120_000);
});
