// Sheets → one .xlsx that prints: A4 landscape fitted to the page width, a title block
// (title, 单位, 期间, 制表时间) above the header, the header row repeated on every printed
// page, frozen and carrying an autoFilter (sorting in Excel/WPS never moves it into the
// data). Date columns are real dates (yyyy-mm-dd), counts integers, money 元 with thousands
// separators; total rows bold. Text wraps inside its column (a long 纠纷简要情况 makes its row
// taller, not the sheet wider, so fitting the width does not shrink the print), each row as
// tall as its text (print-fit.ts), and the table is ruled, so a row can be followed across a
// landscape page. Streamed: rows are written as they are read, never the whole file in memory.
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { LINE_PT, lineCount, rowHeight } from './print-fit.ts';
import type { Cell, ColumnType, PagedSheet, Sheet } from './table.ts';

const NUMBER_FORMATS: Record<ColumnType, string> = {
  text: '@',
  date: 'yyyy-mm-dd',
  int: '#,##0',
  money: '#,##0.00',
  // Rates are written as percentages (75.5 under a "（%）" header), so a plain one-decimal number.
  percent: '0.0',
};

/**
 * Page margins in inches. Narrow at the sides (≈ 8 mm, inside what office printers can reach):
 * every inch taken off the width is print scale given back to a wide register.
 */
const PAGE_MARGINS = { left: 0.3, right: 0.3, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } as const;

/**
 * The workbook's font. Column widths are counted in the digit width of the workbook's font, so
 * that font decides how wide the sheet prints. exceljs writes Calibri, which a machine without
 * Calibri (or Carlito) replaces with DejaVu Sans, a digit a sixth wider: every column widens and
 * the fitted print shrinks. Arial's metric twin, Liberation Sans, comes with LibreOffice, so
 * Excel, WPS and LibreOffice measure the columns alike (print-fit.ts counts in Arial's digits).
 */
const WORKBOOK_FONT = { name: 'Arial', family: 2, size: 11 } as const;

/** Column widths when a sheet names none: the header's width in characters, at least 10. */
const columnWidth = (c: { header: string; width?: number }): number => c.width ?? Math.max(10, c.header.length * 2 + 2);

const RULE: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

// Text wraps, and every cell sits at the top of its row, so a row made tall by one long cell
// still reads along its first line.
const TEXT_ALIGNMENT: Partial<ExcelJS.Alignment> = { vertical: 'top', wrapText: true };
const OTHER_ALIGNMENT: Partial<ExcelJS.Alignment> = { vertical: 'top' };

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
      margins: { ...PAGE_MARGINS },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  const width = sheet.columns.length;
  ws.columns = sheet.columns.map((c) => ({
    width: columnWidth(c),
    style: { numFmt: NUMBER_FORMATS[c.type], alignment: c.type === 'text' ? TEXT_ALIGNMENT : OTHER_ALIGNMENT },
  }));
  const rows: AnyRow[] = [];
  if (sheet.title) {
    const t = sheet.title;
    const title = ws.getRow(1);
    title.getCell(1).value = t.title;
    title.font = { ...WORKBOOK_FONT, bold: true, size: 16 };
    title.alignment = { horizontal: 'center', vertical: 'middle' };
    title.height = 28;
    const info = ws.getRow(2);
    info.getCell(1).value = `单位：${t.unitName}　　期间：${t.periodLabel}　　制表时间：${t.madeAt}`;
    // A narrow sheet (two columns) wraps the line rather than cutting 期间 and 制表时间 off the page.
    const widthChars = sheet.columns.reduce((n, c) => n + columnWidth(c), 0);
    info.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    info.height = rowHeight(lineCount(String(info.getCell(1).value), widthChars)) ?? LINE_PT;
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
    cell.border = RULE;
  });
  header.font = { ...WORKBOOK_FONT, bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  const headerHeight = rowHeight(Math.max(...sheet.columns.map((c) => lineCount(c.header, columnWidth(c)))));
  if (headerHeight !== undefined) header.height = headerHeight;
  rows.push(header);
  // Streamed: these rows are final, written out now.
  for (const r of rows as AnyRow[]) r.commit?.();
  return { ws, headerRow };
}

/**
 * The styles of a sheet's data cells, one object per column, type and weight, shared by every
 * cell that has it: exceljs writes a style it has seen by looking the object up, where a style
 * of each cell's own is rendered to XML again for every cell (a register of 100,000 rows).
 */
function cellStyles(columns: Sheet['columns']): (column: number, type: ColumnType, bold: boolean) => Partial<ExcelJS.Style> {
  const made = new Map<string, Partial<ExcelJS.Style>>();
  return (i, type, bold) => {
    const key = `${i}:${type}:${bold ? 'b' : ''}`;
    let style = made.get(key);
    if (!style) {
      style = {
        numFmt: NUMBER_FORMATS[type],
        alignment: columns[i]!.type === 'text' ? TEXT_ALIGNMENT : OTHER_ALIGNMENT,
        border: RULE,
        ...(bold ? { font: { ...WORKBOOK_FONT, bold: true } } : {}),
      };
      made.set(key, style);
    }
    return style;
  };
}

/** A page of rows, appended (and, streamed, written out). */
function addRows(ws: ExcelJS.Worksheet, columns: Sheet['columns'], page: Sheet, styleOf: ReturnType<typeof cellStyles>): void {
  const totals = new Set(page.totalRows ?? []);
  page.rows.forEach((row, r) => {
    const types = columns.map((c, i) => page.cellTypes?.[r]?.[i] ?? c.type);
    const added: AnyRow = ws.addRow(columns.map((_, i) => cellValue(types[i]!, row[i] ?? null)));
    const bold = totals.has(r);
    // The row bold as a whole, before its cells are given their shared styles (the row's font
    // setter sets each cell's too, which would change a style the cells share).
    if (bold) added.font = { ...WORKBOOK_FONT, bold: true };
    // Only text wraps; a number keeps to one line.
    let lines = 1;
    columns.forEach((c, i) => {
      added.getCell(i + 1).style = styleOf(i, types[i]!, bold);
      const v = row[i];
      if (c.type === 'text' && typeof v === 'string') lines = Math.max(lines, lineCount(v, columnWidth(c)));
    });
    const height = rowHeight(lines);
    if (height !== undefined) added.height = height;
    added.commit?.();
  });
}

/** The autoFilter over the rows written, and the note under them. */
function endSheet(ws: ExcelJS.Worksheet, sheet: Sheet, headerRow: number, rowCount: number): void {
  const width = sheet.columns.length;
  if (width > 0) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + rowCount, column: width } };
  if (sheet.note) {
    const note: AnyRow = ws.addRow([sheet.note]);
    note.font = { ...WORKBOOK_FONT, italic: true, color: { argb: 'FF555555' } };
    note.getCell(1).numFmt = '@';
    const height = rowHeight(
      lineCount(
        sheet.note,
        sheet.columns.reduce((n, c) => n + columnWidth(c), 0),
      ),
    );
    if (height !== undefined) note.height = height;
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
  // exceljs makes the first font it is given the workbook's (font 0, the Normal style's), and
  // adds Calibri only when it has none: given Arial before any cell is styled, Arial it is.
  (wb as unknown as { styles: { _addFont(font: object): number } }).styles._addFont(WORKBOOK_FONT);
  const write = async () => {
    try {
      for (const { head, pages } of sheets) {
        const { ws, headerRow } = startSheet(wb as unknown as AnyWorkbook, head);
        const styleOf = cellStyles(head.columns);
        let rowCount = 0;
        for await (const page of pages) {
          if (out.destroyed) return;
          addRows(ws, head.columns, page, styleOf);
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
