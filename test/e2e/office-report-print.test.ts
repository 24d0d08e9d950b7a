// The annual report's print view is laid out like the .docx: the letterhead (发文机关) and the
// title centred, the signature to the right, the body justified. The body's rule once
// outweighed the others, so the printed report came out with everything flush left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { createUser, loginInUi, seedTown } from './support/session.ts';

describe('the annual report printed from the browser', () => {
  let server: RunningServer;
  let phone: Phone;
  let townId: string;
  beforeAll(async () => {
    server = await startServer();
    const town = await seedTown(server.url);
    townId = town.townId;
    await createUser(server.url, town.adminToken, {
      username: 'zongzhi',
      password: 'office-pass-123',
      displayName: '综治办',
      roles: [{ role: 'office', orgUnitId: townId }],
    });
    phone = await openPhone();
    await phone.page.setViewportSize({ width: 1366, height: 768 });
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('centres the letterhead and the title and puts the signature on the right', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office/report?year=2024&orgUnitId=${townId}`);
    await loginInUi(page, 'zongzhi', 'office-pass-123');
    await page.locator('.report-title').waitFor({ timeout: 30_000 });
    await page.emulateMedia({ media: 'print' });
    const align = await page.evaluate(() => {
      const of = (selector: string) => [...document.querySelectorAll(selector)].map((e) => getComputedStyle(e).textAlign);
      return { org: of('.report-org'), title: of('.report-title'), signature: of('.report-signature'), body: of('.report-body').slice(0, 1) };
    });
    expect(align.org.length).toBeGreaterThan(0);
    expect(align.signature.length).toBeGreaterThan(0);
    expect(new Set(align.org)).toEqual(new Set(['center']));
    expect(align.title).toEqual(['center']);
    expect(new Set(align.signature)).toEqual(new Set(['right']));
    expect(align.body).toEqual(['justify']);
  });
});
