// Sheets → one .xlsx that prints: A4 landscape fitted to the page width, a title block
// (title, 单位, 期间, 制表时间) above the header, the header row repeated on every printed
// page, frozen and carrying an autoFilter (sorting in Excel/WPS never moves it into the
// data). Date columns are real dates (yyyy-mm-dd), counts integers, money 元 with thousands
// separators; total rows bold.
import ExcelJS from 'exceljs';
import type { Cell, ColumnType, Sheet } from './table.ts';

const NUMBER_FORMATS: Record<ColumnType, string> = {
  text: '@',
  date: 'yyyy-mm-dd',
  int: '#,##0',
  money: '#,##0.00',
  // Rates are written as percentages (75.5 under a "（%）" header), so a plain one-decimal number.
  percent: '0.0',
};

/** 'YYYY-MM-DD' → a Date at UTC midnight: exceljs writes it as that calendar day's serial. */
function excelDate(localDate: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate)) return null;
  return new Date(`${localDate}T00:00:00Z`);
}

function cellValue(type: ColumnType, raw: Cell): ExcelJS.CellValue {
  if (raw === null || raw === '') return null;
  if (type === 'date') return typeof raw === 'string' ? excelDate(raw) : null;
  if (typeof raw === 'boolean') return raw ? '是' : '否';
  return raw;
}

function addSheet(wb: ExcelJS.Workbook, sheet: Sheet): void {
  const titleRows = sheet.title ? 2 : 0;
  const headerRow = titleRows + 1;
  const ws = wb.addWorksheet(sheet.name.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: headerRow }],
    // fitToPage must be on for fitToWidth to apply; fitToHeight 0 lets the pages run on.
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  const width = sheet.columns.length;
  ws.columns = sheet.columns.map((c) => ({ width: c.width ?? Math.max(10, c.header.length * 2 + 2), style: { numFmt: NUMBER_FORMATS[c.type] } }));
  if (sheet.title) {
    const t = sheet.title;
    const title = ws.getRow(1);
    title.getCell(1).value = t.title;
    title.font = { bold: true, size: 16 };
    title.alignment = { horizontal: 'center', vertical: 'middle' };
    title.height = 28;
    const info = ws.getRow(2);
    info.getCell(1).value = `单位：${t.unitName}　　期间：${t.periodLabel}　　制表时间：${t.madeAt}`;
    // A narrow sheet (two columns) wraps the line rather than cutting 期间 and 制表时间 off the page.
    const widthChars = sheet.columns.reduce((n, c) => n + (c.width ?? Math.max(10, c.header.length * 2 + 2)), 0);
    const infoChars = String(info.getCell(1).value).length * 2;
    info.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    info.height = 16 * Math.max(1, Math.ceil(infoChars / widthChars));
    if (width > 1) {
      ws.mergeCells(1, 1, 1, width);
      ws.mergeCells(2, 1, 2, width);
    }
    // The title cells hold text whatever the column's format (a date column would show 1900-01-00).
    title.getCell(1).numFmt = '@';
    info.getCell(1).numFmt = '@';
  }
  const header = ws.getRow(headerRow);
  sheet.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.numFmt = '@';
    cell.border = { bottom: { style: 'thin' } };
  });
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  const totals = new Set(sheet.totalRows ?? []);
  sheet.rows.forEach((row, r) => {
    const added = ws.addRow(sheet.columns.map((c, i) => cellValue(sheet.cellTypes?.[r]?.[i] ?? c.type, row[i] ?? null)));
    sheet.cellTypes?.[r]?.forEach((type, i) => {
      if (type !== null) added.getCell(i + 1).numFmt = NUMBER_FORMATS[type];
    });
    if (totals.has(r)) added.font = { bold: true };
  });
  if (width > 0) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + sheet.rows.length, column: width } };
  if (sheet.note) {
    const note = ws.addRow([sheet.note]);
    note.font = { italic: true, color: { argb: 'FF555555' } };
    note.getCell(1).numFmt = '@';
    if (width > 1) ws.mergeCells(note.number, 1, note.number, width);
  }
}

export async function renderXlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '法治台账';
  for (const sheet of sheets) addSheet(wb, sheet);
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
