// Photos go up before the records that name them, through a network that drops and fakes
// answers; the server then holds the same bytes, and the case number the server assigns
// comes back to the phone (待编号 until then).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPhone, waitForServiceWorker, type Phone } from './support/browser.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { makePhoto, recordOutreach, registerCase } from './support/pages.ts';
import { freePort, startServer, type RunningServer } from './support/server.ts';
import { loginInUi, seedTown, type SeededTown } from './support/session.ts';
import { outboxSize, serverEventList, syncStatus } from './support/sync.ts';

let server: RunningServer;
let proxy: FaultProxy;
let town: SeededTown;
let phone: Phone;

beforeAll(async () => {
  server = await startServer();
  town = await seedTown(server.url);
  proxy = await startFaultProxy(server.url, await freePort());
  phone = await openPhone();
});
afterAll(async () => {
  await phone?.close();
  await proxy?.close();
  await server?.stop();
});

async function blobsUploaded(page: Phone['page']): Promise<boolean[]> {
  return page.evaluate(
    () =>
      new Promise<boolean[]>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('blobs').objectStore('blobs').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as { uploaded: boolean }[]).map((b) => b.uploaded));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

test('a photo and a case recorded offline reach the server through a faulty network; the case number comes back', async () => {
  const { page, context } = phone;
  await page.goto(proxy.url);
  await waitForServiceWorker(page);
  await loginInUi(page, town.mediator.username, town.mediator.password);
  await expect.poll(() => syncStatus(page), { timeout: 20_000 }).toMatch(/^已同步/);

  await context.setOffline(true);
  const photo = await makePhoto(page, 900, 600);
  await recordOutreach(page, {
    title: '民法典进村宣讲',
    form: 'lecture',
    audience: 60,
    orgUnitId: town.villageId,
    themes: [],
    photos: [{ name: 'site.png', mimeType: 'image/png', buffer: photo }],
  });
  const caseId = await registerCase(page, {
    disputeType: '02',
    source: 'application',
    orgUnitId: town.villageId,
    summary: '邻里之间因排水沟堵塞发生纠纷',
    parties: [{ name: '张某' }, { name: '李某' }],
  });
  await page.goto(`${proxy.url}/cases/${caseId}`);
  await page.getByText('待编号').first().waitFor();
  expect(await blobsUploaded(page)).toEqual([false]);

  // The first uploads meet a dropped answer (after the server stored the bytes), a captive
  // portal and a cut-off answer; the records must wait for the photo and then go.
  proxy.arm(['drop-after', 'captive-portal', 'truncated']);
  await context.setOffline(false);
  const deadline = Date.now() + 60_000;
  while ((proxy.remaining() > 0 || (await outboxSize(page)) > 0) && Date.now() < deadline) {
    const button = page.getByRole('button', { name: '立即同步' });
    if (await button.isEnabled()) await button.click();
    await page.waitForTimeout(400);
  }
  expect(await outboxSize(page)).toBe(0);
  expect(await blobsUploaded(page)).toEqual([true]);

  const events = (await serverEventList(server.url, town.adminToken)) as unknown as {
    type: string;
    seq: number;
    subjectId: string;
    data: { photos?: { sha256: string }[]; caseNumber?: string };
  }[];
  const outreach = events.find((e) => e.type === 'outreach.recorded');
  const sha = outreach?.data.photos?.[0]?.sha256;
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  const held = await fetch(`${server.url}/api/attachments/${sha}`, { headers: { Authorization: `Bearer ${town.adminToken}` } });
  expect(held.status).toBe(200);
  expect(
    createHash('sha256')
      .update(Buffer.from(await held.arrayBuffer()))
      .digest('hex'),
  ).toBe(sha);
  // Each upload that reached the server came before any push.
  const firstPush = proxy.log.findIndex((l) => l.path.startsWith('/api/sync/push'));
  expect(proxy.log.slice(0, firstPush).filter((l) => l.method === 'PUT').length).toBeGreaterThanOrEqual(4);

  const numbered = events.find((e) => e.type === 'case.numbered' && e.subjectId === caseId);
  expect(numbered?.data.caseNumber).toMatch(/人调字第\d+号/);
  await page.reload();
  await page.getByText(numbered!.data.caseNumber!).first().waitFor({ timeout: 20_000 });
});
