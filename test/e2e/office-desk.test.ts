// Office staff on a PC (1366×768) over the demo township: the desk layout, every case opening
// from the drill-down lists (the masked replica is readable), no write the server refuses on
// offer, the records table whole on screen with sort in the URL, and revealing one party with
// a reason, audited.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginApi, loginInUi, unlockInUi } from './support/session.ts';

const DEMO_PASSWORD = 'demo-pass-e2e';
const TOWN = '500235110';

describe('the office desk on the demo year', () => {
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
    await phone.page.setViewportSize({ width: 1366, height: 768 });
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('syncs every record readable, with the desk layout and the whole records table', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office?year=2024&orgUnitId=${TOWN}`);
    await loginInUi(page, 'zongzhiban', DEMO_PASSWORD);
    await page.getByTestId('figure-accepted').waitFor({ timeout: 30_000 });
    await page.getByText('已同步').first().waitFor({ timeout: 60_000 });

    // The device page lists records it cannot read: none.
    await page.goto(`${server.url}/about`);
    await page.getByText('设备编号').waitFor();
    expect(await page.getByText('无法读取').count()).toBe(0);
    await page.goto(`${server.url}/`);
    await page.getByText('待上传').first().waitFor();
    expect(await page.getByText('无法读取').count()).toBe(0);
    // Office staff record nothing in the field: no 登记 is offered to them.
    for (const name of ['登记案件', '登记普法', '排查 / 零报告']) expect(await page.getByRole('link', { name }).count()).toBe(0);

    // A side navigation, no phone tab bar.
    await expect.poll(() => page.getByRole('navigation', { name: '桌面导航' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: '主导航' }).isVisible()).toBe(false);

    await page.goto(`${server.url}/office/records?metric=accepted&year=2024&orgUnitId=${TOWN}`);
    await page.getByTestId('records-total').waitFor({ timeout: 30_000 });
    const headers = await page.locator('table.office-table thead th').allInnerTexts();
    expect(headers.map((h) => h.trim())).toEqual([
      '案件编号',
      '所属单位',
      '受理日期',
      '纠纷类型',
      '来源',
      '申请人',
      '被申请人',
      '状态',
      '调解结果',
      '结案日期',
    ]);
    const fit = await page.evaluate(() => {
      const box = document.querySelector('.table-scroll')!;
      const last = document.querySelector('table.office-table thead th:last-child')!.getBoundingClientRect();
      return { overflow: box.scrollWidth - box.clientWidth, lastRight: last.right, viewport: window.innerWidth };
    });
    expect(fit.overflow).toBeLessThanOrEqual(0);
    expect(fit.lastRight).toBeLessThanOrEqual(fit.viewport);

    // Sorting is in the URL: reload and back keep it.
    await page.getByRole('button', { name: '受理日期' }).click();
    await page.getByRole('button', { name: '受理日期' }).click();
    await page.waitForURL(/sort=openedDate&dir=desc/);
    const firstDate = () => page.locator('table.office-table tbody tr:first-child td:nth-child(3)').innerText();
    expect(await firstDate()).toMatch(/^2024-12-/);
    await page.reload();
    await page.getByTestId('records-total').waitFor({ timeout: 30_000 });
    expect(await firstDate()).toMatch(/^2024-12-/);
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('受理日期');
  });

  it('opens every case of the drill-down lists, offering no write', async () => {
    const { page } = phone;
    const token = await loginApi(server.url, 'zongzhiban', DEMO_PASSWORD);
    const ids: string[] = [];
    for (let p = 1; ; p++) {
      const r = (await (
        await fetch(`${server.url}/api/office/records?metric=accepted&year=2024&orgUnitId=${TOWN}&pageSize=500&page=${p}`, {
          headers: { Authorization: `Bearer ${token}` },
        })
      ).json()) as {
        total: number;
        rows: { subjectId: string }[];
      };
      ids.push(...r.rows.map((x) => x.subjectId));
      if (ids.length >= r.total || r.rows.length === 0) break;
    }
    expect(ids.length).toBeGreaterThan(500);
    // Every one of them is held readable on this desk: read the folded records the case screen shows.
    const unreadable = await page.evaluate(async (wanted) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('taizhang');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const all = await new Promise<{ subjectId: string; state: { opened?: unknown } }[]>((resolve, reject) => {
        const req = db.transaction('records').objectStore('records').getAll();
        req.onsuccess = () => resolve(req.result as { subjectId: string; state: { opened?: unknown } }[]);
        req.onerror = () => reject(req.error);
      });
      db.close();
      const opened = new Set(all.filter((r) => r.state.opened).map((r) => r.subjectId));
      return wanted.filter((id) => !opened.has(id));
    }, ids);
    expect(unreadable).toEqual([]);

    // And through the screens: the first row of each case list opens its case, read-only.
    for (const metric of ['accepted', 'closed', 'resolved', 'failed']) {
      await page.goto(`${server.url}/office/records?metric=${metric}&year=2024&orgUnitId=${TOWN}`);
      await page.getByTestId('records-total').waitFor({ timeout: 30_000 });
      await page.locator('table.office-table tbody tr a').first().click();
      await page.waitForURL(/\/cases\//);
      await page.getByText('纠纷简要情况').waitFor({ timeout: 15_000 });
      expect(await page.getByText('登记信息尚未同步到本机').count()).toBe(0);
      expect(await page.getByText('本机没有这个案件').count()).toBe(0);
      for (const name of ['添加调解记录', '结案', '履行', '回访', '重新调解', '更正', '作废'])
        expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
  });

  it('reveals one party with a reason, for a limited time, and the audit says who, what and why', async () => {
    const { page } = phone;
    // The page's clock, so that the ten minutes can pass.
    await page.clock.install();
    await page.goto(`${server.url}/office/records?metric=resolved&year=2024&orgUnitId=${TOWN}`);
    await page.getByTestId('records-total').waitFor({ timeout: 30_000 });
    await page.locator('table.office-table tbody tr a').first().click();
    await page.getByText('纠纷简要情况').waitFor({ timeout: 15_000 });
    const subjectId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await page
      .getByRole('button', { name: /^查看申请人/ })
      .first()
      .click();
    await page.getByRole('button', { name: '确认查看' }).click();
    await page.getByText('请选择查看原因').waitFor();
    await page.getByLabel('查看原因').selectOption('other');
    await page.getByRole('button', { name: '确认查看' }).click();
    await page.getByText('选择“其他”时请写明原因').waitFor();
    await page.getByLabel('说明').fill('法院调取当事人联系方式');
    await page.getByRole('button', { name: '确认查看' }).click();
    const shown = page.locator('.revealed');
    await shown.waitFor({ timeout: 15_000 });
    expect(await shown.innerText()).toMatch(/1\d{10}/);
    expect(await shown.innerText()).toContain('后自动隐藏');

    const admin = await loginApi(server.url, 'demo-admin', DEMO_PASSWORD);
    const log = (await (
      await fetch(`${server.url}/api/admin/audit?action=personal_data.revealed`, { headers: { Authorization: `Bearer ${admin}` } })
    ).json()) as {
      entries: { actorName: string; subjectId: string; reason: string; detail: { party: number } }[];
    };
    expect(log.entries).toEqual([
      expect.objectContaining({ actorName: 'zongzhiban', subjectId, reason: '其他：法院调取当事人联系方式', detail: expect.objectContaining({ party: 0 }) }),
    ]);

    // Ten minutes later it is masked again (the idle desk locks too); nothing of it was kept on the desk.
    const phoneShown = (await shown.innerText()).match(/1\d{10}/)![0];
    await page.clock.fastForward('10:05');
    await shown.waitFor({ state: 'detached', timeout: 5_000 });
    // Ten idle minutes are past the desk's five: it locks (the PIN screen is a lazy chunk, so wait for it).
    await page.getByRole('button', { name: '解锁' }).waitFor({ timeout: 15_000 });
    await unlockInUi(page);
    await page.getByText('纠纷简要情况').waitFor({ timeout: 15_000 });
    expect(await page.locator('body').innerText()).not.toContain(phoneShown);
    expect(await page.getByRole('button', { name: /^查看申请人/ }).count()).toBeGreaterThan(0);
  });

  it('keeps the closed (报送) figure beside the live one once a late record arrives', async () => {
    const { page } = phone;
    // December: the demo closes January to November itself, each with its own late records.
    await page.goto(`${server.url}/office?year=2024&orgUnitId=${TOWN}&month=12`);
    await page.getByTestId('figure-sessions').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('reported').count()).toBe(0);
    const sessionsAtClose = Number(await page.getByTestId('figure-sessions').getByRole('link').textContent());
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '为2024年12月结账' }).click();
    await page.getByTestId('reported').waitFor({ timeout: 30_000 });

    // A grid worker's December session arrives after the close.
    const gw = await loginApi(server.url, 'wg011', DEMO_PASSWORD);
    const me = (await (await fetch(`${server.url}/api/me`, { headers: { Authorization: `Bearer ${gw}` } })).json()) as {
      user: { roles: { orgUnitId: string }[] };
    };
    const late = {
      id: randomUUID(),
      type: 'outreach.recorded',
      subjectId: randomUUID(),
      orgUnitId: me.user.roles[0]!.orgUnitId,
      occurredAt: '2024-12-20T15:00:00+08:00',
      recordedAt: '2024-12-20T15:00:00+08:00',
      deviceId: 'late-phone',
      deviceSeq: 1,
      data: { title: '迟报的宣讲', form: 'lecture', audience: 30 },
    };
    const pushed = (await (
      await fetch(`${server.url}/api/sync/push`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${gw}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ deviceId: 'late-phone', events: [late] }),
      })
    ).json()) as { results: { status: string }[] };
    expect(pushed.results[0]!.status).toBe('applied');

    await page.reload();
    const row = page.getByTestId('reported').locator('tr[data-key="sessions"]');
    await row.waitFor({ timeout: 30_000 });
    expect((await row.locator('td').allInnerTexts()).map((x) => x.trim())).toEqual([
      '法治宣讲（场次）',
      String(sessionsAtClose),
      String(sessionsAtClose + 1),
      '+1',
    ]);
    await expect.poll(() => page.getByTestId('figure-sessions').getByRole('link').textContent(), { timeout: 30_000 }).toBe(String(sessionsAtClose + 1));
    expect(await page.getByTestId('reported').innerText()).toContain('迟报 1 条');
  });
});
