// The annual report as a printable HTML page: A4 with the 公文 margins, 仿宋 body, and every
// figure a link to the records behind it (the office screen /office/records). No script, so
// the page passes the app's Content-Security-Policy as it is; the style is inline, which the
// policy allows for styles only.
import { reportedTable, type AnnualReport, type ReportParagraph, type Span } from './model.ts';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const STYLE = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { margin: 0 auto; max-width: 156mm; padding: 12mm 0; font-family: "FangSong", "仿宋", "仿宋_GB2312", "STFangsong", serif; font-size: 16pt; line-height: 28.9pt; color: #000; background: #fff; }
p { margin: 0; text-align: justify; }
.org, .title { text-align: center; font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "SimHei", "黑体", serif; font-size: 22pt; line-height: 32pt; }
.title { margin: 28.9pt 0; }
.heading { text-indent: 2em; font-family: "SimHei", "黑体", sans-serif; }
.body, .closing { text-indent: 2em; }
.lead { font-family: "KaiTi", "楷体", serif; font-weight: bold; }
.signature { text-align: right; padding-right: 4em; }
a.figure { color: inherit; text-decoration: underline dotted; }
mark.todo { background: #ffeb3b; }
.reported { margin-top: 28.9pt; page-break-inside: avoid; }
.reported h2 { font: 16pt/28.9pt "SimHei", "黑体", sans-serif; margin: 0; }
.reported table { border-collapse: collapse; width: 100%; font-size: 14pt; line-height: 22pt; }
.reported th, .reported td { border: 1px solid #000; padding: 2pt 6pt; text-align: center; }
.reported td:first-child { text-align: left; }
.reported p { font-size: 12pt; line-height: 20pt; text-indent: 0; }
.toolbar { font: 14px/1.5 system-ui, sans-serif; margin-bottom: 8mm; padding: 8px; border: 1px solid #ccc; background: #f7f7f7; }
body.draft::before { content: "草稿"; position: fixed; top: 40%; left: 0; right: 0; text-align: center; font: bold 120pt "SimHei", "黑体", sans-serif; color: rgba(200, 0, 0, 0.10); transform: rotate(-30deg); pointer-events: none; z-index: 0; }
.draft-mark { text-align: right; font: bold 14pt "SimHei", "黑体", sans-serif; color: #b00; }
@media print { .toolbar { display: none; } a.figure { text-decoration: none; } mark.todo { background: none; outline: 1px solid #000; } body { padding: 0; max-width: none; } }
`;

function spanHtml(s: Span): string {
  if (s.kind === 'text') return escapeHtml(s.text);
  if (s.kind === 'placeholder') return `<mark class="todo">${escapeHtml(s.text)}</mark>`;
  const text = escapeHtml(s.text);
  return s.href
    ? `<a class="figure" data-figure="${escapeHtml(s.key)}" href="${escapeHtml(s.href)}">${text}</a>`
    : `<span class="figure" data-figure="${escapeHtml(s.key)}">${text}</span>`;
}

function paragraphHtml(p: ReportParagraph): string {
  const lead = p.lead ? `<span class="lead">${escapeHtml(p.lead)}</span>` : '';
  return `<p class="${p.style}">${lead}${p.spans.map(spanHtml).join('')}</p>`;
}

/** The 报送 figures beside the live ones, after the text: the page the county compares with what it received. */
function reportedHtml(report: AnnualReport): string {
  const t = reportedTable(report.reported!);
  const cells = (tag: 'th' | 'td', row: readonly string[]) => row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('');
  return `<section class="reported" data-testid="reported"><h2>${escapeHtml(t.caption)}</h2><table><thead><tr>${cells('th', t.header)}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${cells('td', r)}</tr>`)
    .join('')}</tbody></table><p>${escapeHtml(t.note)}</p></section>`;
}

/** A standalone HTML page; `docxHref` adds a download link in a toolbar hidden when printing. */
export function renderReportHtml(report: AnnualReport, docxHref?: string): string {
  const draft = report.status === 'draft';
  const toolbar = `<div class="toolbar">${
    draft
      ? '草稿：数字来自台账数据，点击数字可查看对应记录；黄色标记处请补充填写。'
      : `已定稿（${escapeHtml(report.finalisedByName ?? '')} ${escapeHtml(report.finalisedAt ?? '')}），文字和数字不再随台账变化。`
  }按 Ctrl+P 打印。${docxHref ? ` <a href="${escapeHtml(docxHref)}">下载 Word 文档</a>` : ''}</div>`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body${draft ? ' class="draft"' : ''}>
${toolbar}
${draft ? '<p class="draft-mark">草稿（未定稿）</p>' : ''}
${report.paragraphs.map(paragraphHtml).join('\n')}
${report.reported ? reportedHtml(report) : ''}
</body>
</html>
`;
}
