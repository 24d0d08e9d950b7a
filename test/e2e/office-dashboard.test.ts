// Office staff on the demo year in Chromium: open the dashboard, drill into a number, export
// the list, download the report; the figures on screen are the server's.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginApi, loginInUi } from './support/session.ts';

const DEMO_PASSWORD = 'demo-pass-e2e';
const TOWN = '500235110';

describe('office dashboard on the demo year', () => {
  let server: RunningServer;
  let phone: Phone;
  beforeAll(async () => {
    server = await startServer();
    // The demo loader wants the database to itself: stop, load, start again.
    await server.kill();
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: '', TAIZHANG_DEMO_PASSWORD: DEMO_PASSWORD },
      stdio: 'pipe',
    });
    await server.restart();
    phone = await openPhone();
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('shows the year, drills into 化解, exports the list and downloads the report', async () => {
    const token = await loginApi(server.url, 'zongzhiban', DEMO_PASSWORD);
    const summary = (await (
      await fetch(`${server.url}/api/stats/summary?year=2024&orgUnitId=${TOWN}`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as {
      mediation: { resolved: number };
      outreach: { sessions: number };
    };
    expect(summary.mediation.resolved).toBeGreaterThan(400);

    const { page } = phone;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/office?year=2024&orgUnitId=${TOWN}`);
    await loginInUi(page, 'zongzhiban', DEMO_PASSWORD);
    const resolved = page.getByTestId('figure-resolved').getByRole('link');
    await expect.poll(() => resolved.textContent(), { timeout: 30_000 }).toBe(String(summary.mediation.resolved));
    expect(await page.getByTestId('figure-sessions').getByRole('link').textContent()).toBe(String(summary.outreach.sessions));
    await expect.poll(() => page.getByText('每个网格都有排查记录').count()).toBe(1);

    // Drill into the number: the list holds exactly the records it counts.
    await resolved.click();
    await page.waitForURL(/\/office\/records\?metric=resolved/);
    await expect.poll(() => page.getByTestId('records-total').textContent(), { timeout: 30_000 }).toBe(String(summary.mediation.resolved));
    expect(await page.locator('table.office-table tbody tr').count()).toBe(50);

    // Export that list as Excel.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出本列表（Excel）' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/案件登记台账\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await xlsx.path())!);
    // Two title rows (title; 单位, 期间, 制表时间) and the header above the records.
    expect(wb.getWorksheet('案件登记台账')!.rowCount).toBe(summary.mediation.resolved + 3);

    // Back to the dashboard, download the report as Word.
    await page.getByRole('link', { name: '← 返回统计' }).click();
    await page.getByTestId('figure-resolved').waitFor();
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载年度报告（Word）' }).click()]);
    expect(docx.suggestedFilename()).toMatch(/\.docx$/);
    const zip = await JSZip.loadAsync(readFileSync((await docx.path())!));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = (xml.match(/<w:t(?: [^>]*)?>[^<]*<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, '')).join('');
    expect(text).toContain(`共计完成矛盾纠纷化解${summary.mediation.resolved}件`);

    // The on-screen draft links its figures to their records.
    await page.getByRole('link', { name: '年度报告草稿' }).click();
    const figure = page.locator('a.report-figure[data-figure="resolved"]');
    await expect.poll(() => figure.textContent(), { timeout: 30_000 }).toBe(String(summary.mediation.resolved));
    expect(await figure.getAttribute('href')).toBe(`/office/records?metric=resolved&year=2024&orgUnitId=${TOWN}`);
  });

  it('records an office ledger entry that the report then uses', async () => {
    const { page } = phone;
    const token = await loginApi(server.url, 'zongzhiban', DEMO_PASSWORD);
    const disclosed = async () =>
      Number(
        (
          (await (await fetch(`${server.url}/api/reports/annual?year=2024&orgUnitId=${TOWN}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
            figures: Record<string, string>;
          }
        ).figures.disclosureItems,
      );
    const before = await disclosed();
    expect(before).toBeGreaterThan(0); // the demo's own ledgers
    await page.goto(`${server.url}/office/ledgers?year=2024&orgUnitId=${TOWN}`);
    await page.getByLabel('台账类型').selectOption('disclosure');
    await page.getByLabel('公开条数').fill('63');
    await page.getByRole('button', { name: '登记' }).click();
    await page.getByText(`公开政务信息（条）：${before + 63}`).waitFor({ timeout: 30_000 });
    expect(await disclosed()).toBe(before + 63);
  });

  it('closes a month, signed by the user', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office?year=2024&orgUnitId=${TOWN}&month=12`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '为2024年12月结账' }).click();
    // The confirmation, and the reported (报送) figures beside the live ones from then on.
    await page.getByRole('status').filter({ hasText: '2024年12月已结账' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('reported').getByText('2024年12月已结账').waitFor();
    await page.getByText(/2024年12月 · .+ 于 \d{4}-\d{2}-\d{2} 结账 · 迟报 0 条/).waitFor();
  });

  it('works at phone width too', async () => {
    const { page } = phone;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/office?year=2024&orgUnitId=${TOWN}&quarter=4`);
    await page.getByTestId('figure-accepted').waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
