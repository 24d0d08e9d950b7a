// The records table's order and page, as the URL holds them (sort=…&dir=asc|desc&page=…), so a
// reload or the back button shows the same rows in the same order.
export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

export interface TableView {
  sort: string | undefined;
  dir: 'asc' | 'desc';
  page: number;
}

export const TABLE_PAGE_SIZE = 50;

export function tableViewOf(search: string): TableView {
  const p = new URLSearchParams(search);
  const page = Number(p.get('page'));
  return { sort: p.get('sort') || undefined, dir: p.get('dir') === 'desc' ? 'desc' : 'asc', page: Number.isInteger(page) && page >= 1 ? page : 1 };
}

/** The search with the table's keys set (or removed when default); the filters are kept as they are. */
export function withTableView(search: string, view: Partial<TableView>): string {
  const p = new URLSearchParams(search);
  const next = { ...tableViewOf(search), ...view };
  if (next.sort) p.set('sort', next.sort);
  else p.delete('sort');
  if (next.sort && next.dir === 'desc') p.set('dir', 'desc');
  else p.delete('dir');
  if (next.page > 1) p.set('page', String(next.page));
  else p.delete('page');
  return p.toString();
}

/** The search the API gets: the filters only (the table pages and sorts what it loaded). */
export function filtersOnly(search: string): URLSearchParams {
  const p = new URLSearchParams(search);
  for (const k of ['sort', 'dir', 'page', 'pageSize']) p.delete(k);
  return p;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Rows ordered by one column; empty cells last either way; ties keep the server's order. */
export function sortRows(rows: readonly Row[], key: string | undefined, dir: 'asc' | 'desc'): Row[] {
  if (!key) return [...rows];
  const sign = dir === 'desc' ? -1 : 1;
  const empty = (v: Cell) => v === null || v === undefined || v === '';
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = a.row[key];
      const y = b.row[key];
      if (empty(x) || empty(y)) return empty(x) === empty(y) ? a.i - b.i : empty(x) ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}
