// Sheets → one .xlsx. The header row is frozen and carries an autoFilter, so sorting or
// filtering in Excel/WPS never moves the header into the data; date columns are real dates
// (yyyy-mm-dd) so they sort and filter as dates.
import ExcelJS from 'exceljs';
import type { Cell, ColumnType, Sheet } from './table.ts';

const NUMBER_FORMATS: Record<ColumnType, string> = {
  text: '@',
  date: 'yyyy-mm-dd',
  int: '0',
  number: '0.00',
  percent: '0.0%',
};

/** 'YYYY-MM-DD' → a Date at UTC midnight: exceljs writes it as that calendar day's serial. */
export function excelDate(localDate: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate)) return null;
  return new Date(`${localDate}T00:00:00Z`);
}

function cellValue(type: ColumnType, raw: Cell): ExcelJS.CellValue {
  if (raw === null || raw === '') return null;
  if (type === 'date') return typeof raw === 'string' ? excelDate(raw) : null;
  if (typeof raw === 'boolean') return raw ? '是' : '否';
  return raw;
}

export async function renderXlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '法治台账';
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 2), style: { numFmt: NUMBER_FORMATS[c.type] } }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', horizontal: 'center' };
    for (const row of sheet.rows) ws.addRow(sheet.columns.map((c, i) => cellValue(c.type, row[i] ?? null)));
    if (sheet.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: sheet.rows.length + 1, column: sheet.columns.length } };
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
