// Streamed exports: a register longer than one page of reads (2,000 rows) comes out whole, in
// order, each case once, as .xlsx and as CSV, written as it is read (no Content-Length: the
// size is not known before the last row); unmasked rows are audited across every page; above
// the row limit the export is refused with a Chinese message to narrow the period or unit.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginOfficeMediator } from './office-fixtures.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, push, seedTownship, TOWN, V1, type Township } from './support/sync-fixtures.ts';

const FIRST_QUARTER = 2_100;
const SECOND_QUARTER = 300;
const LIMIT = 2_300;

describe.each(storeCases())('streamed exports on $name', (storeCase) => {
  const t = useTestApp(storeCase, { limits: { exportRows: LIMIT } });
  let town: Township;
  let officeMediator: string;
  beforeAll(async () => {
    town = await seedTownship(t());
    officeMediator = await loginOfficeMediator(t(), V1, TOWN);
    const day = (i: number, month: number) => `2024-${String(month).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}T09:00:00+08:00`;
    const events = [
      ...Array.from({ length: FIRST_QUARTER }, (_, i) => caseOpened(V1, day(i, 1 + (i % 3)), { summary: `第${i}号纠纷` })),
      ...Array.from({ length: SECOND_QUARTER }, (_, i) => caseOpened(V1, day(i, 4), { summary: `第二季度${i}号` })),
    ];
    for (let i = 0; i < events.length; i += 500) expect((await push(t(), town.tokens.admin!, events.slice(i, i + 500))).status).toBe(200);
  }, 120_000);

  it('refuses the year (2,400 rows over a limit of 2,300) with 422 and a Chinese message to narrow it', async () => {
    for (const file of ['cases.xlsx', 'cases.csv']) {
      const res = await t().json<{ error: { code: string; message: string } }>('GET', `/api/exports/${file}?year=2024&orgUnitId=${TOWN}`, {
        token: town.tokens.office!,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('export_too_large');
      expect(res.body.error.message).toContain(`共 ${FIRST_QUARTER + SECOND_QUARTER} 行`);
      expect(res.body.error.message).toMatch(/缩小统计期|下级单位/);
    }
  });

  it('streams a 2,100-row quarter as .xlsx that reads back whole and in order, and audits every unmasked row', async () => {
    const res = await t().request('GET', `/api/exports/cases.xlsx?year=2024&quarter=1&orgUnitId=${TOWN}`, { token: officeMediator });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('案件登记台账')!;
    expect(String(ws.getCell('A1').value)).toBe('江口镇2024年第1季度案件登记台账');
    expect((ws.getRow(3).values as unknown[]).slice(1, 3)).toEqual(['案件编号', '所属单位']);
    const numbers: string[] = [];
    const dates: string[] = [];
    for (let r = 4; r <= ws.rowCount; r++) {
      numbers.push(String(ws.getRow(r).getCell(1).value));
      dates.push((ws.getRow(r).getCell(3).value as Date).toISOString().slice(0, 10));
    }
    expect(numbers).toHaveLength(FIRST_QUARTER);
    expect(new Set(numbers).size).toBe(FIRST_QUARTER);
    expect(dates).toEqual([...dates].sort());
    expect(ws.autoFilter).toBe(`A3:R${3 + FIRST_QUARTER}`);
    const audit = await t().store.listAudit({ action: 'export.unmasked', limit: 10 });
    expect(audit[0]!.detail).toMatchObject({ file: 'cases.xlsx', rows: FIRST_QUARTER });
  });

  it('streams the same quarter as CSV: one BOM, a header and 2,100 lines', async () => {
    const res = await t().request('GET', `/api/exports/cases.csv?year=2024&quarter=1&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull();
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.startsWith('\ufeff案件编号,')).toBe(true);
    expect(text.split('\ufeff')).toHaveLength(2);
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + FIRST_QUARTER);
    // The office sees the village's parties masked.
    expect(lines[1]).toContain(',张*,李*,');
  });
});
