// @vitest-environment happy-dom
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { readSheet } from '../../../../src/app/screens/Admin/OrgImport.tsx';
import { readXlsxRows, rowsToCsv } from '../../../../src/app/screens/Admin/xlsx.ts';

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer).slice().buffer;
}

describe('reading an Excel sheet', () => {
  test('the first sheet as text: shared and inline strings, numbers as typed, gaps kept, blank rows dropped', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('组织架构');
      ws.addRow(['编号', '上级编号', '类型', '名称', '简称']);
      ws.addRow([500235110, null, '镇', '江口镇', '江口']);
      ws.addRow([]);
      ws.addRow(['500235110201', 500235110, '村', '向阳村, 含"老街"', '向阳']);
      ws.getCell('D5').value = { richText: [{ text: '第一' }, { font: { bold: true }, text: '网格' }] };
      ws.getCell('A5').value = '500235110201-01';
      ws.getCell('B5').value = '500235110201';
      ws.getCell('C5').value = '网格';
      wb.addWorksheet('说明').addRow(['这张表不导入']);
    });
    const rows = await readXlsxRows(bytes);
    expect(rows).toEqual([
      ['编号', '上级编号', '类型', '名称', '简称'],
      ['500235110', '', '镇', '江口镇', '江口'],
      ['500235110201', '500235110', '村', '向阳村, 含"老街"', '向阳'],
      ['500235110201-01', '500235110201', '网格', '第一网格'],
    ]);
    expect(rowsToCsv(rows!).split('\n')[2]).toBe('500235110201,500235110,村,"向阳村, 含""老街""",向阳');
  });

  test('the import reads .xlsx, CSV in UTF-8 or GBK, and refuses .xls and broken files with a reason', async () => {
    const xlsx = await workbook((wb) => wb.addWorksheet('s').addRow(['编号', '名称']));
    expect(await readSheet(Object.assign(new Blob([xlsx]), { name: 'org.xlsx' }))).toBe('编号,名称');
    expect(await readSheet(Object.assign(new Blob(['编号,名称\n']), { name: 'org.csv' }))).toBe('编号,名称\n');
    expect(await readSheet(Object.assign(new Blob([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0])]), { name: 'org.xls' }))).toEqual({ error: expect.stringContaining('.xls') });
    expect(await readSheet(Object.assign(new Blob([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])]), { name: 'org.xlsx' }))).toEqual({ error: expect.stringContaining('无法读取') });
  });
});
