// Sheets → one .xlsx that prints: A4 landscape fitted to the page width, a title block
// (title, 单位, 期间, 制表时间) above the header, the header row repeated on every printed
// page, frozen and carrying an autoFilter (sorting in Excel/WPS never moves it into the
// data). Date columns are real dates (yyyy-mm-dd), counts integers, money 元 with thousands
// separators; total rows bold. Streamed: rows are written as they are read, never the whole
// file in memory.
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, ColumnType, PagedSheet, Sheet } from './table.ts';

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

/** What the in-memory workbook and the streaming writer both offer (exceljs types them apart). */
type AnyWorkbook = Pick<ExcelJS.Workbook, 'addWorksheet'>;
type AnyRow = ExcelJS.Row & { commit?: () => void };

/** Title block and header row of a sheet; returns the header's row number. */
function startSheet(wb: AnyWorkbook, sheet: Sheet): { ws: ExcelJS.Worksheet; headerRow: number } {
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
  const rows: AnyRow[] = [];
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
    rows.push(title, info);
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
  rows.push(header);
  // Streamed: these rows are final, written out now.
  for (const r of rows as AnyRow[]) r.commit?.();
  return { ws, headerRow };
}

/** A page of rows, appended (and, streamed, written out). */
function addRows(ws: ExcelJS.Worksheet, columns: Sheet['columns'], page: Sheet): void {
  const totals = new Set(page.totalRows ?? []);
  page.rows.forEach((row, r) => {
    const added: AnyRow = ws.addRow(columns.map((c, i) => cellValue(page.cellTypes?.[r]?.[i] ?? c.type, row[i] ?? null)));
    page.cellTypes?.[r]?.forEach((type, i) => {
      if (type !== null) added.getCell(i + 1).numFmt = NUMBER_FORMATS[type];
    });
    if (totals.has(r)) added.font = { bold: true };
    added.commit?.();
  });
}

/** The autoFilter over the rows written, and the note under them. */
function endSheet(ws: ExcelJS.Worksheet, sheet: Sheet, headerRow: number, rowCount: number): void {
  const width = sheet.columns.length;
  if (width > 0) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + rowCount, column: width } };
  if (sheet.note) {
    const note: AnyRow = ws.addRow([sheet.note]);
    note.font = { italic: true, color: { argb: 'FF555555' } };
    note.getCell(1).numFmt = '@';
    if (width > 1) ws.mergeCells(note.number, 1, note.number, width);
    note.commit?.();
  }
}

/** Resolves when the reader has taken what was written, or has gone. */
function drained(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

export interface XlsxStreamOptions {
  /** Runs once every page was read (or reading failed), before the file's last bytes go. */
  beforeEnd?: () => Promise<void>;
}

/**
 * Sheets → one .xlsx written as its rows are read: exceljs's streaming writer, each row written
 * out as it is added, a page of rows read only when the client has taken what was written (so a
 * slow download holds the database reads back, not the server's memory).
 */
export function streamXlsx(sheets: readonly PagedSheet[], { beforeEnd }: XlsxStreamOptions = {}): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '法治台账';
  const write = async () => {
    try {
      for (const { head, pages } of sheets) {
        const { ws, headerRow } = startSheet(wb as unknown as AnyWorkbook, head);
        let rowCount = 0;
        for await (const page of pages) {
          if (out.destroyed) return;
          addRows(ws, head.columns, page);
          rowCount += page.rows.length;
          if (out.writableNeedDrain) await drained(out);
        }
        endSheet(ws, head, headerRow, rowCount);
        (ws as unknown as { commit(): void }).commit();
      }
    } finally {
      await beforeEnd?.();
    }
    await wb.commit();
  };
  write().catch((err: unknown) => {
    // Headers went out with the first bytes: a failure now can only cut the download short.
    console.error('xlsx export failed while streaming', err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
