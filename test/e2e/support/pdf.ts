// Where the text sits on a printed page, from poppler's `pdftotext -bbox`: the margins a
// person sees on the sheet, in millimetres from the page's edges.
import { execFileSync } from 'node:child_process';

const MM_PER_POINT = 25.4 / 72;

export interface TextMargins {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The margins around all the words of one page (1-based) of the PDF file. */
export function textMargins(file: string, page = 1): TextMargins {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
  const size = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html);
  if (!size) throw new Error(`no page ${page} in ${file}`);
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  if (!words.length) throw new Error(`no text on page ${page} of ${file}`);
  const [width, height] = [Number(size[1]), Number(size[2])];
  const mm = (points: number) => Math.round(points * MM_PER_POINT * 10) / 10;
  return {
    left: mm(Math.min(...words.map((w) => w[0]!))),
    top: mm(Math.min(...words.map((w) => w[1]!))),
    right: mm(width - Math.max(...words.map((w) => w[2]!))),
    bottom: mm(height - Math.max(...words.map((w) => w[3]!))),
  };
}
