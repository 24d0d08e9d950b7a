// Access end to end: the admin builds a town with one village and two grids and creates two
// grid workers and an office user, all through the admin screens (first-run walk-through) in
// Chromium. Each grid worker logs in on their own phone, goes offline, records a sweep and a
// dispute case, reconnects and syncs. Neither phone holds the other's records; the office
// user sees both grids' records, with the parties' names and phones masked.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { ADMIN, loginApi, loginInUi } from './support/session.ts';
import { registerCase } from './support/pages.ts';
import { outboxSize, recordSweepInUi, serverEventList, syncStatus } from './support/sync.ts';

const FIELD_PASSWORD = 'field-pass-123';

interface Worker {
  username: string;
  displayName: string;
  grid: string;
  party: { applicant: string; respondent: string; phone: string };
  note: string;
}

const WORKERS: Worker[] = [
  {
    username: 'wang',
    displayName: '王网格',
    grid: '第一网格',
    party: { applicant: '张三丰', respondent: '李四海', phone: '13812345678' },
    note: '第一网格离线排查',
  },
  {
    username: 'liu',
    displayName: '刘网格',
    grid: '第二网格',
    party: { applicant: '赵五岳', respondent: '钱六合', phone: '13987654321' },
    note: '第二网格离线排查',
  },
];

/** The admin screens as a person uses them: labels and button names only. */
function adminScreens(page: Page) {
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const notice = (text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();
  return {
    async addUnit(kindLabel: string, name: string, shortName?: string) {
      await page.getByLabel(`${kindLabel}名称`).fill(name);
      if (shortName !== undefined) await page.getByLabel('简称（用于案件编号）').fill(shortName);
      await button(`添加${kindLabel}`).click();
      await notice(`“${name}”`);
    },
    async next(title: string) {
      await button(`下一步：${title}`).click();
      await page.getByRole('heading', { name: new RegExp(`^步骤 \\d：${title}$`) }).waitFor();
    },
    async createAccount(a: { username: string; displayName: string; role: string; unit: string }) {
      const form = page.getByRole('form', { name: '新建账号' });
      await form.getByLabel('用户名（登录用）').fill(a.username);
      await form.getByLabel('姓名').fill(a.displayName);
      await form.getByLabel('初始密码').fill(FIELD_PASSWORD);
      await form.getByLabel('角色 1', { exact: true }).selectOption({ label: a.role });
      await form.getByLabel(`${a.role}所在单位`).selectOption({ label: a.unit });
      await form.getByRole('button', { name: '创建账号' }).click();
      await notice(`已创建账号 ${a.username}`);
    },
  };
}

/** The field events a phone holds in IndexedDB, its own and pulled ones (server-written ones left out). */
async function phoneRecords(page: Page): Promise<{ id: string; type: string; orgUnitId: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ id: string; type: string; orgUnitId: string }[]>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('events').objectStore('events').getAll();
          all.onsuccess = () => {
            db.close();
            const events = all.result as { id: string; type: string; orgUnitId: string }[];
            resolve(events.filter((e) => e.type !== 'case.numbered').map(({ id, type, orgUnitId }) => ({ id, type, orgUnitId })));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

let server: RunningServer;
const phones: Phone[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const p of phones) await p.close();
  await server?.stop();
});

test('admin sets up two grids in the UI; each grid worker sees only their own grid; the office sees both, masked', async () => {
  // --- The admin, on an empty server, follows the walk-through.
  const admin = await openPhone();
  phones.push(admin);
  const a = admin.page;
  await a.goto(server.url);
  await loginInUi(a, ADMIN.username, ADMIN.password);
  // A newcomer lands on 首页: a note there leads to the walk-through; the 管理 tab is there too.
  await a.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '管理' }).waitFor();
  await a.getByRole('link', { name: '打开设置向导' }).click();
  await a.getByRole('heading', { name: '设置向导' }).waitFor();
  await a.getByRole('heading', { name: '步骤 1：创建乡镇' }).waitFor();

  const ui = adminScreens(a);
  // The county first: the annual report's letterhead and 主送 name it.
  await a.getByLabel('县名称').fill('云阳县');
  await a.getByRole('button', { name: '添加县', exact: true }).click();
  await a.getByRole('status').filter({ hasText: '已创建“云阳县”' }).waitFor();
  await a.getByLabel('乡镇名称').fill('江口镇');
  await a.getByLabel('简称（用于案件编号）').fill('江口');
  // The short name's effect on case numbers is shown while typing.
  await a.getByText(/（\d{4}）江口人调字第001号/).waitFor();
  await a.getByRole('button', { name: '添加乡镇', exact: true }).click();
  await a.getByRole('status').filter({ hasText: '已创建“江口镇”' }).waitFor();
  await ui.next('添加村/社区');
  await ui.addUnit('村', '向阳村', '向阳');
  await ui.next('添加网格');
  await ui.addUnit('网格', '第一网格');
  await ui.addUnit('网格', '第二网格');
  await ui.next('创建调委会');
  // The committee's name and short name are proposed from the town's.
  await expect.poll(() => a.getByLabel('调委会名称').inputValue()).toBe('江口镇人民调解委员会');
  await a.getByRole('button', { name: '添加调委会', exact: true }).click();
  await a.getByRole('status').filter({ hasText: '已创建“江口镇人民调解委员会”' }).waitFor();
  await ui.next('创建账号');
  for (const w of WORKERS) {
    await ui.createAccount({ username: w.username, displayName: w.displayName, role: '网格员', unit: `云阳县 / 江口镇 / 向阳村 / ${w.grid}（网格）` });
  }
  await ui.createAccount({ username: 'office', displayName: '孙综治', role: '机关工作人员', unit: '云阳县 / 江口镇（乡镇）' });
  await a.getByRole('button', { name: '完成设置' }).click();
  const tree = a.getByRole('tree', { name: '组织架构' });
  await tree.waitFor();
  expect(await tree.getByRole('treeitem').allInnerTexts()).toEqual(
    expect.arrayContaining([expect.stringContaining('第一网格'), expect.stringContaining('第二网格'), expect.stringContaining('江口镇人民调解委员会')]),
  );
  // Once the tree exists the note is gone.
  await a.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' }).click();
  await expect.poll(() => a.getByRole('link', { name: '打开设置向导' }).count(), { timeout: 10_000 }).toBe(0);
  await a.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '管理' }).click();
  // The accounts list shows where each person works.
  await a.getByRole('link', { name: '账号', exact: true }).click();
  await a.getByText('网格员 · 云阳县 / 江口镇 / 向阳村 / 第二网格').waitFor();

  // The ids the admin's screens created, for the phones' pickers.
  const adminToken = await loginApi(server.url, ADMIN.username, ADMIN.password);
  const listed = await fetch(`${server.url}/api/admin/org-units`, { headers: { Authorization: `Bearer ${adminToken}` } });
  const units = ((await listed.json()) as { orgUnits: { id: string; kind: string; name: string }[] }).orgUnits;
  const idOf = (name: string) => units.find((u) => u.name === name)!.id;

  // --- Each grid worker: log in with network, go offline, record, reconnect.
  const field: Phone[] = [];
  for (const w of WORKERS) {
    const phone = await openPhone();
    phones.push(phone);
    field.push(phone);
    const p = phone.page;
    await p.goto(server.url);
    await waitForServiceWorker(p);
    await loginInUi(p, w.username, FIELD_PASSWORD);
    await expect.poll(() => syncStatus(p), { timeout: 20_000 }).toMatch(/^已同步/);
    // Only admins get the link to the admin screens.
    expect(await p.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '管理' }).count()).toBe(0);

    await phone.context.setOffline(true);
    await expect.poll(() => syncStatus(p)).toMatch(/^离线/);
    await recordSweepInUi(p, { gridId: idOf(w.grid), households: 30, disputesFound: 1, note: w.note });
    await registerCase(p, {
      disputeType: '02',
      source: 'application',
      orgUnitId: idOf(w.grid),
      summary: '相邻排水沟堵塞引发争执',
      parties: [{ name: w.party.applicant, phone: w.party.phone }, { name: w.party.respondent }],
    });
    expect(await outboxSize(p)).toBe(2);
  }
  for (const phone of field) await phone.context.setOffline(false);
  for (const phone of field) await expect.poll(() => outboxSize(phone.page), { timeout: 30_000 }).toBe(0);
  // Pull again now that both have pushed: a phone that synced first must still not receive the other grid.
  for (const phone of field) {
    await phone.page.getByRole('button', { name: '立即同步' }).click();
    await expect.poll(() => syncStatus(phone.page), { timeout: 20_000 }).toMatch(/^已同步/);
  }
  const [wang, liu] = WORKERS as [Worker, Worker];
  const held = [await phoneRecords(field[0]!.page), await phoneRecords(field[1]!.page)] as const;
  for (const [i, w] of WORKERS.entries()) {
    expect(held[i]!.map((e) => e.type).sort()).toEqual(['case.opened', 'sweep.recorded']);
    expect(new Set(held[i]!.map((e) => e.orgUnitId))).toEqual(new Set([idOf(w.grid)]));
  }
  // Nor does the other's case show in the phone's case list; the worker's own shows its parties by name.
  await field[0]!.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '案件' }).click();
  await field[0]!.page.getByText(`${wang.party.applicant}、${wang.party.respondent}`).waitFor();
  expect(await field[0]!.page.getByText(liu.party.applicant).count()).toBe(0);
  expect(await field[0]!.page.getByText(`${liu.party.applicant[0]}**`).count()).toBe(0);

  // --- The server holds both; the office user (made by the admin) sees both, masked.
  const onServer = (await serverEventList(server.url, adminToken)).map((e) => e.id);
  expect(onServer).toEqual(expect.arrayContaining([...held[0], ...held[1]].map((e) => e.id)));

  const townId = idOf('江口镇');
  const officeToken = await loginApi(server.url, 'office', FIELD_PASSWORD);
  const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
  const records = async (metric: string) => {
    const r = await fetch(`${server.url}/api/office/records?metric=${metric}&year=${year}&orgUnitId=${townId}`, {
      headers: { Authorization: `Bearer ${officeToken}` },
    });
    expect(r.status).toBe(200);
    return (await r.json()) as { total: number; rows: Record<string, unknown>[] };
  };
  const sweeps = await records('sweeps');
  expect(sweeps.rows.map((r) => r.note).sort()).toEqual(WORKERS.map((w) => w.note).sort());
  const cases = await records('accepted');
  expect(cases.total).toBe(2);
  const body = JSON.stringify(cases.rows);
  for (const w of WORKERS) {
    expect(body).not.toContain(w.party.applicant);
    expect(body).not.toContain(w.party.phone);
    expect(body).toContain(`${w.party.applicant[0]}**`);
    expect(body).toContain(`${w.party.phone.slice(0, 3)}****${w.party.phone.slice(-4)}`);
  }
  expect(cases.rows.every((r) => r.masked === true)).toBe(true);
});
