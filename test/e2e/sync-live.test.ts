// Live updates: two phones of the same village, both online and open. A record saved on one
// shows on the other by itself, in seconds: the server's live channel tells the second phone
// there are new events, and it pulls. Nobody taps 立即同步 and nothing waits for the 5-minute
// idle pull (the poll gives up long before it).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
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
