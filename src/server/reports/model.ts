// The annual report (年度法治政府建设情况报告) as a document model: paragraphs made of text,
// figures and placeholders, in the structure of a township report (一、主要举措及成效 …
// 四、下一年度工作思路). Field figures come from the statistics summary, office figures from
// the office ledgers; a figure without data becomes a visible 【待填写：…】 placeholder and is
// never invented. It writes as an office writer does: zero categories are left out, lists
// give the top few and 等, a claim (调解室, 对接渠道, 网格, 宣传节点) is made only where the org
// tree or the data holds it, and counts may be rounded (90余场次). The .docx and HTML writers
// only render this model.
import { CAMPAIGN_NODES, DISPUTE_TYPES, labelOf, OUTCOME_FLAGS } from '#shared/codes';
import type { LedgerFigures } from '#shared/office/ledgers';
import { recordsPageHref, type RecordsLink } from '#shared/office/records';
import type { ReportedFigures } from '#shared/api/reports';
import { CHANNELS, type Summary } from '#shared/stats/summary';

export type Span =
  | { kind: 'text'; text: string }
  /** A number from the data; `href` opens the records behind it. */
  | { kind: 'figure'; key: string; text: string; href?: string }
  /** Something the office must write in: no data holds it. */
  | { kind: 'placeholder'; text: string };

type ParagraphStyle = 'org' | 'title' | 'salutation' | 'body' | 'heading' | 'closing' | 'signature';

export interface ReportParagraph {
  style: ParagraphStyle;
  /** "（一）深入学习贯彻习近平法治思想。": the sub-heading that opens a body paragraph. */
  lead?: string;
  spans: Span[];
}

/** What the org tree says about the unit the report is for. */
export interface ReportUnit {
  /** A report is a town's or a county's document (a village's is refused before drafting). */
  kind: 'town' | 'county';
  countyName: string | undefined;
  /** The town's name; the county's when the report is the county's. */
  townName: string;
  /** 派驻调解室 in the unit's subtree: the report names only those that exist. */
  stations: { court: boolean; police: boolean };
}

interface ReportOptions {
  /** 90余场次 instead of 96场次 for outreach, audiences, people and teams (case counts stay exact). */
  rounded?: boolean;
}

export interface ReportInput extends ReportUnit, ReportOptions {
  year: number;
  orgUnitId: string;
  summary: Summary;
  /** Names of the units `summary.mediation.byOrgUnit` is keyed by. */
  unitNames: ReadonlyMap<string, string>;
  /** Office ledger figures; a missing key is a placeholder in the draft. */
  ledgers: LedgerFigures;
  /** 结果标记 set in the year, by flag (#shared/returns/outcomes); only those above 0 are written. */
  outcomes?: Readonly<Record<string, number>>;
}

export interface AnnualReport {
  year: number;
  orgUnitId: string;
  title: string;
  /** A draft until office staff finalise it; a final report's text and figures are frozen. */
  status: 'draft' | 'final';
  finalisedAt?: string;
  finalisedByName?: string;
  rounded: boolean;
  paragraphs: ReportParagraph[];
  /** Every figure by key, for tests and the JSON format. */
  figures: Record<string, string>;
  /** The placeholders' texts, in document order. */
  placeholders: string[];
  /** The year was closed (结账) and late records arrived since: the 报送 figures beside the live ones. */
  reported?: ReportedFigures;
}

type Part = Span | string;

function spansOf(parts: readonly Part[]): Span[] {
  return parts.map((p) => (typeof p === 'string' ? { kind: 'text', text: p } : p));
}

const hole = (what: string): Span => ({ kind: 'placeholder', text: `【待填写：${what}】` });

function formatCount(n: number): string {
  return String(Math.round(n));
}

/** 0.9654 → "96.5%", 1 → "100%". */
function formatRate(rate: number): string {
  const pct = Math.round(rate * 1000) / 10;
  return `${pct}%`;
}

/** Yuan → "12.35" (万元). */
function formatWan(yuan: number): string {
  return (Math.round(yuan / 100) / 100).toFixed(2);
}

/** 96 → "90余", 505 → "500余", 1754 → "1700余", 32586 → "32000余"; under 10, or already round, exact. */
export function formatRounded(n: number): string {
  const v = Math.round(n);
  if (v < 10) return String(v);
  // One significant digit below 1000, two from there: "1000余" for 1754 would say too little.
  const digits = String(v).length;
  const unit = 10 ** (digits - (digits >= 4 ? 2 : 1));
  const floor = Math.floor(v / unit) * unit;
  return floor === v ? String(v) : `${floor}余`;
}

/** How many items a list names before 等: an office writer names the top few, not all fifteen. */
const TOP_ITEMS = 5;

const LEDGER_KIND_OF: Record<keyof LedgerFigures, string> = {
  studySessions: 'study',
  adviserMeetings: 'adviser',
  adviserOpinions: 'adviser',
  adviserContracts: 'adviser',
  adviserDecisions: 'adviser',
  enforcementStatutory: 'enforcement_list',
  enforcementEmpowered: 'enforcement_list',
  enforcementEntrusted: 'enforcement_list',
  noPenaltyDecisions: 'enforcement_decision',
  emergencyGroups: 'emergency_team',
  emergencyTownMembers: 'emergency_team',
  emergencyVillageMembers: 'emergency_team',
  emergencyDrills: 'emergency_drill',
  reconsiderationCases: 'admin_case',
  reconsiderationPerformanceRate: 'admin_case',
  litigationCases: 'admin_case',
  litigationAppearanceRate: 'admin_case',
  disclosureItems: 'disclosure',
};

/** The office ledger list a ledger figure is counted from. */
function ledgerPageHref(year: number, orgUnitId: string, key: keyof LedgerFigures): string {
  return `/office/ledgers?year=${year}&orgUnitId=${encodeURIComponent(orgUnitId)}&kind=${LEDGER_KIND_OF[key]}`;
}

export function buildAnnualReport(input: ReportInput): AnnualReport {
  const { year, orgUnitId, summary, ledgers } = input;
  const m = summary.mediation;
  const o = summary.outreach;
  const w = summary.sweeps;
  const rounded = input.rounded === true;
  const county = input.kind === 'county';
  const place = county ? input.townName : `${input.countyName ?? ''}${input.townName}`;
  /** 镇 or 县: how the body names the unit's own level ("镇村两级", "我镇"). */
  const level = county ? '县' : '镇';
  const approx = rounded ? formatRounded : formatCount;
  const figures: Record<string, string> = {};
  const link = (l: Omit<RecordsLink, 'year' | 'orgUnitId'>): string => recordsPageHref({ year, orgUnitId, ...l });

  const fig = (key: string, text: string, href?: string): Span => {
    figures[key] = text;
    return href === undefined ? { kind: 'figure', key, text } : { kind: 'figure', key, text, href };
  };
  /** A ledger figure, or a placeholder naming it. */
  const ledger = (key: keyof LedgerFigures, what: string, format: (n: number) => string = formatCount): Span => {
    const value = ledgers[key];
    return value === undefined ? hole(what) : fig(key, format(value), ledgerPageHref(year, orgUnitId, key));
  };

  const paragraphs: ReportParagraph[] = [];
  const add = (style: ParagraphStyle, parts: readonly Part[], lead?: string) => {
    const p: ReportParagraph = { style, spans: spansOf(parts) };
    if (lead !== undefined) p.lead = lead;
    paragraphs.push(p);
  };

  // Header
  add('org', [`中共${place}委员会`]);
  add('org', [`${place}人民政府`]);
  const title = `关于${year}年度法治政府建设情况的报告`;
  add('title', [title]);
  // 主送 the level above: a town reports to its county's 委/政府; above a county the tree does not say.
  add('salutation', !county && input.countyName ? ['县委、县政府：'] : [hole('主送机关'), '：']);
  add('body', [
    `${year}年${input.townName}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，在持续提高依法决策水平、公正文明执法、妥善化解矛盾纠纷等方面综合推进，推动法治政府建设向纵深发展。现就${year}年法治政府建设相关情况报告如下。`,
  ]);

  // 一、主要举措及成效
  add('heading', ['一、主要举措及成效']);
  add(
    'body',
    [
      '一是党委开展常态化学习。党委理论学习中心组把习近平法治思想作为理论学习的重要内容，全年组织开展以法治为主题的中心组理论学习',
      ledger('studySessions', '中心组法治专题学习次数'),
      '次。二是领导干部带头学。',
      hole('领导干部学法的具体做法'),
      '三是机关干部自觉学。严格落实机关学法用法制度，提升依法行政工作能力。',
    ],
    '（一）深入学习贯彻习近平法治思想。',
  );
  add('body', [hole('本年度健全权责清单、推进“放管服”改革、加强法治化营商环境建设的具体举措')], '（二）健全政府机构职能体系。');
  add(
    'body',
    [
      '一是加强行政规范性文件制定管理，由法律顾问参与行政规范性文件的制定、审核、备案、发布全过程。二是推进依法科学民主决策，把公众参与、专家论证、风险评估、合法性审查和集体讨论决定作为重大行政决策必经程序。三是落实政府购买法律服务工作，',
      hole('法律顾问所在律师事务所'),
      '律师担任法律顾问，法律顾问全年参加有关会议',
      ledger('adviserMeetings', '法律顾问参加会议次数'),
      '次，出具书面法律意见书',
      ledger('adviserOpinions', '法律意见书份数'),
      '份，审查合同',
      ledger('adviserContracts', '审查合同件数'),
      '件，参与重大决策',
      ledger('adviserDecisions', '参与重大决策次数'),
      '次。',
    ],
    '（三）健全依法行政和行政决策制度体系。',
  );
  add(
    'body',
    [
      '一是深化行政执法体制改革。梳理形成',
      ledger('enforcementStatutory', '法定执法事项数'),
      '项法定执法、',
      ledger('enforcementEmpowered', '赋权执法事项数'),
      '项赋权执法、',
      ledger('enforcementEntrusted', '委托执法事项数'),
      '项委托执法的执法事项清单。二是严格规范行政执法程序，全面落实行政执法“三项制度”。三是创新执法方式，坚持“办理一件案子，宣传一类法规，讲解一则案例”，全年作出不予处罚处理',
      ledger('noPenaltyDecisions', '不予处罚决定次数'),
      '次。',
    ],
    '（四）严格规范公正文明执法。',
  );
  add(
    'body',
    [
      '一是加强机制建设。编制安全生产和自然灾害突发事件应急预案，成立突发公共事件应急指挥机构，下设',
      ledger('emergencyGroups', '应急指挥机构工作组数'),
      '个工作组。二是加强应急演练，全年组织应急演练',
      ledger('emergencyDrills', '应急演练次数'),
      '次。三是加强队伍建设，组织建立镇村两级应急队伍，其中镇级队伍',
      ledger('emergencyTownMembers', '镇级应急队伍人数', approx),
      '人，村级队伍',
      ledger('emergencyVillageMembers', '村级应急队伍人数', approx),
      '人。',
    ],
    '（五）健全突发事件应对体系。',
  );

  // （六）矛盾纠纷: every figure here is a query on the field data; what is zero is not said.
  const channelText = (code: string) => CHANNELS.find((c) => c.code === code)?.label ?? code;
  const stations = [...(input.stations.court ? ['“驻法庭调解室”'] : []), ...(input.stations.police ? ['“驻派出所调解室”'] : [])];
  const referralChannels = (['court', 'police', 'petition', 'reconsideration'] as const).filter((code) => (m.byChannel[code] ?? 0) > 0);
  const mediationParts: Part[] = [
    `一是加强人民调解。依托${level}村两级调解委员会${stations.length > 0 ? `和${stations.join('')}` : ''}`,
    referralChannels.length > 0 ? `，推动${referralChannels.map((c) => `“${channelText(c)}”`).join('')}对接，` : '，',
  ];
  if (m.accepted === 0 && m.closed === 0) {
    mediationParts.push(`${year}年${level}村人民调解组织`, hole('本年度调解工作情况（台账中没有受理或结案的案件）'), '。');
  } else {
    mediationParts.push(`${year}年${level}村人民调解组织共受理矛盾纠纷`, fig('accepted', formatCount(m.accepted), link({ metric: 'accepted' })), '件');
    if (m.closed > 0) {
      mediationParts.push(
        '，结案',
        fig('closed', formatCount(m.closed), link({ metric: 'closed' })),
        '件，共计完成矛盾纠纷化解',
        fig('resolved', formatCount(m.resolved), link({ metric: 'resolved' })),
        '件',
      );
      if (m.resolved > 0) mediationParts.push('，调解成功率', fig('successRate', formatRate(m.successRate), link({ metric: 'closed' })));
    }
    const involved: Part[] = [];
    if (m.peopleInvolved > 0) involved.push('当事人', fig('peopleInvolved', approx(m.peopleInvolved), link({ metric: 'resolved' })), '人');
    if (m.amountInvolved > 0)
      involved.push(...(involved.length > 0 ? ['、'] : []), '金额', fig('amountInvolved', formatWan(m.amountInvolved), link({ metric: 'resolved' })), '万元');
    if (involved.length > 0) mediationParts.push('；化解案件涉及', ...involved);
    if (m.withAgreement > 0 && m.performed > 0) {
      mediationParts.push('；达成协议的化解案件协议履行率', fig('performanceRate', formatRate(m.performanceRate), link({ metric: 'resolved' })));
    }
    mediationParts.push('。');
  }

  const types = DISPUTE_TYPES.map((t) => ({ code: t.code, label: t.label, n: m.byType[t.code] ?? 0 }))
    .filter((t) => t.n > 0)
    .sort((a, b) => b.n - a.n || (a.code < b.code ? -1 : 1));
  if (types.length > 0) {
    const shown = types.slice(0, TOP_ITEMS);
    mediationParts.push(types.length > 1 ? '从纠纷类型看，主要为' : '从纠纷类型看，均为');
    shown.forEach((t, i) => {
      mediationParts.push(
        `${t.label}`,
        fig(`byType.${t.code}`, formatCount(t.n), link({ metric: 'resolved', type: t.code })),
        `件${i < shown.length - 1 ? '、' : ''}`,
      );
    });
    mediationParts.push(types.length > shown.length ? '等。' : '。');
  }
  const channelFigure = (code: string) => fig(`byChannel.${code}`, formatCount(m.byChannel[code] ?? 0), link({ metric: 'resolved', channel: code }));
  const sources: Part[][] = [
    ...referralChannels.map((code): Part[] => [`通过“${channelText(code)}”对接化解`, channelFigure(code), '件']),
    ...((m.byChannel.other_referral ?? 0) > 0 ? [['受理其他部门委托移送化解', channelFigure('other_referral'), '件']] : []),
    ...((m.byChannel.self_initiated ?? 0) > 0 ? [['调委会主动调解化解', channelFigure('self_initiated'), '件']] : []),
    ...((m.byChannel.application ?? 0) > 0 ? [['依当事人申请化解', channelFigure('application'), '件']] : []),
  ];
  if (sources.length > 0) {
    mediationParts.push('从来源看，');
    sources.forEach((parts, i) => mediationParts.push(...parts, i < sources.length - 1 ? '，' : '。'));
  }
  const ranked = Object.entries(m.byOrgUnit)
    .filter(([id, n]) => n > 0 && id !== orgUnitId && input.unitNames.has(id))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const topUnits = ranked.slice(0, TOP_ITEMS);
  if (topUnits.length > 1) {
    mediationParts.push(county ? '化解件数居前的乡镇（街道）为' : '化解件数居前的村（社区）为');
    topUnits.forEach(([id, n], i) => {
      mediationParts.push(
        `${input.unitNames.get(id)}`,
        fig(`byOrgUnit.${id}`, formatCount(n), link({ metric: 'resolved', unit: id })),
        `件${i < topUnits.length - 1 ? '、' : ''}`,
      );
    });
    mediationParts.push(ranked.length > topUnits.length ? '等。' : '。');
  }

  const flagged = (kind: 'prevented' | 'adverse') =>
    OUTCOME_FLAGS.filter((f) => f.kind === kind && (input.outcomes?.[f.code] ?? 0) > 0).map((f) => ({ ...f, n: input.outcomes?.[f.code] ?? 0 }));
  const prevented = flagged('prevented');
  if (prevented.length > 0) {
    mediationParts.push('通过调解');
    prevented.forEach((f, i) => mediationParts.push(f.label, fig(`outcomes.${f.code}`, formatCount(f.n)), `件${i < prevented.length - 1 ? '、' : '。'}`));
  }
  const adverse = flagged('adverse');
  if (adverse.length > 0) {
    mediationParts.push('调解后出现');
    adverse.forEach((f, i) =>
      mediationParts.push(f.label, fig(`outcomes.${f.code}`, formatCount(f.n)), `件${i < adverse.length - 1 ? '、' : '，已逐案跟踪处置。'}`),
    );
  }

  add('body', mediationParts, '（六）推进矛盾纠纷行政预防调处化解。');
  // The 网格 claim stands only on sweeps recorded in the period.
  if (w.count > 0) {
    add('body', [
      '二是加强矛盾纠纷排查。依托“法律服务+网格”模式，将矛盾纠纷排查、人民调解等工作落实到各网格，全年各网格开展矛盾纠纷排查',
      fig('sweeps', approx(w.count), link({ metric: 'sweeps' })),
      '次',
      ...(w.zeroReports > 0 ? ['，其中零报告', fig('zeroReports', approx(w.zeroReports), link({ metric: 'zero_reports' })), '次'] : []),
      ...(w.disputesFound > 0 ? ['，排查发现矛盾纠纷', fig('disputesFound', formatCount(w.disputesFound), link({ metric: 'sweeps' })), '件'] : []),
      '。',
    ]);
  } else {
    add('body', ['二是加强矛盾纠纷排查。', hole('本年度矛盾纠纷排查情况（台账中没有排查记录）')]);
  }
  // A case count of zero is said as such ("未发生"), never followed by a rate of 0%.
  const adminCases = (
    cases: 'reconsiderationCases' | 'litigationCases',
    rate: 'reconsiderationPerformanceRate' | 'litigationAppearanceRate',
    what: string,
    rateWord: string,
  ): Part[] => {
    const n = ledgers[cases];
    if (n === 0) return [`全年未发生${what}案件`];
    const parts: Part[] = [`办理${what}案件`, ledger(cases, `${what}案件数`), '件'];
    if (n === undefined || (ledgers[rate] ?? 0) > 0) parts.push(`，${rateWord}`, ledger(rate, `${what}${rateWord}`, formatRate));
    else parts.push(`，${rateWord}`, hole(`${rateWord}（台账中尚无记录）`));
    return parts;
  };
  add('body', [
    `三是加强行政复议应诉工作。${year}年`,
    ...adminCases('reconsiderationCases', 'reconsiderationPerformanceRate', '行政复议', '履行率'),
    '；',
    ...adminCases('litigationCases', 'litigationAppearanceRate', '行政诉讼', '出庭应诉率'),
    '。',
  ]);
  const campaigns = CAMPAIGN_NODES.filter((c) => c.code !== 'other' && (o.byCampaign[c.code] ?? 0) > 0).sort(
    (a, b) => (o.byCampaign[b.code] ?? 0) - (o.byCampaign[a.code] ?? 0),
  );
  const outreachParts: Part[] = ['四是加强公共法律服务。'];
  if (o.sessions > 0) {
    outreachParts.push(
      w.count > 0 ? '依托“法律服务+网格”模式做到精准普法，' : '',
      campaigns.length > 0
        ? `利用${campaigns
            .slice(0, 3)
            .map((c) => `“${labelOf(CAMPAIGN_NODES, c.code)}”`)
            .join('')}${campaigns.length > 3 ? '等' : ''}重要时间节点集中开展法治宣传，`
        : '',
      '全年累计开展法治宣讲',
      fig('outreachSessions', approx(o.sessions), link({ metric: 'outreach' })),
      '场次',
    );
    if (o.audience > 0) outreachParts.push('、宣传群众', fig('outreachAudience', approx(o.audience), link({ metric: 'outreach' })), '人次');
    const shown = campaigns.slice(0, 3);
    if (shown.length > 0) {
      outreachParts.push('，其中');
      shown.forEach((c, i) => {
        outreachParts.push(
          `${labelOf(CAMPAIGN_NODES, c.code)}期间`,
          fig(`byCampaign.${c.code}`, approx(o.byCampaign[c.code] ?? 0), link({ metric: 'outreach', campaign: c.code })),
          '场次、',
          fig(`audienceByCampaign.${c.code}`, approx(o.audienceByCampaign[c.code] ?? 0), link({ metric: 'outreach', campaign: c.code })),
          `人次${i < shown.length - 1 ? '，' : ''}`,
        );
      });
    }
    outreachParts.push('。');
  } else {
    outreachParts.push(hole('本年度法治宣传情况（台账中没有普法活动记录）'));
  }
  add('body', outreachParts);

  add(
    'body',
    [
      '一是认真接受各方面监督，自觉接受党内监督、人大法律监督、政协民主监督和各方面监督。二是加大政务服务公开力度，及时在政务公开栏、政府门户网站等平台公布政府工作报告、财政预决算等信息，全年公开政务信息',
      ledger('disclosureItems', '公开政务信息条数'),
      '条。',
    ],
    '（七）强化行政权力监督。',
  );
  add('body', [hole('本年度推进“互联网+政务服务”、数字法治政府建设的具体举措')], '（八）努力建设数字法治政府。');
  add('body', [hole('本年度法治政府建设工作调度、督查整改和法治培训的情况')], '（九）完善法治政府建设推进机制。');

  add('heading', [`二、${year}年党政主要负责人履行推进法治建设第一责任人职责情况`]);
  add('body', [hole('党政主要负责人亲自部署、推动法治建设的情况')], '（一）加强组织领导。');
  add('body', [hole('党政班子学习习近平法治思想和法律法规的情况')], '（二）加强法治理论学习。');
  add('body', [hole('重大行政决策集体讨论、合法性审查和责任追究的情况')], '（三）强化权力约束。');

  add('heading', [`三、${year}年推进法治政府建设存在的不足和原因`]);
  add('body', [hole('存在的不足及其原因（如依法行政能力、法治意识等方面）')]);
  if (m.failed > 0) {
    add('body', [
      '从台账数据看，全年结案的矛盾纠纷中未化解',
      fig('failed', formatCount(m.failed), link({ metric: 'failed' })),
      '件，需进一步分析原因、加强跟踪。',
    ]);
  }

  add('heading', [`四、${year + 1}年推进法治政府建设的工作思路和目标举措`]);
  add(
    'body',
    ['深入学习宣传贯彻习近平法治思想，切实履行推进法治政府建设职责，定期听取有关工作汇报，及时研究解决法治政府建设中的重大问题。'],
    '（一）继续加强党对法治政府建设的领导。',
  );
  add('body', [hole('下一年度推进依法行政的目标举措')], '（二）扎实推进依法行政。');
  add('body', [hole('下一年度普法与依法治理、矛盾纠纷化解的目标举措')], '（三）持续加大普法与依法治理力度。');

  add('closing', ['特此报告']);
  add('signature', [`中共${place}委员会`]);
  add('signature', [`${place}人民政府`]);
  add('signature', [hole('成文日期')]);

  const placeholders = paragraphs.flatMap((p) => p.spans.filter((s) => s.kind === 'placeholder').map((s) => s.text));
  return { year, orgUnitId, title, status: 'draft', rounded, paragraphs, figures, placeholders };
}

/** A paragraph as plain text (lead included): what the docx and tests read back. */
export function paragraphText(p: ReportParagraph): string {
  return (p.lead ?? '') + p.spans.map((s) => s.text).join('');
}

/** The 报送 table as the .docx and the print page show it: a caption, a header and formatted rows. */
export function reportedTable(
  reported: ReportedFigures,
  timeZoneDate: (iso: string) => string = (iso) => iso.slice(0, 10),
): {
  caption: string;
  note: string;
  header: string[];
  rows: string[][];
} {
  const show = (key: string, n: number) => (key === 'successRate' ? formatRate(n) : formatCount(n));
  const signed = (key: string, n: number) => (n > 0 ? `+${show(key, n)}` : show(key, n));
  return {
    caption: `附：${reported.label}报送数与现数对照`,
    note: `${reported.label}已于${timeZoneDate(reported.closedAt)}由${reported.closedByName}结账，报送数为结账时的数字；此后迟报 ${reported.lateCount} 条，现数含迟报。正文数字为现数。`,
    header: ['统计项', '报送数（结账时）', '现数（含迟报）', '迟报影响'],
    // A change too small to show (a rate moving by 0.02%) reads as none, not as "+0%".
    rows: reported.figures.map((f) => [
      f.label,
      show(f.key, f.atClose),
      show(f.key, f.now),
      /^0%?$/.test(show(f.key, Math.abs(f.change))) ? '—' : signed(f.key, f.change),
    ]),
  };
}
