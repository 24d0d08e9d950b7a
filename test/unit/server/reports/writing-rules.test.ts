// The annual report writes like an office writer, on hand-made figures: zero categories left
// out, the top few and 等, claims (调解室, 对接渠道, 网格, 节点) only where the tree or the data
// holds them, rounded counts on request, a county's own letterhead, ledger figures linked.
import { describe, expect, it } from 'vitest';
import type { LedgerFigures } from '#shared/office/ledgers';
import { summarizeFactRows, type Summary } from '#shared/stats/summary';
import { buildAnnualReport, formatRounded, paragraphText, type ReportInput } from '../../../../src/server/reports/model.ts';

function summary(edit: (s: Summary) => void): Summary {
  const s = summarizeFactRows({ accepted: [], closed: [], outreach: [], outreachThemes: [], sweeps: [] }, { year: 2024 });
  edit(s);
  return s;
}

const busy = summary((s) => {
  Object.assign(s.mediation, { accepted: 520, closed: 510, resolved: 505, failed: 5, successRate: 505 / 510, peopleInvolved: 1234, amountInvolved: 0 });
  // Seven types with cases, eight with none.
  Object.assign(s.mediation.byType, { '01': 200, '02': 150, '03': 60, '04': 40, '05': 30, '06': 20, '07': 5 });
  Object.assign(s.mediation.byChannel, { court: 12, police: 30, petition: 0, reconsideration: 0, other_referral: 0, self_initiated: 400, application: 63 });
  s.mediation.byOrgUnit = { town: 5, v1: 100, v2: 90, v3: 80, v4: 70, v5: 60, v6: 50, v7: 50 };
  Object.assign(s.outreach, { sessions: 96, audience: 32_586 });
  Object.assign(s.outreach.byCampaign, { dec4: 10 });
  Object.assign(s.outreach.audienceByCampaign, { dec4: 3_210 });
  Object.assign(s.sweeps, { count: 1_800, zeroReports: 1_700, disputesFound: 0 });
});

function input(extra: Partial<ReportInput> = {}): ReportInput {
  return {
    year: 2024,
    orgUnitId: 'town',
    kind: 'town',
    countyName: '云阳县',
    townName: '江口镇',
    stations: { court: false, police: false },
    summary: busy,
    unitNames: new Map(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'].map((id, i) => [id, `第${i + 1}村`])),
    ledgers: {},
    ...extra,
  };
}

const textOf = (i: ReportInput) => buildAnnualReport(i).paragraphs.map(paragraphText);
const mediationOf = (i: ReportInput) => textOf(i).find((p) => p.startsWith('（六）'))!;

describe('the annual report’s writing rules', () => {
  it('heads a town’s report with county and town, 主送 the county', () => {
    const text = textOf(input());
    expect(text.slice(0, 4)).toEqual(['中共云阳县江口镇委员会', '云阳县江口镇人民政府', '关于2024年度法治政府建设情况的报告', '县委、县政府：']);
    expect(text.slice(-3, -1)).toEqual(['中共云阳县江口镇委员会', '云阳县江口镇人民政府']);
  });

  it('heads a county’s report with the county alone and asks for the 主送', () => {
    const text = textOf(input({ kind: 'county', countyName: '云阳县', townName: '云阳县' }));
    expect(text.slice(0, 2)).toEqual(['中共云阳县委员会', '云阳县人民政府']);
    expect(text[3]).toBe('【待填写：主送机关】：');
    expect(mediationOf(input({ kind: 'county', townName: '云阳县' }))).toContain('依托县村两级调解委员会');
  });

  it('writes the outcome flags set in the year, only those above 0', () => {
    expect(mediationOf(input())).not.toContain('通过调解');
    const text = mediationOf(input({ outcomes: { prevented_criminal: 2, prevented_mass_petition: 0, prevented_suicide: 1, agreement_overturned: 1 } }));
    expect(text).toContain('通过调解防止民间纠纷引起自杀1件、防止民转刑案件2件。');
    expect(text).not.toContain('防止群体性上访');
    expect(text).toContain('调解后出现协议被法院判决变更、撤销或确认无效1件');
    expect(buildAnnualReport(input({ outcomes: { prevented_criminal: 2 } })).figures['outcomes.prevented_criminal']).toBe('2');
  });

  it('names only the 派驻调解室 the tree holds', () => {
    expect(mediationOf(input())).not.toContain('调解室');
    expect(mediationOf(input({ stations: { court: true, police: false } }))).toContain('依托镇村两级调解委员会和“驻法庭调解室”，');
    expect(mediationOf(input({ stations: { court: true, police: true } }))).toContain('和“驻法庭调解室”“驻派出所调解室”');
  });

  it('leaves zero categories out: no 0件, no 0%, no empty amount', () => {
    const text = mediationOf(input());
    expect(text).toContain('推动“诉调”“警调”对接');
    expect(text).not.toContain('访调');
    expect(text).not.toContain('复调');
    expect(text).not.toMatch(/[^\d]0件|[^\d.]0%|万元/);
    expect(text).toContain('从来源看，通过“诉调”对接化解12件，通过“警调”对接化解30件，调委会主动调解化解400件，依当事人申请化解63件。');
    const sweeps = textOf(input()).find((p) => p.startsWith('二是加强矛盾纠纷排查'))!;
    expect(sweeps).toContain('其中零报告1700次');
    expect(sweeps).not.toContain('发现矛盾纠纷');
  });

  it('names the top five types and units, then 等', () => {
    const text = mediationOf(input());
    expect(text).toContain('从纠纷类型看，主要为婚姻家庭纠纷200件、邻里纠纷150件、');
    expect(text.match(/从纠纷类型看，[^。]*。/)![0].match(/件/g)).toHaveLength(5);
    expect(text).toMatch(/从纠纷类型看，[^。]*件等。/);
    expect(text).toContain('化解件数居前的村（社区）为第1村100件、第2村90件、第3村80件、第4村70件、第5村60件等。');
    const few = summary((s) => {
      Object.assign(s.mediation, { accepted: 3, closed: 3, resolved: 3, successRate: 1 });
      Object.assign(s.mediation.byType, { '01': 2, '02': 1 });
      s.mediation.byChannel.application = 3;
    });
    expect(mediationOf(input({ summary: few }))).toMatch(/主要为婚姻家庭纠纷2件、邻里纠纷1件。/);
  });

  it('claims 网格 and 宣传节点 only where the data holds them, and asks when there is no data', () => {
    const quiet = summary((s) => Object.assign(s.outreach, { sessions: 3, audience: 90 }));
    const text = textOf(input({ summary: quiet }));
    const outreach = text.find((p) => p.startsWith('四是加强公共法律服务'))!;
    expect(outreach).toBe('四是加强公共法律服务。全年累计开展法治宣讲3场次、宣传群众90人次。');
    expect(text.find((p) => p.startsWith('二是加强矛盾纠纷排查'))).toContain('【待填写：本年度矛盾纠纷排查情况');
    expect(mediationOf(input({ summary: quiet }))).toContain('【待填写：本年度调解工作情况');
    const busyOutreach = textOf(input()).find((p) => p.startsWith('四是'))!;
    expect(busyOutreach).toContain('依托“法律服务+网格”模式做到精准普法，利用“12·4国家宪法日”重要时间节点集中开展法治宣传');
  });

  it('rounds counts the way a report does (90余场次), case counts stay exact', () => {
    expect([96, 32_586, 505, 1_754, 7, 300, 1_000].map(formatRounded)).toEqual(['90余', '32000余', '500余', '1700余', '7', '300', '1000']);
    const r = buildAnnualReport(input({ rounded: true }));
    expect(r.figures).toMatchObject({ outreachSessions: '90余', outreachAudience: '32000余', resolved: '505', accepted: '520' });
    expect(r.paragraphs.map(paragraphText).find((p) => p.startsWith('四是'))).toContain('全年累计开展法治宣讲90余场次、宣传群众32000余人次');
    expect(buildAnnualReport(input()).figures.outreachSessions).toBe('96');
  });

  it('links every figure to its records, ledger figures to the ledger list', () => {
    const ledgers: LedgerFigures = { adviserMeetings: 20, reconsiderationCases: 0, litigationCases: 3, litigationAppearanceRate: 1 };
    const r = buildAnnualReport(input({ ledgers }));
    const figures = r.paragraphs.flatMap((p) => p.spans).filter((s) => s.kind === 'figure');
    expect(figures.length).toBeGreaterThan(10);
    for (const f of figures) expect(f.href, f.key).toMatch(/^\/office\/(records|ledgers)\?/);
    expect(figures.find((f) => f.key === 'adviserMeetings')!.href).toBe('/office/ledgers?year=2024&orgUnitId=town&kind=adviser');
    const appeals = r.paragraphs.map(paragraphText).find((p) => p.startsWith('三是加强行政复议'))!;
    expect(appeals).toBe('三是加强行政复议应诉工作。2024年全年未发生行政复议案件；办理行政诉讼案件3件，出庭应诉率100%。');
  });

  it('is a draft until finalised', () => {
    expect(buildAnnualReport(input()).status).toBe('draft');
  });
});
