// One sheet → CSV with a UTF-8 BOM (Excel and WPS then read the Chinese correctly), CRLF
// lines, formula-looking cells defused (the shared CSV writer does both).
import { toCsv } from '../access/org-import.ts';
import type { Sheet } from './table.ts';

export function renderCsv(sheet: Sheet): string {
  const lines: string[][] = [sheet.columns.map((c) => c.header)];
  for (const row of sheet.rows) lines.push(row.map((v) => (v === null ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v))));
  return toCsv(lines);
}
