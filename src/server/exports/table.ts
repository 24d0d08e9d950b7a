// A table as exports write it: Chinese headers, typed columns (a date column holds real dates
// in Excel, not text), rows of plain cells. Built from typed rows with `sheetOf`; the .xlsx
// and .csv writers take the same sheets.
export type ColumnType = 'text' | 'date' | 'int' | 'number' | 'percent';
export type Cell = string | number | boolean | null;

export interface ColumnSpec {
  header: string;
  type: ColumnType;
  width?: number;
}

export interface Column<R> extends ColumnSpec {
  value: (row: R) => Cell;
}

export interface Sheet {
  /** The sheet name (≤ 31 characters, no []:*?/\). */
  name: string;
  columns: readonly ColumnSpec[];
  rows: readonly (readonly Cell[])[];
}

export function sheetOf<R>(name: string, columns: readonly Column<R>[], rows: readonly R[]): Sheet {
  return {
    name,
    columns: columns.map(({ header, type, width }) => (width === undefined ? { header, type } : { header, type, width })),
    rows: rows.map((r) => columns.map((c) => c.value(r))),
  };
}
