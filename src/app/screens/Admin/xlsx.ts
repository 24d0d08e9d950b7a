// Reads the first sheet of an Excel workbook (.xlsx) as rows of text, in the browser, so an
// admin can upload the org sheet as Excel saved it. An .xlsx is a ZIP of XML files: this
// reads the ZIP directory, inflates the few parts it needs with DecompressionStream, and
// takes the cells' text (shared strings, inline strings, numbers). No library: a spreadsheet
// package would be a megabyte in a chunk that every phone precaches.

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

function readDirectory(bytes: Uint8Array): Map<string, ZipEntry> | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) return undefined;
    const nameLength = view.getUint16(at + 28, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, { method: view.getUint16(at + 10, true), compressedSize: view.getUint32(at + 20, true), localOffset: view.getUint32(at + 42, true) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

async function readEntry(bytes: Uint8Array, entry: ZipEntry): Promise<string | undefined> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) return undefined;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.slice(start, start + entry.compressedSize);
  if (entry.method === 0) return new TextDecoder().decode(data);
  if (entry.method !== 8) return undefined;
  try {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return await new Response(stream).text();
  } catch {
    return undefined;
  }
}

const parseXml = (text: string) => new DOMParser().parseFromString(text, 'application/xml');
const byTag = (node: Document | Element, tag: string) => [...node.getElementsByTagName(tag)];

/** "C12" → 2 (zero-based column). */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A number cell as people typed it: 500235110201, not 5.00235110201E+11. */
function numberText(v: string): string {
  if (!/e/i.test(v)) return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? String(n) : v;
}

/** The first sheet's non-blank rows, or undefined when the file is not a readable workbook. */
export async function readXlsxRows(buffer: ArrayBuffer): Promise<string[][] | undefined> {
  const bytes = new Uint8Array(buffer);
  const entries = readDirectory(bytes);
  if (!entries) return undefined;
  const text = async (name: string) => {
    const entry = entries.get(name);
    return entry ? readEntry(bytes, entry) : undefined;
  };

  // The first sheet in the workbook's order, through its relationship id.
  let sheetPath = 'xl/worksheets/sheet1.xml';
  const workbook = await text('xl/workbook.xml');
  const rels = await text('xl/_rels/workbook.xml.rels');
  if (workbook && rels) {
    const first = byTag(parseXml(workbook), 'sheet')[0];
    const rid = first?.getAttribute('r:id');
    const target = byTag(parseXml(rels), 'Relationship').find((r) => r.getAttribute('Id') === rid)?.getAttribute('Target');
    if (target) sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  }
  const sheet = await text(sheetPath);
  if (!sheet) return undefined;
  const sharedXml = await text('xl/sharedStrings.xml');
  const shared = sharedXml ? byTag(parseXml(sharedXml), 'si').map((si) => byTag(si, 't').map((t) => t.textContent ?? '').join('')) : [];

  const rows: string[][] = [];
  for (const row of byTag(parseXml(sheet), 'row')) {
    const cells: string[] = [];
    for (const c of byTag(row, 'c')) {
      const ref = c.getAttribute('r');
      const col = ref ? columnOf(ref) : cells.length;
      const type = c.getAttribute('t');
      const v = byTag(c, 'v')[0]?.textContent ?? '';
      let value: string;
      if (type === 's') value = shared[Number(v)] ?? '';
      else if (type === 'inlineStr') value = byTag(c, 't').map((t) => t.textContent ?? '').join('');
      else if (type === 'b') value = v === '1' ? 'TRUE' : 'FALSE';
      else if (type === 'str' || type === 'e') value = v;
      else value = numberText(v);
      while (cells.length < col) cells.push('');
      cells[col] = value;
    }
    if (cells.some((x) => x.trim() !== '')) rows.push(cells);
  }
  return rows;
}

/** Rows as RFC 4180 CSV, the form the import endpoint reads. */
export function rowsToCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\n');
}
