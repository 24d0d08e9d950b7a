// The annual report drafted from pushed events, on every store: figures and sentences in the
// JSON model, the .docx parsed back (word/document.xml) and the printable HTML with links.
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { paragraphText, type AnnualReport } from '../../src/server/reports/model.ts';
import { localDateOf } from '#shared/time';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { yearOfEvents } from './office-fixtures.ts';
import { caseClosed, caseOpened, push, seedTownship, TOWN, V1, type Township } from './support/sync-fixtures.ts';

function textOfDocx(xml: string): string[] {
  const paragraphs = xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [];
  return paragraphs
    .map((p) => (p.match(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, '')).join(''))
    .map((s) =>
      s
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"'),
    )
    .filter((s) => s.length > 0);
}

describe.each(storeCases())('annual report on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    const r = await push(t(), town.tokens.admin!, yearOfEvents());
    expect(r.body.results.every((x) => x.status === 'applied')).toBe(true);
  });

  const url = (format: string, orgUnitId = TOWN, year = 2024) => `/api/reports/annual?year=${year}&orgUnitId=${orgUnitId}&format=${format}`;

  it('fills every mediation, sweep and outreach figure from the data, with its sentence', async () => {
    const r = await t().json<AnnualReport>('GET', url('json'), { token: town.tokens.office! });
    expect(r.status).toBe(200);
    const f = r.body.figures;
    expect(f).toMatchObject({
      accepted: '5',
      closed: '4',
      resolved: '3',
      successRate: '75%',
      peopleInvolved: '9',
      amountInvolved: '2.50',
      'byType.01': '1',
      'byType.02': '2',
      'byChannel.court': '1',
      'byChannel.police': '1',
      'byChannel.application': '1',
      failed: '1',
      sweeps: '3',
      zeroReports: '2',
      disputesFound: '2',
      outreachSessions: '2',
      outreachAudience: '200',
      'byCampaign.dec4': '1',
      'audienceByCampaign.dec4': '120',
      [`byOrgUnit.${V1}`]: '2',
    });
    const text = r.body.paragraphs.map(paragraphText);
    const mediation = text.find((p) => p.startsWith('（六）推进矛盾纠纷行政预防调处化解。'));
    expect(mediation).toContain('2024年镇村人民调解组织共受理矛盾纠纷5件，结案4件，共计完成矛盾纠纷化解3件，调解成功率75%');
    // Only the channels that carried cases are named; a zero one is left out, not written as 0件.
    expect(mediation).toContain('从来源看，通过“诉调”对接化解1件，通过“警调”对接化解1件，依当事人申请化解1件。');
    expect(mediation).toContain('推动“诉调”“警调”对接');
    expect(mediation).not.toContain('访调');
    expect(mediation).not.toMatch(/[^\d]0件/);
    // The test township has no 派驻调解室: the report does not claim to rely on one.
    expect(mediation).not.toContain('调解室');
    expect(r.body.status).toBe('draft');
    expect(mediation).toContain('婚姻家庭纠纷1件');
    expect(text).toContain('一、主要举措及成效');
    expect(text.some((p) => p.includes('全年累计开展法治宣讲2场次、宣传群众200人次，其中12·4国家宪法日期间1场次、120人次'))).toBe(true);
    expect(text.at(-4)).toBe('特此报告');
    // Office figures have no ledger data yet: they are visible placeholders, never invented.
    expect(r.body.placeholders).toContain('【待填写：法律顾问参加会议次数】');
    expect(r.body.placeholders).toContain('【待填写：行政复议案件数】');
    expect(text.some((p) => p.includes('全年公开政务信息【待填写：公开政务信息条数】条'))).toBe(true);
  });

  it('links each figure to the records behind it', async () => {
    const r = await t().json<AnnualReport>('GET', url('json'), { token: town.tokens.office! });
    const spans = r.body.paragraphs.flatMap((p) => p.spans);
    const resolved = spans.find((s) => s.kind === 'figure' && s.key === 'resolved');
    expect(resolved).toMatchObject({ href: `/office/records?metric=resolved&year=2024&orgUnitId=${TOWN}` });
    const court = spans.find((s) => s.kind === 'figure' && s.key === 'byChannel.court');
    expect(court).toMatchObject({ href: `/office/records?metric=resolved&year=2024&orgUnitId=${TOWN}&channel=court` });
  });

  it('writes a .docx whose paragraphs carry the figures, A4 with 仿宋 body and marked placeholders', async () => {
    const res = await t().request('GET', url('docx'), { token: town.tokens.office! });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const zip = await JSZip.loadAsync(new Uint8Array(await res.arrayBuffer()));
    const xml = await zip.file('word/document.xml')!.async('string');
    const paragraphs = textOfDocx(xml);
    expect(paragraphs[0]).toBe('中共江口镇委员会');
    expect(paragraphs).toContain('关于2024年度法治政府建设情况的报告');
    expect(paragraphs.find((p) => p.startsWith('（六）'))).toContain('共计完成矛盾纠纷化解3件');
    expect(paragraphs.some((p) => p.includes('全年各网格开展矛盾纠纷排查3次，其中零报告2次'))).toBe(true);
    // A4 (210 × 297 mm in twips), 仿宋 16 pt body, placeholders highlighted.
    expect(xml).toMatch(/<w:pgSz w:w="1190\d" w:h="1684\d"/);
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('<w:sz w:val="32"/>');
    expect(xml).toMatch(/<w:highlight w:val="yellow"\/>[\s\S]{0,400}【待填写：/);
  });

  it('prints as HTML with A4 print CSS and figure links', async () => {
    const res = await t().request('GET', url('html'), { token: town.tokens.office! });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain(`<a class="figure" data-figure="resolved" href="/office/records?metric=resolved&amp;year=2024&amp;orgUnitId=${TOWN}">3</a>`);
    expect(html).toContain('<mark class="todo">【待填写：');
  });

  it('is for office and admin within their scope only', async () => {
    expect((await t().request('GET', url('json'), { token: town.tokens.grid1! })).status).toBe(403);
    expect((await t().request('GET', url('json'))).status).toBe(401);
    expect((await t().request('GET', url('json', 'nowhere'), { token: town.tokens.office! })).status).toBe(404);
    const bad = await t().json<{ error: { code: string } }>('GET', url('pdf'), { token: town.tokens.office! });
    expect(bad.status).toBe(400);
    expect((await t().request('GET', url('json'), { token: town.tokens.admin! })).status).toBe(200);
  });

  it('refuses a village: the report is a town’s document, not a village’s under the town’s letterhead', async () => {
    const r = await t().json<{ error: { code: string; message: string } }>('GET', url('json', V1), { token: town.tokens.office! });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('wrong_unit_level');
    expect(r.body.error.message).toContain('红星村不能单独出具');
    expect((await t().request('GET', url('docx', V1), { token: town.tokens.office! })).status).toBe(422);
    expect((await t().request('GET', url('html', V1), { token: town.tokens.office! })).status).toBe(422);
  });

  it('marks the draft 草稿 in Word (page header) and print (watermark)', async () => {
    const docx = await t().request('GET', url('docx'), { token: town.tokens.office! });
    const zip = await JSZip.loadAsync(new Uint8Array(await docx.arrayBuffer()));
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^word\/header\d*\.xml$/.test(f))
        .map((f) => zip.file(f)!.async('string')),
    );
    expect(headers.some((h) => h.includes('草稿（未定稿）'))).toBe(true);
    const html = await (await t().request('GET', url('html'), { token: town.tokens.office! })).text();
    expect(html).toContain('<body class="draft">');
    expect(html).toContain('草稿（未定稿）');
  });

  it('rounds counts on request (余) and keeps case counts exact', async () => {
    const r = await t().json<AnnualReport>('GET', `${url('json')}&rounded=1`, { token: town.tokens.office! });
    expect(r.status).toBe(200);
    expect(r.body.rounded).toBe(true);
    expect(r.body.figures).toMatchObject({ outreachAudience: '200', resolved: '3' });
    const bad = await t().json<{ error: { code: string } }>('GET', `${url('json')}&rounded=yes`, { token: town.tokens.office! });
    expect(bad.status).toBe(400);
  });
});

describe.each(storeCases())('定稿 of the annual report on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, yearOfEvents());
  });
  const url = (format: string) => `/api/reports/annual?year=2024&orgUnitId=${TOWN}&format=${format}`;

  it('freezes the text and figures, drops the 草稿 marks, audits who finalised it, and refuses a second 定稿', async () => {
    const done = await t().json<AnnualReport>('POST', '/api/reports/annual/finalise', { token: town.tokens.office!, body: { year: 2024, orgUnitId: TOWN } });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: 'final', finalisedByName: 'office' });
    // A late record changes the live figures but not the finalised report.
    const late = caseOpened(V1, '2024-11-01T09:00:00+08:00');
    await push(t(), town.tokens.admin!, [late, caseClosed(late, '2024-11-02T09:00:00+08:00')]);
    const after = await t().json<AnnualReport>('GET', url('json'), { token: town.tokens.office! });
    expect(after.body.status).toBe('final');
    expect(after.body.figures.resolved).toBe('3');
    expect(after.body.paragraphs).toEqual(done.body.paragraphs);
    const html = await (await t().request('GET', url('html'), { token: town.tokens.office! })).text();
    expect(html).not.toContain('<body class="draft">');
    expect(html).toContain('已定稿');
    const docx = await t().request('GET', url('docx'), { token: town.tokens.office! });
    expect(docx.headers.get('content-disposition')).not.toContain(encodeURIComponent('（草稿）'));
    const audit = await t().store.listAudit({ action: 'report.finalised', limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: 'office', orgUnitId: TOWN });
    const again = await t().json<{ error: { code: string; message: string } }>('POST', '/api/reports/annual/finalise', {
      token: town.tokens.office!,
      body: { year: 2024, orgUnitId: TOWN },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('已于');
  });

  it('refuses a year not yet begun in the deployment’s zone, and keeps the current year open', async () => {
    const thisYear = Number(localDateOf(new Date().toISOString(), 'Asia/Shanghai').slice(0, 4));
    const future = await t().json<{ error: { code: string; message: string } }>('POST', '/api/reports/annual/finalise', {
      token: town.tokens.office!,
      body: { year: thisYear + 1, orgUnitId: TOWN },
    });
    expect(future.status).toBe(422);
    expect(future.body.error).toEqual({ code: 'implausible', message: `${thisYear + 1}年尚未开始（今年是${thisYear}年），不能为其定稿` });
    expect(await t().store.listAudit({ action: 'report.finalised', subjectId: `annual-report:${TOWN}:${thisYear + 1}`, limit: 1 })).toEqual([]);
    const current = await t().request('POST', '/api/reports/annual/finalise', { token: town.tokens.office!, body: { year: thisYear, orgUnitId: TOWN } });
    expect(current.status).toBe(201);
  });

  it('is for office staff on a town in their scope', async () => {
    expect((await t().request('POST', '/api/reports/annual/finalise', { token: town.tokens.grid1!, body: { year: 2023, orgUnitId: TOWN } })).status).toBe(403);
    expect((await t().request('POST', '/api/reports/annual/finalise', { token: town.tokens.office!, body: { year: 2023, orgUnitId: V1 } })).status).toBe(422);
  });
});
