// The annual report's print view is laid out like the .docx: the letterhead (发文机关) and the
// title centred, the signature to the right, the body justified. The body's rule once
// outweighed the others, so the printed report came out with everything flush left. It prints
// on its own 公文 margins, whatever other document's stylesheet the tab loaded before.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { textMargins } from './support/pdf.ts';
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

  it('prints on its own margins after an agreement print was opened in the same tab', async () => {
    const { page } = phone;
    // As the print dialog would (page.pdf's own print media; an emulated screen would print the screen's).
    await page.emulateMedia({ media: null });
    // In the app, as a link would: the agreement print's stylesheet stays in the document.
    const go = (href: string) =>
      page.evaluate((to) => {
        const a = document.createElement('a');
        a.href = to;
        document.body.append(a);
        a.click();
        a.remove();
      }, href);
    await go('/cases/not-on-this-device/print/agreement');
    await page.getByText('本机没有这个案件的登记信息').waitFor();
    await go(`/office/report?year=2024&orgUnitId=${townId}`);
    await page.locator('.report-title').waitFor({ timeout: 30_000 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'taizhang-report-')), 'report.pdf');
    writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    // GB/T 9704: 28 mm left, 37 mm top (the agreement's are 18 and 20); the top line's glyphs
    // reach about 3 mm above its box.
    const margins = textMargins(file);
    expect(margins.left).toBeCloseTo(28, 0);
    expect(margins.top).toBeGreaterThan(33);
  });
});
