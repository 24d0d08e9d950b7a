// The downloads of this area: the month's 以案定补 ledger as .xlsx for payment (one row per case,
// per mediator, paid cases then the ones not paid with the reason, a 合计 per mediator and for
// the month; who approved it), and the year's 典型案例 as .docx (A4, 仿宋 body, one case a section).
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { AGREEMENT_FORMS, labelOf } from '#shared/codes';
import { disputeCategoryLabel } from '#shared/major/codes';
import type { TypicalCase } from '#shared/major/api';
import type { LedgerCase, SubsidyLedger } from '#shared/subsidy/api';
import { SUBSIDY_GRADES } from '#shared/subsidy/grades';
import { LEDGER_REASONS, type LedgerReason } from '#shared/subsidy/ledger';
import type { Cell, Sheet, SheetTitle } from '../exports/table.ts';
import { onePage, TOTAL_LABEL } from '../exports/table.ts';
import { streamXlsx } from '../exports/xlsx.ts';

const GRADE_SOURCES: Record<LedgerCase['gradeSource'], string> = { office: '机关核定', proposed: '调解员建议', major_flag: '重大纠纷', default: '默认一般' };

const reasonLabel = (code: string) => (Object.hasOwn(LEDGER_REASONS, code) ? LEDGER_REASONS[code as LedgerReason] : code);

export async function ledgerXlsx(ledger: SubsidyLedger, title: SheetTitle, approvedNote: string): Promise<Buffer> {
  const columns: Sheet['columns'] = [
    { header: '调解员', type: 'text', width: 12 },
    { header: '是否补助', type: 'text', width: 10 },
    { header: '案号', type: 'text', width: 28 },
    { header: '村（社区）', type: 'text', width: 14 },
    { header: '纠纷类型', type: 'text', width: 16 },
    { header: '协议形式', type: 'text', width: 10 },
    { header: '结案日期', type: 'date', width: 12 },
    { header: '符合条件日期', type: 'date', width: 14 },
    { header: '等级', type: 'text', width: 8 },
    { header: '等级来源', type: 'text', width: 12 },
    { header: '补助金额（元）', type: 'money', width: 14 },
    { header: '未补助原因', type: 'text', width: 30 },
    { header: '共同调解员', type: 'text', width: 16 },
    { header: '登记人', type: 'text', width: 12 },
  ];
  const rows: Cell[][] = [];
  const totalRows: number[] = [];
  const rowOf = (mediator: string, c: LedgerCase, paid: boolean): Cell[] => [
    mediator,
    paid ? '补助' : '暂不补助',
    c.caseNumber ?? '待编号',
    c.unitName ?? c.unitId,
    disputeCategoryLabel(c.disputeType),
    labelOf(AGREEMENT_FORMS, c.agreementForm),
    c.closedOn,
    c.qualifiedOn ?? '',
    labelOf(SUBSIDY_GRADES, c.grade),
    GRADE_SOURCES[c.gradeSource],
    c.amount,
    c.reasons.map(reasonLabel).join('；'),
    c.mediators.slice(1).join('、'),
    c.recorder ?? '',
  ];
  for (const m of ledger.mediators) {
    for (const c of m.qualifying) rows.push(rowOf(m.mediator, c, true));
    for (const c of m.pending) rows.push(rowOf(m.mediator, c, false));
    totalRows.push(rows.length);
    rows.push([`${m.mediator} 小计`, `${m.qualifying.length} 件`, '', '', '', '', '', '', '', '', m.amount, '', '', '']);
  }
  totalRows.push(rows.length);
  rows.push([TOTAL_LABEL, `${ledger.qualifying} 件`, '', '', '', '', '', '', '', '', ledger.amount, `暂不补助 ${ledger.pending} 件`, '', '']);
  const sheet: Sheet = { name: `${ledger.year}年${ledger.month}月`, columns, rows, totalRows, title, note: approvedNote };
  // A month's ledger is small: taken whole, so the route can answer its length.
  return Buffer.from(await new Response(streamXlsx([onePage(sheet)])).arrayBuffer());
}

const BODY = { ascii: 'FangSong', hAnsi: 'FangSong', eastAsia: '仿宋', cs: 'FangSong' };
const HEAD = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体', cs: 'SimHei' };

export async function typicalDocx(title: string, cases: readonly TypicalCase[]): Promise<Buffer> {
  const body = (text: string) => new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560 }, children: [new TextRun({ text, font: BODY, size: 32 })] });
  const children: Paragraph[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 400 }, children: [new TextRun({ text: title, font: HEAD, size: 44, bold: true })] }),
  ];
  if (cases.length === 0) children.push(body('本年度尚未标记典型案例。'));
  cases.forEach((c, i) => {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_2,
        spacing: { before: 400, after: 200 },
        children: [new TextRun({ text: `案例${i + 1}　${c.title}`, font: HEAD, size: 32 })],
      }),
      new Paragraph({
        spacing: { after: 200 },
        children: [
          new TextRun({
            text: [c.caseNumber ?? '待编号', c.unitName, c.disputeType, c.closedOn ? `${c.closedOn}结案` : '调解中', c.result ?? ''].filter(Boolean).join('　'),
            font: BODY,
            size: 24,
            color: '555555',
          }),
        ],
      }),
    );
    for (const para of (c.story || '（案例正文尚未填写）').split(/\n+/).filter((p) => p.trim() !== '')) children.push(body(para.trim()));
  });
  const doc = new Document({
    creator: '法治台账',
    title,
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } }, children }],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}
