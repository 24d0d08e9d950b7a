// Page models of the capture screens: what a user does on them, by visible labels and
// button names, so the tests read as the steps a grid worker or mediator takes.
import type { Page } from 'playwright-core';

export async function openTab(page: Page, name: '首页' | '案件' | '普法' | '排查'): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name }).click();
}

export interface CaseInput {
  disputeType: string;
  source: string;
  orgUnitId: string;
  summary: string;
  parties: { name: string; phone?: string }[];
  mediators?: string;
}

/** Fills 登记案件 and saves; resolves with the new case's id once its detail shows 已保存. */
export async function registerCase(page: Page, input: CaseInput): Promise<string> {
  await openTab(page, '案件');
  await page.getByRole('link', { name: '登记案件' }).first().click();
  await fillCaseForm(page, input);
  await page.getByRole('button', { name: '保存登记' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  const id = /\/cases\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  if (!id) throw new Error(`no case id in ${page.url()}`);
  return id;
}

export async function fillCaseForm(page: Page, input: Partial<CaseInput>): Promise<void> {
  await page.getByLabel('纠纷简要情况').waitFor();
  if (input.disputeType) await page.getByLabel('纠纷类型').selectOption(input.disputeType);
  if (input.source) await page.getByLabel('案件来源').selectOption(input.source);
  if (input.orgUnitId) await page.getByLabel('村（社区）/网格').selectOption(input.orgUnitId);
  if (input.summary !== undefined) await page.getByLabel('纠纷简要情况').fill(input.summary);
  for (const [i, p] of (input.parties ?? []).entries()) {
    await page.getByLabel(`当事人${i + 1} 姓名`).fill(p.name);
    if (p.phone) await page.getByLabel(`当事人${i + 1} 电话`).fill(p.phone);
  }
  if (input.mediators) await page.getByLabel('调解员').fill(input.mediators);
}

async function openAction(page: Page, name: string): Promise<void> {
  await page.getByRole('group', { name: '案件操作' }).getByRole('button', { name }).click();
}

export async function addSession(page: Page, content: string): Promise<void> {
  await openAction(page, '添加调解记录');
  await page.getByLabel('调解情况').fill(content);
  await page.getByRole('button', { name: '保存调解记录' }).click();
  await page.getByRole('status').filter({ hasText: '调解记录已保存' }).waitFor();
}

export async function closeWithWrittenAgreement(page: Page, input: { terms: string; deadline?: string; idNumbers?: string[] }): Promise<void> {
  await openAction(page, '结案');
  await page.getByLabel('调解结果').selectOption('success');
  await page.getByLabel('协议形式').selectOption('written');
  await page.getByLabel('协议内容').fill(input.terms);
  if (input.deadline) await page.getByLabel('履行期限').fill(input.deadline);
  for (const [i, id] of (input.idNumbers ?? []).entries()) await page.getByLabel(`当事人${i + 1} 身份证号`).fill(id);
  await page.getByRole('button', { name: '保存结案' }).click();
  await page.getByRole('status').filter({ hasText: '结案已保存' }).waitFor();
}

export interface OutreachInput {
  title: string;
  form: string;
  audience: number;
  orgUnitId: string;
  themes: string[];
  photos: { name: string; mimeType: string; buffer: Buffer }[];
}

export async function recordOutreach(page: Page, input: OutreachInput): Promise<void> {
  await openTab(page, '普法');
  await page.getByRole('link', { name: '登记普法活动' }).click();
  await page.getByLabel('活动名称').fill(input.title);
  await page.getByLabel('村（社区）/网格').selectOption(input.orgUnitId);
  await page.getByLabel('宣传形式').selectOption(input.form);
  for (const theme of input.themes) await page.getByRole('checkbox', { name: theme }).check();
  await page.getByLabel('受众人次').fill(String(input.audience));
  await page.getByLabel('从相册选择').setInputFiles(input.photos);
  await page
    .getByRole('list', { name: '已选照片' })
    .getByRole('img')
    .nth(input.photos.length - 1)
    .waitFor();
  await page.getByRole('button', { name: '保存普法活动' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
}

/** The "N 条待上传" figure on 首页. */
export async function homePendingCount(page: Page): Promise<number> {
  await openTab(page, '首页');
  const text = (await page.locator('.outbox-line').textContent()) ?? '';
  const n = /(\d+) 条待上传/.exec(text)?.[1];
  if (n === undefined) throw new Error(`no pending count in "${text}"`);
  return Number(n);
}

/** A noisy PNG made in the page (so it compresses like a photo, not like a flat colour). */
export async function makePhoto(page: Page, width = 1800, height = 1200): Promise<Buffer> {
  const base64 = await page.evaluate(
    ({ width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      const img = ctx.createImageData(width, height);
      let seed = 42;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        img.data[i] = ((i / 4) % width) & 0xff;
        img.data[i + 1] = seed & 0xff;
        img.data[i + 2] = (seed >> 8) & 0xff;
        img.data[i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      return canvas.toDataURL('image/png').split(',')[1] ?? '';
    },
    { width, height },
  );
  return Buffer.from(base64, 'base64');
}

/** Sizes of the photos kept in the phone's IndexedDB. */
export async function storedPhotoSizes(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('taizhang');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('blobs').objectStore('blobs').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as { blob: Blob }[]).map((b) => b.blob.size));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}
