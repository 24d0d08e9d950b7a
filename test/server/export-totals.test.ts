// The statistics workbook adds up: every breakdown sheet's rows sum to its 合计 row and the
// 合计 equals the overview's total, with records registered at the town itself (镇本级) and an
// outreach without a form in the data. The ledgers print: landscape, fitted to the width, the
// header repeated on every page, counts as integers and money in 元 with thousands separators.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { yearOfEvents } from './office-fixtures.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, outreach, push, seedTownship, sweep, TOWN, type Township } from './support/sync-fixtures.ts';

async function workbookOf(res: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

const HEADER_ROW = 3;

/** The data rows under the header (label, then the numbers), up to the first blank or note row. */
function table(ws: ExcelJS.Worksheet): { label: string; values: number[] }[] {
  const out: { label: string; values: number[] }[] = [];
  for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) {
    const values = (ws.getRow(r).values as unknown[]).slice(1);
    if (typeof values[0] !== 'string' || typeof values[1] !== 'number') break;
    out.push({ label: values[0], values: values.slice(1).map(Number) });
  }
  return out;
}

function townLevel() {
  const c1 = caseOpened(TOWN, '2024-04-01T09:00:00+08:00', { disputeType: '02', amountInvolved: 1_234_567.5, peopleInvolved: 6 });
  const c2 = caseOpened(TOWN, '2024-08-01T09:00:00+08:00', { source: 'referral', referrer: 'court' });
  return [
    c1,
    caseClosed(c1, '2024-04-20T10:00:00+08:00', 'success', 'written'),
    c2,
    caseClosed(c2, '2024-08-20T10:00:00+08:00', 'success', 'oral'),
    outreach(TOWN, '2024-09-01T09:00:00+08:00', 300, { campaign: 'dec4' }),
    outreach(TOWN, '2024-10-01T09:00:00+08:00', 50),
    sweep(TOWN, '2024-10-02T09:00:00+08:00', 1),
  ];
}

describe.each(storeCases())('the statistics workbook adds up on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, [...yearOfEvents(), ...townLevel()]);
    const res = await t().request('GET', `/api/exports/stats.xlsx?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    wb = await workbookOf(res);
  });

  const overview = () => Object.fromEntries(table(wb.getWorksheet('总体')!).map((r) => [r.label, r.values[0]!]));

  it('counts the town-level records in the overview', () => {
    // Three resolved in the villages and two at the town; two sessions in the villages and two at the town.
    expect(overview()).toMatchObject({ '化解（件）': 5, '法治宣讲（场次）': 4, '宣传群众（人次）': 550, '矛盾纠纷排查（次）': 4 });
  });

  it.each([
    ['按纠纷类型', '化解（件）', 0],
    ['按来源渠道', '化解（件）', 0],
    ['按单位', '化解（件）', 0],
    ['按月份', '化解（件）', 0],
    ['按月份', '法治宣讲（场次）', 1],
    ['按月份', '宣传群众（人次）', 2],
    ['普法按形式', '法治宣讲（场次）', 0],
    ['普法按节点', '法治宣讲（场次）', 0],
    ['普法按节点', '宣传群众（人次）', 1],
    ['普法按单位', '法治宣讲（场次）', 0],
    ['排查按网格', '矛盾纠纷排查（次）', 0],
  ] as const)('%s: the rows of column %s sum to the 合计 row, which is the overview total', (sheet, total, column) => {
    const rows = table(wb.getWorksheet(sheet)!);
    const last = rows.at(-1)!;
    expect(last.label).toBe('合计');
    const sum = rows.slice(0, -1).reduce((n, r) => n + r.values[column]!, 0);
    expect(sum).toBe(last.values[column]);
    expect(last.values[column]).toBe(overview()[total]);
  });

  it('states each overview figure’s own definition, in the unit the sheet counts it in', () => {
    const ws = wb.getWorksheet('总体')!;
    const definitionOf = (label: string) => {
      for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === label) return String(ws.getRow(r).getCell(3).value);
      throw new Error(`no row ${label}`);
    };
    expect(definitionOf('零报告（次）')).toMatch(/^零报告：/);
    expect(definitionOf('涉及金额（元）')).toContain('本表以元计');
    expect(definitionOf('涉及金额（元）')).not.toContain('以万元计（');
  });

  it('gives the town its own row (镇本级) in the by-unit sheets, and bolds the totals', () => {
    const units = Object.fromEntries(table(wb.getWorksheet('按单位')!).map((r) => [r.label, r.values[0]]));
    // The town committee holds no records: no empty row of it.
    expect(units).toEqual({ 镇本级: 2, 红星村: 2, 青山村: 1, 合计: 5 });
    const outreachUnits = Object.fromEntries(table(wb.getWorksheet('普法按单位')!).map((r) => [r.label, r.values[0]]));
    expect(outreachUnits).toMatchObject({ 镇本级: 2, 合计: 4 });
    const ws = wb.getWorksheet('按单位')!;
    expect(ws.getRow(HEADER_ROW + 4).getCell(1).value).toBe('合计');
    expect(ws.getRow(HEADER_ROW + 4).font?.bold).toBe(true);
  });

  it('lists sessions outside any campaign and a sweep outside any grid as rows of their own', () => {
    const campaigns = Object.fromEntries(table(wb.getWorksheet('普法按节点')!).map((r) => [r.label, r.values]));
    expect(campaigns).toMatchObject({ '12·4国家宪法日': [2, 420], 非集中宣传节点: [2, 130], 合计: [4, 550] });
    const grids = Object.fromEntries(table(wb.getWorksheet('排查按网格')!).map((r) => [r.label, r.values[0]]));
    expect(grids).toMatchObject({ '其他单位（非网格）': 1, 合计: 4 });
  });

  it('says a theme total is not the sum of the themes (one session may have several)', () => {
    const ws = wb.getWorksheet('普法按主题')!;
    const rows = table(ws);
    expect(rows.at(-1)).toEqual({ label: '活动总场次（不重复）', values: [4] });
    expect(String(ws.getRow(ws.rowCount).getCell(1).value)).toContain('一场活动可涉及多个主题');
  });

  it('formats counts as integers and money as 元 with thousands separators', () => {
    const ws = wb.getWorksheet('总体')!;
    const row = (label: string) => Array.from({ length: ws.rowCount }, (_, i) => ws.getRow(i + 1)).find((r) => r.getCell(1).value === label)!;
    expect(row('化解（件）').getCell(2).numFmt).toBe('#,##0');
    expect(row('涉及金额（元）').getCell(2).numFmt).toBe('#,##0.00');
    expect(row('涉及金额（元）').getCell(2).value).toBe(1_234_567.5 + 20_000 + 5_000);
    expect(row('调解成功率（%）').getCell(2).numFmt).toBe('0.0');
  });
});

describe.each(storeCases())('the ledgers print on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, [...yearOfEvents(), ...townLevel()]);
  });

  it.each(['cases', 'outreach', 'stats'])('%s.xlsx: A4 landscape, fitted to one page wide, header repeated on every page', async (file) => {
    const res = await t().request('GET', `/api/exports/${file}.xlsx?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    const wb = await workbookOf(res);
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 });
      expect(ws.pageSetup.printTitlesRow).toBe('3:3');
    }
  });

  it('writes the case register with integer counts and 元 amounts', async () => {
    const res = await t().request('GET', `/api/exports/cases.xlsx?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    const ws = (await workbookOf(res)).getWorksheet('案件登记台账')!;
    const header = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1);
    const people = header.indexOf('涉及人数') + 1;
    const amount = header.indexOf('涉及金额（元）') + 1;
    expect(people).toBeGreaterThan(0);
    expect(amount).toBeGreaterThan(0);
    expect(header.some((h) => String(h).includes('万元'))).toBe(false);
    const big = Array.from({ length: ws.rowCount - HEADER_ROW }, (_, i) => ws.getRow(HEADER_ROW + 1 + i)).find((r) => r.getCell(amount).value === 1_234_567.5)!;
    expect(big.getCell(amount).numFmt).toBe('#,##0.00');
    expect(big.getCell(people).numFmt).toBe('#,##0');
    expect(big.getCell(people).value).toBe(6);
  });
});

describe.each(storeCases())('the 机关台账 and the data-quality lists export on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, [...yearOfEvents(), ...townLevel()]);
    const record = (date: string, entry: Record<string, unknown>) =>
      t().json<{ subjectId: string }>('POST', '/api/office/ledgers', { token: town.tokens.office!, body: { orgUnitId: TOWN, date, entry } });
    expect((await record('2024-03-01', { kind: 'adviser', activity: 'meeting', count: 3 })).status).toBe(201);
    const wrong = await record('2024-04-01', { kind: 'disclosure', count: 7, title: '财政预算公开' });
    expect(wrong.status).toBe(201);
    const voided = await t().json('POST', `/api/office/ledgers/${wrong.body.subjectId}/void`, {
      token: town.tokens.office!,
      body: { orgUnitId: TOWN, reason: '录错' },
    });
    expect(voided.status).toBe(200);
  });

  it('writes every ledger entry with its kind, what it says, its count and whether it was voided', async () => {
    const res = await t().request('GET', `/api/exports/ledgers.xlsx?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    const ws = (await workbookOf(res)).getWorksheet('机关台账')!;
    expect(String(ws.getCell('A1').value)).toBe('江口镇2024年机关台账');
    expect((ws.getRow(HEADER_ROW).values as unknown[]).slice(1)).toEqual(['日期', '单位', '台账类别', '内容', '数量', '状态']);
    const rows = Array.from({ length: ws.rowCount - HEADER_ROW }, (_, i) => (ws.getRow(HEADER_ROW + 1 + i).values as unknown[]).slice(2));
    expect(rows).toEqual([
      ['江口镇', '法律顾问工作', '参加会议', 3, '有效'],
      ['江口镇', '政务公开', '政务公开：财政预算公开', 7, '已作废'],
    ]);
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true });
    const csv = await t().request('GET', `/api/exports/ledgers.csv?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(
      (await csv.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(3);
  });

  it('writes the data-quality lists, each row under its list', async () => {
    const res = await t().request('GET', `/api/exports/quality.xlsx?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    const ws = (await workbookOf(res)).getWorksheet('数据质量')!;
    const lists = Array.from({ length: ws.rowCount - HEADER_ROW }, (_, i) => String(ws.getRow(HEADER_ROW + 1 + i).getCell(1).value));
    // The four sessions of the year carry no photo.
    expect(lists.filter((l) => l === '没有现场照片的普法活动')).toHaveLength(4);
    expect((await t().request('GET', `/api/exports/quality.csv?year=2024&orgUnitId=nowhere`, { token: town.tokens.office! })).status).toBe(404);
    expect((await t().request('GET', `/api/exports/quality.csv?year=2024&orgUnitId=${TOWN}`, { token: town.tokens.grid1! })).status).toBe(403);
  });
});
