// Exports read back: the .xlsx with exceljs (sheets, Chinese headers, real dates, frozen
// header with autoFilter, masked names) and the CSV (UTF-8 BOM); unmasked exports audited.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginOfficeMediator, yearOfEvents } from './office-fixtures.ts';
import { openTestApp, useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, pullAll, push, seedTownship, TOWN, V1, type Township } from './support/sync-fixtures.ts';

async function workbookOf(res: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

function rowValues(ws: ExcelJS.Worksheet, n: number): unknown[] {
  return (ws.getRow(n).values as unknown[]).slice(1);
}

describe.each(storeCases())('exports on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, yearOfEvents());
  });
  const q = `year=2024&orgUnitId=${TOWN}`;

  it('writes the case register as .xlsx: Chinese headers, dates as dates, frozen filtered header, names masked', async () => {
    const res = await t().request('GET', `/api/exports/cases.xlsx?${q}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = await workbookOf(res);
    const ws = wb.getWorksheet('案件登记台账')!;
    expect(ws).toBeDefined();
    // A title block (title; 单位, 期间, 制表时间) above the header row.
    expect(String(ws.getCell('A1').value)).toBe('江口镇2024年案件登记台账');
    expect(String(ws.getCell('A2').value)).toMatch(
      /^单位：江口镇\u3000\u3000期间：2024年（2024-01-01 至 2024-12-31）\u3000\u3000制表时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/,
    );
    const header = rowValues(ws, 3);
    expect(header.slice(0, 4)).toEqual(['案件编号', '所属单位', '受理日期', '纠纷类型']);
    // Five cases accepted in 2024 (the voided one is not), sorted by date of acceptance.
    expect(ws.rowCount).toBe(8);
    const first = Object.fromEntries(header.map((h, i) => [h, rowValues(ws, 4)[i]]));
    expect(first['受理日期']).toBeInstanceOf(Date);
    expect((first['受理日期'] as Date).toISOString().slice(0, 10)).toBe('2024-03-01');
    expect(first['纠纷类型']).toBe('婚姻家庭纠纷（赡养）');
    expect(first['申请人']).toBe('张**');
    expect(first['联系电话']).toBe('138****5678');
    expect(first['调解结果']).toBe('调解成功');
    expect(first['涉及金额（元）']).toBe(20_000);
    expect(String(first['案件编号'])).toMatch(/^（2024）.+人调字第\d{3}号$/);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBeTruthy();
  });

  it('writes CSV with a UTF-8 BOM and the same rows', async () => {
    const res = await t().request('GET', `/api/exports/cases.csv?${q}&metric=resolved`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder()
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['案件编号', '所属单位', '受理日期']);
    expect(lines).toHaveLength(1 + 3);
    expect(lines.join('\n')).not.toContain('张三丰');
  });

  it('shows a mediator-office their own village unmasked, masks the rest, and audits the export', async () => {
    const token = await loginOfficeMediator(t(), V1, TOWN);
    const res = await t().request('GET', `/api/exports/cases.xlsx?${q}`, { token });
    const ws = (await workbookOf(res)).getWorksheet('案件登记台账')!;
    const applicants = Array.from({ length: ws.rowCount - 3 }, (_, i) => String(ws.getRow(i + 4).getCell(7).value ?? ''));
    expect(applicants).toContain('张三丰');
    expect(applicants.filter((a) => a === '张某')).toHaveLength(2); // the two V1 cases of the default parties
    expect(applicants.filter((a) => a === '张*')).toHaveLength(2); // the V2 cases
    const audit = await t().store.listAudit({ action: 'export.unmasked', limit: 10 });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ file: 'cases.xlsx', rows: 3 });
  });

  it('names the mediators in full, as the case screen (pull) does: they are officials, not parties', async () => {
    const kase = caseOpened(V1, '2023-05-01T09:00:00+08:00', { mediators: ['田大海', '李秀英'] });
    expect((await push(t(), town.tokens.admin!, [kase])).body.results[0]?.status).toBe('applied');
    const ws = (await workbookOf(await t().request('GET', `/api/exports/cases.xlsx?year=2023&orgUnitId=${TOWN}`, { token: town.tokens.office! }))).getWorksheet(
      '案件登记台账',
    )!;
    const header = rowValues(ws, 3);
    const row = Object.fromEntries(header.map((h, i) => [h, rowValues(ws, 4)[i]]));
    expect(row['调解员']).toBe('田大海、李秀英');
    expect(row['申请人']).toMatch(/\*$/);
    const pulled = (await pullAll(t(), town.tokens.office!)).events.find((e) => e.id === kase.id);
    expect(pulled).toMatchObject({ masked: true, data: { mediators: ['田大海', '李秀英'] } });
  });

  it('writes the outreach ledger with audience as numbers', async () => {
    const res = await t().request('GET', `/api/exports/outreach.xlsx?${q}`, { token: town.tokens.office! });
    const ws = (await workbookOf(res)).getWorksheet('普法台账')!;
    expect(ws.rowCount).toBe(5);
    const header = rowValues(ws, 3);
    const audience = header.indexOf('参与人次');
    expect([rowValues(ws, 4)[audience], rowValues(ws, 5)[audience]]).toEqual([80, 120]);
    expect(rowValues(ws, 5)[header.indexOf('宣传节点')]).toBe('12·4国家宪法日');
    const csv = await t().request('GET', `/api/exports/outreach.csv?${q}&campaign=dec4`, { token: town.tokens.office! });
    expect(
      (await csv.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(2);
  });

  it('writes the statistics as one sheet per table', async () => {
    const res = await t().request('GET', `/api/exports/stats.xlsx?${q}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    const wb = await workbookOf(res);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '总体',
      '按纠纷类型',
      '按来源渠道',
      '按单位',
      '按月份',
      '普法按主题',
      '普法按形式',
      '普法按节点',
      '普法按单位',
      '排查按网格',
      '说明',
    ]);
    const overview = Object.fromEntries(
      Array.from({ length: wb.getWorksheet('总体')!.rowCount - 3 }, (_, i) => rowValues(wb.getWorksheet('总体')!, i + 4).slice(0, 2)),
    );
    expect(overview).toMatchObject({ '受理（件）': 5, '结案（件）': 4, '化解（件）': 3, '调解成功率（%）': 75, '宣传群众（人次）': 200 });
    const types = Object.fromEntries(Array.from({ length: 15 }, (_, i) => rowValues(wb.getWorksheet('按纠纷类型')!, i + 4)));
    expect(types).toMatchObject({ 婚姻家庭纠纷: 1, 邻里纠纷: 2, 合同纠纷: 0 });
    const channels = Object.fromEntries(Array.from({ length: 7 }, (_, i) => rowValues(wb.getWorksheet('按来源渠道')!, i + 4)));
    expect(channels).toMatchObject({ 诉调: 1, 警调: 1, 访调: 0 });
    expect(rowValues(wb.getWorksheet('按月份')!, 15)[1]).toBe(1); // December: the New Year's Eve closure
    // Three grids and their 合计, under the two title rows and the header.
    expect(wb.getWorksheet('排查按网格')!.rowCount).toBe(7);
  });

  it('refuses callers outside the office roles or the scope', async () => {
    expect((await t().request('GET', `/api/exports/cases.xlsx?${q}`, { token: town.tokens.grid1! })).status).toBe(403);
    expect((await t().request('GET', `/api/exports/cases.xlsx?year=2024&orgUnitId=nowhere`, { token: town.tokens.office! })).status).toBe(404);
    const bad = await t().json<{ error: { code: string } }>('GET', `/api/exports/cases.csv?year=24&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_body');
  });
});

describe.each(storeCases())('exports above the row limit on $name', (storeCase) => {
  // Five cases and two outreach records in 2024; the limit is set to four rows, then to one.
  const t = useTestApp(storeCase, { limits: { exportRows: 4 } });
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.admin!, yearOfEvents());
  });

  it('refuses a register longer than the limit with 422 and a message to narrow it, instead of a cut file', async () => {
    for (const file of ['cases.xlsx', 'cases.csv']) {
      const res = await t().json<{ error: { code: string; message: string } }>('GET', `/api/exports/${file}?year=2024&orgUnitId=${TOWN}`, {
        token: town.tokens.office!,
      });
      expect(res.status, file).toBe(422);
      expect(res.body.error.code).toBe('export_too_large');
      expect(res.body.error.message).toContain('共 5 行');
      expect(res.body.error.message).toMatch(/缩小统计期.*下级单位/);
    }
    // Narrowed to what fits (the four resolved cases), the whole register comes.
    const csv = await t().request('GET', `/api/exports/cases.csv?year=2024&orgUnitId=${TOWN}&metric=closed`, { token: town.tokens.office! });
    expect(csv.status).toBe(200);
    expect(
      (await csv.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(1 + 4);
  });

  it('refuses the outreach ledger the same way', async () => {
    const small = await openTestApp(storeCase, { limits: { exportRows: 1 } });
    try {
      const seeded = await seedTownship(small);
      await push(small, seeded.tokens.admin!, yearOfEvents());
      const res = await small.json<{ error: { code: string } }>('GET', `/api/exports/outreach.csv?year=2024&orgUnitId=${TOWN}`, {
        token: seeded.tokens.office!,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('export_too_large');
    } finally {
      await small.dispose();
    }
  });
});
