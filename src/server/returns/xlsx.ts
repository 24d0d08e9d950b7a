// The monthly return as a paper-shaped .xlsx: on every sheet a title, 填报单位 / 报表期间 /
// 填报日期 above the table, the header row repeated on each printed page, 负责人 and 填表人 to sign
// below it, A4 landscape fitted to the width. Codes are text cells (上报代码 01 stays 01), counts
// integers, 涉及金额 元 from fen, rates one decimal under a "（%）" header; 合计 rows bold.
import ExcelJS from 'exceljs';
import type { MonthlyReturnResponse } from '#shared/api/returns';
import { COMMITTEE_TYPES, eventTypeLabel } from '#shared/codes';
import { RETURN_DEFINITIONS, RETURN_ITEMS } from '#shared/returns/monthly';
import { localParts, nowIsoWithOffset } from '#shared/time';

type CellType = 'text' | 'int' | 'money' | 'percent';
const FORMATS: Record<CellType, string> = { text: '@', int: '0', money: '#,##0.00', percent: '0.0' };

interface Column {
  header: string;
  type: CellType;
  width?: number;
}

interface SheetSpec {
  name: string;
  subtitle: string;
  columns: readonly Column[];
  rows: readonly (string | number)[][];
  /** Indexes of 合计 rows. */
  totals?: readonly number[];
  notes?: readonly string[];
}

export interface Signers {
  responsible: string;
  preparer: string;
}

function addSheet(wb: ExcelJS.Workbook, body: MonthlyReturnResponse, signers: Signers, timeZone: string, spec: SheetSpec): void {
  const headerRow = 3;
  const ws = wb.addWorksheet(spec.name.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: headerRow, xSplit: 1 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  const width = spec.columns.length;
  ws.columns = spec.columns.map((c) => ({ width: c.width ?? 11 }));
  const text = (row: ExcelJS.Row, value: string) => {
    const cell = row.getCell(1);
    cell.value = value;
    cell.numFmt = '@';
    if (width > 1) ws.mergeCells(row.number, 1, row.number, width);
  };
  const title = ws.getRow(1);
  text(title, `${body.title}（${spec.subtitle}）`);
  const widthChars = spec.columns.reduce((n, c) => n + (c.width ?? 11), 0);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  // 16 pt is about 1.5 times the body's width per character: a narrow sheet wraps its title.
  title.height = 30 * Math.max(1, Math.ceil((String(title.getCell(1).value).length * 2 * 1.5) / widthChars));
  const info = ws.getRow(2);
  const frozen = body.frozen ? `　　已结账（${body.frozen.closedByName}，${localParts(body.frozen.closedAt, timeZone).date}）` : '';
  text(info, `填报单位：${body.unitName}　　报表期间：${body.periodLabel}　　填报日期：${body.madeAt}${frozen}`);
  info.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  // A narrow sheet (村排名, 组织和人员) wraps the line: the row grows rather than running under the table.
  info.height = 18 * Math.max(1, Math.ceil((String(info.getCell(1).value).length * 2) / widthChars));

  const header = ws.getRow(headerRow);
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.numFmt = '@';
  });
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 48;
  const totals = new Set(spec.totals ?? []);
  const thin = { style: 'thin' } as const;
  spec.rows.forEach((values, r) => {
    const row = ws.addRow(values);
    spec.columns.forEach((c, i) => (row.getCell(i + 1).numFmt = FORMATS[c.type]));
    if (totals.has(r)) row.font = { bold: true };
  });
  for (let r = headerRow; r <= headerRow + spec.rows.length; r++) {
    for (let c = 1; c <= width; c++) ws.getCell(r, c).border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  ws.addRow([]);
  text(ws.addRow([]), `负责人：${signers.responsible || '　　　　　　'}　　　　填表人：${signers.preparer || '　　　　　　'}`);
  for (const note of spec.notes ?? []) {
    const row = ws.addRow([]);
    text(row, note);
    row.font = { italic: true, color: { argb: 'FF555555' } };
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 30;
  }
}

const valueOf = (type: ReturnItemType, n: number) => (type === 'money' ? n / 100 : n);
type ReturnItemType = (typeof RETURN_ITEMS)[number]['type'];

/** An instant as the office reads it: "2025-01-06 07:30" in the configured zone. */
function localMinute(iso: string, timeZone: string): string {
  const wall = nowIsoWithOffset(new Date(iso), timeZone);
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
}

export async function renderMonthlyReturnXlsx(body: MonthlyReturnResponse, signers: Signers, timeZone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '法治台账';
  const rows = body.report.rows;
  const itemColumns: Column[] = [
    { header: '单位', type: 'text', width: 16 },
    ...RETURN_ITEMS.map((i): Column => ({ header: i.label, type: i.type, width: i.type === 'money' ? 15 : i.key.startsWith('outcome:') ? 14 : 11 })),
  ];
  const notes = Object.values(RETURN_DEFINITIONS);
  const columns = [
    ['本月', 'month'],
    ['年度累计', 'ytd'],
    ['同期', 'lastYear'],
  ] as const;
  for (const [label, col] of columns) {
    const p = body.report.periods[col];
    addSheet(wb, body, signers, timeZone, {
      name: label,
      subtitle: `${label}：${p.from} 至 ${p.to}`,
      columns: itemColumns,
      rows: rows.map((r) => [r.name, ...RETURN_ITEMS.map((i) => valueOf(i.type, r[col][i.key] ?? 0))]),
      totals: [rows.length - 1],
      notes,
    });
  }
  addSheet(wb, body, signers, timeZone, {
    name: '村排名',
    subtitle: '村（社区）排名',
    columns: [
      { header: '名次', type: 'int', width: 8 },
      { header: '村（社区）', type: 'text', width: 18 },
      { header: '报表质量（%）', type: 'percent', width: 14 },
      { header: '调解数（件）', type: 'int', width: 12 },
      { header: '调解成功（件）', type: 'int', width: 14 },
      { header: '成功率（%）', type: 'percent', width: 12 },
    ],
    // A return frozen before `ranked` existed has none: it was reported ranked.
    rows: body.report.league.map((l) => [l.ranked === false ? '—' : l.rank, l.name, l.quality, l.mediated, l.resolved, l.successRate]),
    notes: [
      '报表质量：本月各网格排查（含零报告）报告率与及时率的平均；调解数：本月结案件数；依次按报表质量、调解数、成功率排名；本月既无排查报表、也无结案的村（社区）不排名（—）。',
    ],
  });
  addSheet(wb, body, signers, timeZone, {
    name: '按上报类型',
    subtitle: '受理纠纷按上报类型',
    columns: [
      { header: '上报代码', type: 'text', width: 12 },
      { header: '上报类型', type: 'text', width: 24 },
      { header: '本月（件）', type: 'int', width: 12 },
      { header: '年度累计（件）', type: 'int', width: 14 },
      { header: '同期（件）', type: 'int', width: 12 },
    ],
    rows: body.upwardTypes.map((t) => [t.code === 'total' ? '' : t.code, t.label, t.month, t.ytd, t.lastYear]),
    totals: [body.upwardTypes.length - 1],
    notes: ['按管理员设置的纠纷类型对照表归类；未设置的本地类型按全国 15 类纠纷类型上报。'],
  });
  addSheet(wb, body, signers, timeZone, {
    name: '半月排查',
    subtitle: '网格半月排查',
    columns: [
      { header: '村（社区）', type: 'text', width: 16 },
      { header: '网格', type: 'text', width: 20 },
      { header: '上半月排查（次）', type: 'int', width: 12 },
      { header: '上半月零报告（次）', type: 'int', width: 12 },
      { header: '上半月发现纠纷（件）', type: 'int', width: 12 },
      { header: '下半月排查（次）', type: 'int', width: 12 },
      { header: '下半月零报告（次）', type: 'int', width: 12 },
      { header: '下半月发现纠纷（件）', type: 'int', width: 12 },
    ],
    rows: body.halfMonth.map((g) => [
      g.parentName,
      g.name,
      g.first.count,
      g.first.zeroReports,
      g.first.disputesFound,
      g.second.count,
      g.second.zeroReports,
      g.second.disputesFound,
    ]),
    notes: ['上半月为 1–15 日，下半月为 16 日至月末；排查次数为 0 的网格为未报。'],
  });
  const reg = body.registry;
  addSheet(wb, body, signers, timeZone, {
    name: '组织和人员',
    subtitle: '调委会和人民调解员',
    columns: [
      { header: '项目', type: 'text', width: 28 },
      { header: '数量', type: 'int', width: 12 },
    ],
    rows: [
      ...COMMITTEE_TYPES.map((t) => [`${t.label}（个）`, reg.committees[t.code] ?? 0]),
      ['调委会合计（个）', reg.committeeTotal],
      ['人民调解员（人）', reg.mediators.total],
      ['其中：专职（人）', reg.mediators.fullTime],
      ['　　　兼职（人）', reg.mediators.partTime],
    ],
    totals: [COMMITTEE_TYPES.length],
  });
  if (body.frozen && body.frozen.lateCount > 0) {
    addSheet(wb, body, signers, timeZone, {
      name: '迟报',
      subtitle: '结账后收到的本月记录',
      columns: [
        { header: '记录', type: 'text', width: 16 },
        { header: '单位', type: 'text', width: 20 },
        { header: '发生时间', type: 'text', width: 20 },
        { header: '收到时间', type: 'text', width: 20 },
      ],
      rows: body.frozen.late.map((e) => [eventTypeLabel(e.type), e.orgUnitName, localMinute(e.occurredAt, timeZone), localMinute(e.receivedAt, timeZone)]),
      notes: [`共 ${body.frozen.lateCount} 条；结账后的数字不因迟报改变。`],
    });
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
