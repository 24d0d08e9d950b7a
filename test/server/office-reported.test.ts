// After 结账, once late records arrived, the reported (报送) figure stands beside the live one in
// the statistics workbook (统计表.xlsx, parsed back) and in the annual report (JSON, .docx parsed
// back, the print page), not only in the 结账 panel. Before any late record, and for a period
// that was not closed, the files are as before.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseClosed, caseOpened, G1, G3, outreach, push, seedTownship, TOWN, V1, type Township } from './support/sync-fixtures.ts';

const HEADER_ROW = 3;

async function overviewOf(res: Response): Promise<{ header: string[]; rows: Map<string, unknown[]>; notes: Map<string, string> }> {
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const ws = wb.getWorksheet('总体')!;
  const header = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1).map(String);
  const rows = new Map<string, unknown[]>();
  for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) {
    const values = (ws.getRow(r).values as unknown[]).slice(1);
    if (typeof values[0] === 'string') rows.set(values[0], values.slice(1));
  }
  const notes = new Map<string, string>();
  wb.getWorksheet('说明')!.eachRow((row) => {
    const [k, val] = (row.values as unknown[]).slice(1);
    if (typeof k === 'string' && typeof val === 'string') notes.set(k, val);
  });
  return { header, rows, notes };
}

function textOfDocx(xml: string): string[] {
  return (xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []).map((p) =>
    (p.match(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, '')).join(''),
  );
}

interface Report {
  reported?: { label: string; lateCount: number; figures: { key: string; atClose: number; now: number; change: number }[] };
}

describe.each(storeCases())('报送 beside the live figure in the exports and the report on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  const stats = (query: string) => t().request('GET', `/api/exports/stats.xlsx?${query}`, { token: town.tokens.office! });
  const report = (format: 'json' | 'docx' | 'html') =>
    t().request('GET', `/api/reports/annual?year=2024&orgUnitId=${TOWN}&format=${format}`, { token: town.tokens.office! });

  beforeAll(async () => {
    town = await seedTownship(t());
    const c1 = caseOpened(G1, '2024-03-01T09:00:00+08:00');
    await push(t(), town.tokens.admin!, [c1, caseClosed(c1, '2024-03-10T10:00:00+08:00'), outreach(V1, '2024-04-01T09:00:00+08:00', 100)]);
    const closed = await t().json('POST', '/api/office/periods/close', { token: town.tokens.office!, body: { orgUnitId: TOWN, year: 2024 } });
    expect(closed.status).toBe(201);
  });

  it('closed without late records: the files carry the one figure, as before', async () => {
    const { header } = await overviewOf(await stats(`year=2024&orgUnitId=${TOWN}`));
    expect(header).toEqual(['统计项', '数值', '口径']);
    expect(((await (await report('json')).json()) as Report).reported).toBeUndefined();
  });

  it('after late records the workbook shows 报送 beside the live figure, with the change', async () => {
    const late = caseOpened(G3, '2024-11-01T09:00:00+08:00');
    const pushed = await push(t(), town.tokens.admin!, [late, caseClosed(late, '2024-11-05T10:00:00+08:00')]);
    expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const { header, rows, notes } = await overviewOf(await stats(`year=2024&orgUnitId=${TOWN}`));
    expect(header).toEqual(['统计项', '现数（含迟报）', '报送数（结账时）', '迟报影响', '口径']);
    expect(rows.get('化解（件）')!.slice(0, 3)).toEqual([2, 1, 1]);
    expect(rows.get('受理（件）')!.slice(0, 3)).toEqual([2, 1, 1]);
    expect(rows.get('法治宣讲（场次）')!.slice(0, 3)).toEqual([1, 1, 0]);
    // A figure a close does not keep has no 报送 cell rather than a made-up one.
    const zeroReports = rows.get('零报告（次）')!;
    expect([zeroReports[1] ?? null, zeroReports[2] ?? null]).toEqual([null, null]);
    expect(notes.get('结账与迟报')).toMatch(/^2024年全年已于\d{4}-\d{2}-\d{2}由office结账；此后迟报 2 条。/);
    // A month that was not closed has no 报送 column.
    expect((await overviewOf(await stats(`year=2024&month=11&orgUnitId=${TOWN}`))).header).toEqual(['统计项', '数值', '口径']);
  });

  it('the report carries the 报送 table in JSON, Word and print', async () => {
    const json = (await (await report('json')).json()) as Report;
    expect(json.reported).toMatchObject({ label: '2024年全年', lateCount: 2 });
    expect(json.reported!.figures.find((f) => f.key === 'resolved')).toEqual({ key: 'resolved', label: '化解（件）', atClose: 1, now: 2, change: 1 });

    const zip = await JSZip.loadAsync(new Uint8Array(await (await report('docx')).arrayBuffer()));
    const paragraphs = textOfDocx(await zip.file('word/document.xml')!.async('string'));
    const at = paragraphs.indexOf('附：2024年全年报送数与现数对照');
    expect(at).toBeGreaterThan(0);
    const cells = paragraphs.slice(at + 1);
    expect(cells.slice(0, 4)).toEqual(['统计项', '报送数（结账时）', '现数（含迟报）', '迟报影响']);
    const resolvedAt = cells.indexOf('化解（件）');
    expect(cells.slice(resolvedAt, resolvedAt + 4)).toEqual(['化解（件）', '1', '2', '+1']);
    expect(paragraphs.some((p) => p.includes('此后迟报 2 条，现数含迟报'))).toBe(true);

    const html = await (await report('html')).text();
    expect(html).toContain('<section class="reported" data-testid="reported"><h2>附：2024年全年报送数与现数对照</h2>');
    expect(html).toContain('<tr><td>化解（件）</td><td>1</td><td>2</td><td>+1</td></tr>');
  });
});
