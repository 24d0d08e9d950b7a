// Live updates: two phones of the same village, both online and open. A record saved on one
// shows on the other by itself, in seconds: the server's live channel tells the second phone
// there are new events, and it pulls. Nobody taps 立即同步 and nothing waits for the 5-minute
// idle pull (the poll gives up long before it). The same for the office's open dashboard,
// whose figures are the server's: it reads them again once its desk has pulled the news.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { createUser, loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { phoneSweeps, recordSweepInUi, syncStatus } from './support/sync.ts';

let server: RunningServer;
let town: SeededTown;
let phones: Phone[] = [];

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  phones = [await openPhone(), await openPhone()];
});
afterAll(async () => {
  for (const p of phones) await p.close();
  await server?.stop();
});

const notes = (list: { note: string }[]) => list.map((s) => s.note).sort();

test('a record saved on one phone reaches the other open phone without waiting for the timer', async () => {
  const [a, b] = phones as [Phone, Phone];
  for (const [phone, user] of [
    [a, town.gridWorker],
    [b, town.mediator],
  ] as const) {
    await phone.page.goto(server.url);
    await waitForServiceWorker(phone.page);
    await loginInUi(phone.page, user.username, user.password);
    await expect.poll(() => syncStatus(phone.page), { timeout: 20_000 }).toMatch(/^已同步/);
  }

  // B looks at the sweep screen, whose list shows the village's sweeps.
  await b.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '排查' }).click();
  await b.page.getByLabel('走访户数').waitFor();
  await recordSweepInUi(a.page, { gridId: town.gridId, households: 12, note: '王网格实时排查' });
  await expect.poll(async () => notes(await phoneSweeps(b.page)), { timeout: 20_000 }).toEqual(['王网格实时排查']);
  await expect.poll(() => b.page.getByText('走访 12 户').count(), { timeout: 10_000 }).toBe(1);

  // And the other way round.
  await recordSweepInUi(b.page, { gridId: town.gridId, households: 7, note: '赵调解实时排查' });
  await expect.poll(async () => notes(await phoneSweeps(a.page)), { timeout: 20_000 }).toEqual(['王网格实时排查', '赵调解实时排查']);
});

test('a sweep saved on a phone shows on the office dashboard left open at 1366 px', async () => {
  const a = phones[0]!;
  const desk = await openPhone();
  phones.push(desk);
  const office = await createUser(server.url, town.adminToken, {
    username: 'zongzhiban-live',
    password: 'office-pass-123',
    displayName: '综治办',
    roles: [{ role: 'office', orgUnitId: town.townId }],
  });
  const year = new Date().getFullYear();
  await desk.page.setViewportSize({ width: 1366, height: 768 });
  await desk.page.goto(`${server.url}/office?year=${year}&orgUnitId=${town.townId}`);
  await loginInUi(desk.page, office.username, office.password);
  const row = desk.page.getByRole('row', { name: /第一网格/ });
  await expect.poll(() => row.getByRole('cell').nth(2).textContent(), { timeout: 30_000 }).toBe('2');

  await recordSweepInUi(a.page, { gridId: town.gridId, households: 9, note: '王网格又一次排查' });
  await expect.poll(() => row.getByRole('cell').nth(2).textContent(), { timeout: 20_000 }).toBe('3');
});
