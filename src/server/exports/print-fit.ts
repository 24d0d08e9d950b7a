// How a sheet's text lays out on paper, estimated the way Excel and LibreOffice lay it out, so
// the .xlsx can give each row the height its wrapped text needs: Excel fits a row to its wrapped
// text by itself, LibreOffice does not (it opens such a row one line high and prints only the
// first line). Widths are in pixels at 96 dpi for the workbook's font, Arial 11 pt (xlsx.ts):
// a digit 8 px (the unit column widths are counted in), a Chinese character 15 px (the CJK font
// each program falls back to, 11 pt). The estimate leans wide, so a row is a little tall rather
// than cut.

/** Pixels of one column-width unit: the widest digit of Arial 11 pt. */
const DIGIT_PX = 8;
/** Points of one line of 11 pt text, the CJK fonts' line height included (Noto Sans CJK is the tallest). */
export const LINE_PT = 16;
/** Excel's tallest row. */
const MAX_ROW_PT = 409;

const OPENING = new Set('（(［[｛{〔【「『《〈“‘');
const CLOSING = new Set('）)］]｝}〕】」』》〉”’、，。；：？！…%％,.;:?!');

function charPx(ch: string): number {
  const code = ch.codePointAt(0)!;
  // CJK ideographs and punctuation, fullwidth forms, kana, hangul.
  if (code >= 0x2e80) return 15;
  if (/[0-9a-z]/.test(ch)) return 8.5;
  if (/[\s.,:;'!|()[\]-]/.test(ch)) return 5;
  if (ch === '*') return 6;
  return 10;
}

/** Text → the runs no line is broken inside: one CJK character (with the punctuation held to it), a Latin word or number. */
function runsOf(line: string): number[] {
  const runs: number[] = [];
  let run = 0;
  // Whether the last character opens a bracket (no break after it), or is part of a Latin word.
  let open = false;
  let latin = false;
  for (const ch of line) {
    const px = charPx(ch);
    const wide = px === 15;
    const glue = run > 0 && (CLOSING.has(ch) || open || (!wide && latin && !/\s/.test(ch)));
    if (glue) run += px;
    else {
      if (run > 0) runs.push(run);
      run = px;
    }
    open = OPENING.has(ch);
    latin = !wide && !/\s/.test(ch);
  }
  if (run > 0) runs.push(run);
  return runs;
}

/** Lines `text` takes wrapped in a column `width` units wide. */
export function lineCount(text: string, width: number): number {
  // Cell padding and the grid line: about 7 px of the column are not for text.
  const room = Math.max(1, width * DIGIT_PX - 7);
  let lines = 0;
  for (const paragraph of text.split(/\r?\n/)) {
    lines += 1;
    let used = 0;
    for (const run of runsOf(paragraph)) {
      if (used > 0 && used + run > room) {
        lines += 1;
        used = 0;
      }
      // A run wider than the column is broken anywhere, over as many lines as it takes.
      const over = Math.ceil(run / room) - 1;
      lines += over;
      used += run - over * room;
    }
  }
  return lines;
}

/** The height (points) of a row whose fullest cell takes `lines` lines; undefined keeps the default one-line row. */
export function rowHeight(lines: number): number | undefined {
  return lines > 1 ? Math.min(MAX_ROW_PT, lines * LINE_PT + 4) : undefined;
}
