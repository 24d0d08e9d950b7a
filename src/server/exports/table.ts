// A table as exports write it: Chinese headers, typed columns (a date column holds real dates
// in Excel, not text), rows of plain cells, and for print a title block (单位, 期间, 制表时间).
// Built from typed rows with `sheetOf`; the .xlsx and .csv writers take the same sheets.
export type ColumnType = 'text' | 'date' | 'int' | 'money' | 'percent';
export type Cell = string | number | boolean | null;

interface ColumnSpec {
  header: string;
  type: ColumnType;
  width?: number;
}

export interface Column<R> extends ColumnSpec {
  value: (row: R) => Cell;
  /** A cell's own type where rows of one column differ (the overview's counts, rates and money). */
  typeOf?: (row: R) => ColumnType;
}

/** What a printed page says above the table. */
export interface SheetTitle {
  title: string;
  unitName: string;
  periodLabel: string;
  /** 制表时间 as the office reads it (local time). */
  madeAt: string;
}

export interface Sheet {
  /** The sheet name (≤ 31 characters, no []:*?/\). */
  name: string;
  columns: readonly ColumnSpec[];
  rows: readonly (readonly Cell[])[];
  /** Per-cell types where a column's rows differ; null keeps the column's type. */
  cellTypes?: readonly (readonly (ColumnType | null)[])[];
  /** Rows (0-based, in `rows`) that are totals: bold in the workbook. */
  totalRows?: readonly number[];
  /** A note printed under the table (what a total covers). */
  note?: string;
  title?: SheetTitle;
}

export const TOTAL_LABEL = '合计';

export function sheetOf<R>(name: string, columns: readonly Column<R>[], rows: readonly R[]): Sheet {
  const sheet: Sheet = {
    name,
    columns: columns.map(({ header, type, width }) => (width === undefined ? { header, type } : { header, type, width })),
    rows: rows.map((r) => columns.map((c) => c.value(r))),
  };
  if (columns.some((c) => c.typeOf !== undefined)) sheet.cellTypes = rows.map((r) => columns.map((c) => c.typeOf?.(r) ?? null));
  return sheet;
}

/** The sheet with its first row of totals marked (label in the first column). */
export function markTotals(sheet: Sheet): Sheet {
  const totalRows = sheet.rows.flatMap((r, i) => (r[0] === TOTAL_LABEL ? [i] : []));
  return totalRows.length > 0 ? { ...sheet, totalRows } : sheet;
}

/**
 * A sheet written as its rows are read (a register of up to 100,000 rows): `head` is the sheet
 * without rows (name, columns, title, note), `pages` its rows a page at a time, each page a
 * Sheet of the same columns (its cellTypes and totalRows count from the page's first row).
 */
export interface PagedSheet {
  head: Sheet;
  pages: AsyncIterable<Sheet>;
}

/** A sheet held whole, as a PagedSheet of one page. */
export function onePage(sheet: Sheet): PagedSheet {
  return {
    head: { ...sheet, rows: [] },
    pages: (async function* () {
      yield sheet;
    })(),
  };
}
