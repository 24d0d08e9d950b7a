// 以案定补 in Chromium at desk size (1366×768) over the demo year: every mediator's table is whole
// inside the screen's column, its last column (登记人) on screen, in every month. A table was
// wider than the desk when one of its cases had a long dispute type (劳动争议纠纷（拖欠农民工工资）)
// on one line, its 登记人 cut off at the window's edge.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi } from './support/session.ts';

const DEMO_PASSWORD = 'demo-pass-e2e';
const TOWN = '500235110';

describe('以案定补 on the demo year at 1366 px', () => {
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

  it('shows every mediator’s table whole, 登记人 included, in every month', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office/subsidy?year=2024&month=1&orgUnitId=${TOWN}`);
    await loginInUi(page, 'zongzhiban', DEMO_PASSWORD);
    let tables = 0;
    for (let month = 1; month <= 12; month++) {
      await page.goto(`${server.url}/office/subsidy?year=2024&month=${month}&orgUnitId=${TOWN}`);
      await page.locator('.subsidy-rules').waitFor({ timeout: 30_000 });
      const cut = await page.evaluate(() => {
        const view = document.documentElement.clientWidth;
        return [...document.querySelectorAll<HTMLTableElement>('.office-subsidy table')].flatMap((t) => {
          const box = t.parentElement!;
          const last = t.querySelector('thead th:last-child')!.getBoundingClientRect();
          const name = t.closest('.subsidy-mediator')?.querySelector('h3')?.textContent ?? '';
          return box.scrollWidth > box.clientWidth || last.right > view ? [`${name}: ${Math.round(t.scrollWidth)} px in ${box.clientWidth} px`] : [];
        });
      });
      expect(cut, `2024-${month}`).toEqual([]);
      tables += await page.locator('.office-subsidy table').count();
    }
    expect(tables).toBeGreaterThan(100);
  });
});
