// @vitest-environment happy-dom
// The org sheet on its way to the server: the admin's file goes as it is, marked as an .xlsx
// workbook or CSV text (the server reads both: test/server/access-admin.test.ts); an old
// binary .xls is refused here with what to do instead.
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { XLSX_TYPE } from '../../../../src/app/screens/Admin/api.ts';
import { readSheet } from '../../../../src/app/screens/Admin/OrgImport.tsx';

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer).slice().buffer;
}

const bytesOf = async (b: Blob) => [...new Uint8Array(await b.arrayBuffer())];

describe('the org sheet the import sends', () => {
  test('an .xlsx goes as a workbook, whatever its name says, with its bytes untouched', async () => {
    const xlsx = await workbook((wb) => wb.addWorksheet('s').addRow(['编号', '名称']));
    for (const name of ['org.xlsx', '组织架构（1）']) {
      const sheet = await readSheet(Object.assign(new Blob([xlsx]), { name }));
      if ('error' in sheet) throw new Error(sheet.error);
      expect(sheet.type).toBe(XLSX_TYPE);
      expect(await bytesOf(sheet.bytes)).toEqual([...new Uint8Array(xlsx)]);
    }
  });

  test('CSV goes as text/csv in the encoding Excel saved it (GBK stays GBK for the server to read)', async () => {
    // "编号,名称\n镇" in GBK.
    const gbk = new Uint8Array([0xb1, 0xe0, 0xba, 0xc5, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0a, 0xd5, 0xf2]);
    for (const body of [gbk, new TextEncoder().encode('编号,名称\n')]) {
      const sheet = await readSheet(Object.assign(new Blob([body]), { name: 'org.csv' }));
      if ('error' in sheet) throw new Error(sheet.error);
      expect(sheet.type).toBe('text/csv');
      expect(await bytesOf(sheet.bytes)).toEqual([...body]);
    }
  });

  test('an old .xls is refused with what to do, by its content or by its name', async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await readSheet(Object.assign(new Blob([ole]), { name: 'org.xlsx' }))).toEqual({ error: expect.stringContaining('.xls') });
    expect(await readSheet(Object.assign(new Blob(['编号,名称\n']), { name: 'org.xls' }))).toEqual({ error: expect.stringContaining('另存为 .xlsx') });
  });
});
