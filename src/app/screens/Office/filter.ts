// The dashboard's filter (year, quarter or month, org unit) and its place in the URL, so that a
// period and unit can be bookmarked, shared and come back on the browser's back button.
export interface OfficeFilter {
  year: number;
  /** 0 = the whole year. */
  quarter: number;
  /** 0 = no single month (takes precedence over quarter). */
  month: number;
  orgUnitId: string;
}

export function filterFromSearch(search: string, defaults: OfficeFilter): OfficeFilter {
  const p = new URLSearchParams(search);
  const int = (key: string, min: number, max: number, fallback: number) => {
    const n = Number(p.get(key));
    return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
  };
  const month = int('month', 1, 12, 0);
  return {
    year: int('year', 2000, 2200, defaults.year),
    month,
    quarter: month ? 0 : int('quarter', 1, 4, 0),
    orgUnitId: p.get('orgUnitId') || defaults.orgUnitId,
  };
}

/** year=…&orgUnitId=…[&month=…|&quarter=…] */
export function queryOf(f: OfficeFilter): string {
  const parts = [`year=${f.year}`, `orgUnitId=${encodeURIComponent(f.orgUnitId)}`];
  if (f.month) parts.push(`month=${f.month}`);
  else if (f.quarter) parts.push(`quarter=${f.quarter}`);
  return parts.join('&');
}

export function periodLabel(f: OfficeFilter): string {
  if (f.month) return `${f.year}年${f.month}月`;
  if (f.quarter) return `${f.year}年第${f.quarter}季度`;
  return `${f.year}年`;
}

/** The period part of a records link. */
export function periodOfFilter(f: OfficeFilter): { month?: number; quarter?: number } {
  if (f.month) return { month: f.month };
  if (f.quarter) return { quarter: f.quarter };
  return {};
}
