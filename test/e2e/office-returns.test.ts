// The office's monthly return in Chromium at desk size (1366×768) over the demo year: the 月报
// screen shows the month's table, the download is the paper-shaped .xlsx, and the parsed sheet
// adds up: every 合计 is the sum of the village and 镇本级 rows, and equals what the screen shows.
// Printed from the browser, the return starts on its first sheet, under its title.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETURN_ITEMS } from '#shared/returns/monthly';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi } from './support/session.ts';

const DEMO_PASSWORD = 'demo-pass-e2e';
const TOWN = '500235110';

describe('the monthly return on the demo year', () => {
  let server: RunningServer;
  let phone: Phone;
  beforeAll(async () => {
    server = await startServer();
    await server.kill();
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: '', TAIZHANG_DEMO_PASSWORD: DEMO_PASSWORD },
      stdio: 'pipe',
    });
    await server.restart();
    phone = await openPhone();
    await phone.page.setViewportSize({ width: 1366, height: 768 });
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('downloads the month’s return; the parsed sheet adds up and matches the screen', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office/returns?year=2024&month=6&orgUnitId=${TOWN}`);
    await loginInUi(page, 'zongzhiban', DEMO_PASSWORD);
    const table = page.getByRole('table', { name: '月报本月' });
    await table.waitFor({ timeout: 30_000 });
    await page.getByText('江口镇矛盾纠纷排查调处情况月报表').first().waitFor();
    const totalOnScreen = (await table.locator('tr.total td').allInnerTexts()).map((s) => s.trim());
    expect(totalOnScreen).toHaveLength(RETURN_ITEMS.length);

    await page.getByLabel('负责人').fill('王所长');
    await page.getByLabel('填表人').fill('李干事');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载月报（Excel）' }).click()]);
    expect(download.suggestedFilename()).toBe('江口镇2024年6月矛盾纠纷排查调处月报.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.getWorksheet('本月')!;
    expect(String(ws.getCell(1, 1).value)).toContain('江口镇矛盾纠纷排查调处情况月报表');
    expect(String(ws.getCell(2, 1).value)).toMatch(/填报单位：江口镇.*报表期间：2024年6月.*填报日期：\d{4}-\d{2}-\d{2}/);
    const rows: unknown[][] = [];
    for (let r = 4; r <= ws.rowCount; r++) {
      const values = (ws.getRow(r).values as unknown[]).slice(1);
      rows.push(values);
      if (values[0] === '合计') break;
    }
    const total = rows.at(-1)!;
    expect(total[0]).toBe('合计');
    const parts = rows.slice(0, -1);
    // 32 villages and 4 communities, then 镇本级.
    expect(parts).toHaveLength(37);
    expect(parts.at(-1)![0]).toBe('镇本级');
    RETURN_ITEMS.forEach((item, i) => {
      if (item.type === 'percent') return;
      const sum = parts.reduce((s, r) => s + Number(r[i + 1] ?? 0), 0);
      expect(Number(total[i + 1]), item.label).toBeCloseTo(sum, 2);
    });
    const col = (key: string) => RETURN_ITEMS.findIndex((i) => i.key === key) + 1;
    expect(Number(total[col('accepted')])).toBeGreaterThan(0);
    expect(String(Number(total[col('accepted')]))).toBe(totalOnScreen[col('accepted') - 1]);
    expect(Number(total[col('sweeps')])).toBeGreaterThan(100);
    const rate = (Number(total[col('resolved')]) / Number(total[col('closed')])) * 100;
    expect(Number(total[col('successRate')])).toBeCloseTo(rate, 1);
    const signed = Array.from({ length: 4 }, (_, k) => String(ws.getCell(rows.length + 4 + k, 1).value ?? '')).join('');
    expect(signed).toContain('负责人：王所长');
    expect(signed).toContain('填表人：李干事');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, printTitlesRow: '3:3' });
    for (const name of ['年度累计', '同期', '村排名', '按上报类型', '半月排查', '组织和人员']) expect(wb.getWorksheet(name), name).toBeDefined();
  });

  it('prints the return from its first sheet: the 37 rows break between rows, not before the table', async () => {
    const { page } = phone;
    const table = page.getByRole('table', { name: '月报本月' });
    const firstUnit = (await table.locator('tbody th').first().innerText()).trim();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'taizhang-returns-')), 'return.pdf');
    writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const text of ['江口镇矛盾纠纷排查调处情况月报表', '单位', firstUnit]) expect(first).toContain(text);
    // The column printed, not the radio buttons of the other two.
    expect(first).not.toContain('年度累计');
  });
});
