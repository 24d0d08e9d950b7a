// The annual report as .docx, laid out after 党政机关公文格式 (GB/T 9704, approximately): A4,
// margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 2号 (22 pt) 小标宋, body
// in 3号 (16 pt) 仿宋 with a fixed 28.9 pt line (22 lines a page), first-level headings in
// 黑体, paragraph leads in 楷体, page numbers centred at the foot. 方正小标宋 and 仿宋_GB2312 are
// rarely installed on office PCs, so the title names 方正小标宋简体 with 黑体 as the ASCII/fallback
// face and the body uses 仿宋 (shipped with Windows). Placeholders are highlighted yellow so
// nobody sends the draft with a hole in it; a draft's every page is headed 草稿（未定稿）.
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HighlightColor,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import { reportedTable, type AnnualReport, type ReportParagraph, type Span } from './model.ts';

const MM = 56.7; // twips per millimetre
const PT = 20; // twips per point
const BODY_SIZE = 32; // half-points: 16 pt = 三号
const TITLE_SIZE = 44; // 22 pt = 二号
const LINE = Math.round(28.9 * PT);

const FONTS = {
  title: { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '方正小标宋简体', cs: 'SimHei' },
  heading: { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体', cs: 'SimHei' },
  lead: { ascii: 'KaiTi', hAnsi: 'KaiTi', eastAsia: '楷体', cs: 'KaiTi' },
  body: { ascii: 'FangSong', hAnsi: 'FangSong', eastAsia: '仿宋', cs: 'FangSong' },
} as const;

type Face = keyof typeof FONTS;

function run(text: string, face: Face, size: number, extra: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: FONTS[face], size, ...extra });
}

function spanRun(span: Span, face: Face, size: number): TextRun {
  if (span.kind === 'placeholder') return run(span.text, face, size, { highlight: HighlightColor.YELLOW });
  return run(span.text, face, size);
}

function paragraphOf(p: ReportParagraph): Paragraph {
  const spacing = { line: LINE, lineRule: LineRuleType.EXACT };
  switch (p.style) {
    case 'org':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing, children: p.spans.map((s) => spanRun(s, 'title', TITLE_SIZE)) });
    case 'title':
      return new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { ...spacing, line: Math.round(36 * PT), before: LINE, after: LINE },
        children: p.spans.map((s) => spanRun(s, 'title', TITLE_SIZE)),
      });
    case 'salutation':
      return new Paragraph({ spacing, children: p.spans.map((s) => spanRun(s, 'body', BODY_SIZE)) });
    case 'heading':
      return new Paragraph({ spacing, indent: { firstLine: 2 * 16 * PT }, children: p.spans.map((s) => spanRun(s, 'heading', BODY_SIZE)) });
    case 'closing':
      return new Paragraph({ spacing, indent: { firstLine: 2 * 16 * PT }, children: p.spans.map((s) => spanRun(s, 'body', BODY_SIZE)) });
    case 'signature':
      return new Paragraph({
        alignment: AlignmentType.RIGHT,
        spacing,
        indent: { right: 4 * 16 * PT },
        children: p.spans.map((s) => spanRun(s, 'body', BODY_SIZE)),
      });
    case 'body': {
      const children: TextRun[] = [];
      if (p.lead) children.push(run(p.lead, 'lead', BODY_SIZE, { bold: true }));
      for (const s of p.spans) children.push(spanRun(s, 'body', BODY_SIZE));
      return new Paragraph({ alignment: AlignmentType.JUSTIFIED, spacing, indent: { firstLine: 2 * 16 * PT }, children });
    }
  }
}

const TABLE_SIZE = 28; // 14 pt = 四号

/** The 报送 figures beside the live ones, after the text: a caption, a bordered table, the note. */
function reportedBlock(report: AnnualReport): (Paragraph | Table)[] {
  if (!report.reported) return [];
  const t = reportedTable(report.reported);
  const widths = [34, 24, 24, 18];
  // Every paragraph but the last row's keeps with the next: the caption and the table stay on one page.
  const cell = (text: string, i: number, bold: boolean, keepNext: boolean) =>
    new TableCell({
      width: { size: widths[i] ?? 20, type: WidthType.PERCENTAGE },
      children: [
        new Paragraph({
          alignment: i === 0 && !bold ? AlignmentType.LEFT : AlignmentType.CENTER,
          keepNext,
          children: [run(text, 'body', TABLE_SIZE, { bold })],
        }),
      ],
    });
  const last = t.rows.length - 1;
  return [
    new Paragraph({ spacing: { before: LINE, line: LINE, lineRule: LineRuleType.EXACT }, keepNext: true, children: [run(t.caption, 'heading', BODY_SIZE)] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      columnWidths: widths.map((w) => Math.round((w / 100) * 156 * MM)),
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: t.header.map((h, i) => cell(h, i, true, true)) }),
        ...t.rows.map((r, n) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, i, false, n !== last)) })),
      ],
    }),
    new Paragraph({ spacing: { before: 120 }, children: [run(t.note, 'body', 24)] }),
  ];
}

/** The report as a .docx file. */
export async function renderReportDocx(report: AnnualReport): Promise<Buffer> {
  const doc = new Document({
    title: report.title,
    creator: '法治台账',
    styles: { default: { document: { run: { font: FONTS.body, size: BODY_SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) },
          },
        },
        // A draft says so on every page until it is finalised (定稿).
        ...(report.status === 'draft'
          ? {
              headers: {
                default: new Header({
                  children: [
                    new Paragraph({
                      alignment: AlignmentType.RIGHT,
                      children: [new TextRun({ text: '草稿（未定稿）', font: FONTS.heading, size: 28, bold: true, color: 'B00000' })],
                    }),
                  ],
                }),
              },
            }
          : {}),
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FONTS.body, size: 28 })],
              }),
            ],
          }),
        },
        children: [...report.paragraphs.map(paragraphOf), ...reportedBlock(report)],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
