// The case register printed as the office prints it: A4 landscape, fitted to the page width.
// Its 18 columns must come out at a size a person reads at arm's length (the print scale a
// spreadsheet needs to fit the columns' widths on the page leaves the 11 pt text at 7.5 pt or
// more), every value whole (text wraps in a row as tall as it, numbers fit their columns), the
// header on every page, and the on-screen workbook as before (frozen, filtered, typed). The
// outreach ledger's 12 columns print larger still: 8.5 pt or more (it printed at 7.3 pt).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../../src/server/office/records.ts';
import { caseRegisterSheet, outreachLedgerSheet } from '../../src/server/exports/sheets.ts';
import { markTotals, onePage } from '../../src/server/exports/table.ts';
import { streamXlsx } from '../../src/server/exports/xlsx.ts';

/** Arial 11 pt (the workbook's font; Liberation Sans in LibreOffice): its digit, in px at 96 dpi. */
const DIGIT_PX = 8.15;
/** A Chinese character at 11 pt, in px. */
const CJK_PX = 14.67;
const A4_LANDSCAPE_WIDTH_IN = 11.69;

const row = (i: number, over: Partial<CaseRow> = {}): CaseRow => ({
  subjectId: `c${i}`,
  caseNumber: `（2024）帆水社区人调字第${String(i).padStart(3, '0')}号`,
  orgUnitId: 'g',
  orgUnitName: '帆水社区第三网格',
  openedDate: '2024-03-01',
  disputeType: '婚姻家庭纠纷（赡养）',
  source: '委托移送（法院）',
  channel: '当事人申请',
  summary: '邻居因排水沟堵塞、污水流入院坝发生争执',
  applicants: '张**、李**',
  respondents: '王**',
  phones: '138****5678 139****0001 137****2222',
  peopleInvolved: 12,
  amountInvolved: 9_999_999.99,
  mediators: '田大海、李秀英',
  status: '已结案',
  result: '调解不成功',
  agreementForm: '书面协议',
  closedDate: '2024-03-20',
  performed: '已全部履行',
  masked: true,
  ...over,
});

const LONG_SUMMARY =
  '双方因宅基地边界发生争执，申请人称被申请人新建围墙占用其宅基地约三十平方米，被申请人认为该地块系其父辈分得，双方多次协商未果，经村调委会多次上门调解，最终达成协议。';

async function register(rows: readonly CaseRow[]): Promise<ExcelJS.Worksheet> {
  const sheet = {
    ...markTotals(caseRegisterSheet(rows)),
    title: { title: '江口镇2024年案件登记台账', unitName: '江口镇', periodLabel: '2024年（2024-01-01 至 2024-12-31）', madeAt: '2024-12-04 10:59' },
  };
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await new Response(streamXlsx([onePage(sheet)])).arrayBuffer());
  return wb.getWorksheet('案件登记台账')!;
}

describe('the printed case register', () => {
  it('fits A4 landscape at a legible scale: the 11 pt text prints at 7.5 pt or more', async () => {
    const ws = await register([row(1)]);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' });
    const m = ws.pageSetup.margins!;
    expect(m.left + m.right).toBeLessThanOrEqual(0.8);
    expect(m.left).toBeGreaterThanOrEqual(0.25);
    const widths = ws.columns.map((c) => c.width ?? 0);
    expect(widths).toHaveLength(18);
    const sheetPt = widths.reduce((n, w) => n + w * DIGIT_PX, 0) * 0.75;
    const pagePt = (A4_LANDSCAPE_WIDTH_IN - m.left - m.right) * 72;
    const scale = Math.min(1, pagePt / sheetPt);
    expect(11 * scale).toBeGreaterThanOrEqual(7.5);
    // The widths are counted in digits of the workbook's font: Arial, which LibreOffice measures
    // as Liberation Sans, its metric twin (with Calibri, a machine without it measures DejaVu Sans).
    expect(ws.getCell('A4').font).toMatchObject({ name: 'Arial', size: 11 });
  });

  it('keeps every value whole: text wraps in a row as tall as it, numbers and dates fit their columns', async () => {
    const ws = await register([row(1), row(2, { summary: LONG_SUMMARY })]);
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    // Text columns wrap; every cell sits at the top of its row and is ruled.
    for (const name of ['案件编号', '所属单位', '纠纷类型', '联系电话', '纠纷简要情况', '调解结果']) {
      expect(ws.getCell(4, col(name)).alignment, name).toMatchObject({ wrapText: true, vertical: 'top' });
    }
    expect(ws.getCell(4, col('涉及金额（元）')).border).toMatchObject({ top: { style: 'thin' }, bottom: { style: 'thin' } });
    // Rows are as tall as their text (LibreOffice does not grow a row to its wrapped text).
    const lineFloor = (text: string, width: number) => Math.ceil(text.length / Math.floor((width * DIGIT_PX - 5) / CJK_PX));
    const summaryWidth = ws.getColumn(col('纠纷简要情况')).width!;
    expect(ws.getRow(5).height).toBeGreaterThanOrEqual(lineFloor(LONG_SUMMARY, summaryWidth) * 15);
    expect(ws.getRow(4).height).toBeGreaterThanOrEqual(3 * 15); // three numbers, one a line
    // One phone number a line, never split: the column holds one whole.
    expect(ws.getColumn(col('联系电话')).width! * DIGIT_PX - 5).toBeGreaterThanOrEqual('138****5678'.length * DIGIT_PX);
    // A number too wide for its column prints as ####.
    expect(ws.getColumn(col('涉及金额（元）')).width! * DIGIT_PX - 5).toBeGreaterThanOrEqual('9,999,999.99'.length * DIGIT_PX);
    for (const name of ['受理日期', '结案日期']) expect(ws.getColumn(col(name)).width! * DIGIT_PX - 5, name).toBeGreaterThanOrEqual(10 * DIGIT_PX);
    // A five-character value (当事人申请, 已全部履行) is not broken inside: LibreOffice printed 当事人申/请.
    for (const name of ['案件来源', '对接渠道', '履行情况']) expect(ws.getColumn(col(name)).width! * DIGIT_PX - 7, name).toBeGreaterThanOrEqual(5 * CJK_PX);
    // A header with its unit in brackets fits one line (“（元）” is never split from its text).
    for (const [i, h] of header.entries()) {
      if (String(h).includes('（')) expect(ws.getColumn(i + 1).width! * DIGIT_PX - 5, String(h)).toBeGreaterThanOrEqual(String(h).length * CJK_PX);
    }
    // Still the on-screen workbook: frozen, filtered header; real dates and numbers.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getCell(4, col('受理日期')).value).toBeInstanceOf(Date);
    expect(ws.getCell(4, col('涉及金额（元）')).value).toBe(9_999_999.99);
    expect(ws.getCell(5, col('纠纷简要情况')).value).toBe(LONG_SUMMARY);
  });
});

describe('the printed outreach ledger', () => {
  it('fits A4 landscape with its 11 pt text at 8.5 pt or more', async () => {
    const sheet = {
      ...outreachLedgerSheet([]),
      title: { title: '江口镇2024年普法台账', unitName: '江口镇', periodLabel: '2024年', madeAt: '2024-12-04 10:59' },
    };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await new Response(streamXlsx([onePage(sheet)])).arrayBuffer());
    const ws = wb.getWorksheet('普法台账')!;
    const m = ws.pageSetup.margins!;
    const widths = ws.columns.map((c) => c.width ?? 0);
    expect(widths).toHaveLength(12);
    const scale = Math.min(1, ((A4_LANDSCAPE_WIDTH_IN - m.left - m.right) * 72) / (widths.reduce((n, w) => n + w * DIGIT_PX, 0) * 0.75));
    expect(11 * scale).toBeGreaterThanOrEqual(8.5);
  });
});
