// The org tree sheet: CSV in and out (columns 编号,上级编号,类型,名称,简称), and the rules a
// new unit must follow (kind under which parent, id shape). Validation is row by row with
// Chinese messages; the plan (creates, updates, unchanged rows) is what the preview shows and
// the import writes, and nothing is written unless every row is right. A row whose 编号 exists
// is an update (or unchanged), never a second unit; a new unit with the name of one already
// under the same parent (a town row repeated with another 编号) is refused; 上级编号 may name
// the parent by 编号, 代码 or a unique name.
import { ORG_UNIT_ID_PATTERN } from '#shared/api/admin';
import { ORG_UNIT_KIND_LABELS, ORG_UNIT_KINDS, type OrgUnitKind } from '#shared/codes';
import type { OrgUnit } from '../storage/account-store.ts';
import { ALLOWED_PARENT_KINDS } from '#shared/org-rules';
import type { OrgTree } from './org-tree.ts';

const IMPORT_COLUMNS = ['编号', '上级编号', '类型', '名称', '简称'] as const;
const MAX_IMPORT_ROWS = 5000;

const KIND_LABELS: ReadonlyMap<string, OrgUnitKind> = new Map([
  ...ORG_UNIT_KINDS.map((k) => [k.label, k.code] as const),
  ...ORG_UNIT_KINDS.map((k) => [k.code, k.code] as const),
  ['乡', 'town'],
  ['镇', 'town'],
  ['街道', 'town'],
  ['区', 'county'],
  ['居委会', 'community'],
  ['村调委会', 'committee'],
  ['镇调委会', 'committee'],
  ['调解委员会', 'committee'],
  ['调解室', 'station'],
]);

/** "县、乡镇、村、社区、网格、调委会 或 派驻调解室" for a wrong 类型 cell. */
const KIND_CHOICES = `${ORG_UNIT_KINDS.slice(0, -1)
  .map((k) => k.label)
  .join('、')} 或 ${ORG_UNIT_KINDS.at(-1)?.label ?? ''}`;

export function kindLabel(kind: OrgUnitKind): string {
  return ORG_UNIT_KIND_LABELS[kind];
}

/** Why a unit of `kind` cannot sit under `parent` (undefined when it can). */
export function checkPlacement(kind: OrgUnitKind, parent: Pick<OrgUnit, 'kind'> | null): string | undefined {
  const allowed = ALLOWED_PARENT_KINDS[kind];
  if (allowed.includes(parent?.kind ?? null)) return undefined;
  const names = allowed.map((k) => (k === null ? '顶层' : kindLabel(k))).join('或');
  return `${kindLabel(kind)}应建在${names}下`;
}

/** RFC 4180 CSV: quoted fields with "" escapes, CRLF or LF rows, a leading BOM ignored. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function csvField(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet: prefix a quote.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV with a UTF-8 BOM so that Excel opens the Chinese correctly. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function orgTemplateCsv(): string {
  return toCsv([
    [...IMPORT_COLUMNS],
    ['500235110', '', kindLabel('town'), '江口镇', '江口'],
    ['500235110201', '500235110', kindLabel('village'), '向阳村', '向阳'],
    ['500235110201-01', '500235110201', kindLabel('grid'), '向阳村第一网格', ''],
    ['500235110-twh', '500235110', kindLabel('committee'), '江口镇人民调解委员会', '江口'],
    ['500235110201-twh', '500235110201', kindLabel('committee'), '向阳村人民调解委员会', '向阳'],
    ['500235110-fating', '500235110', kindLabel('station'), '驻江口法庭调解室', '驻法庭'],
  ]);
}

interface RowError {
  /** Line number in the sheet, the header being line 1. */
  row: number;
  column?: string;
  message: string;
}

interface PlannedUpdate {
  row: number;
  before: OrgUnit;
  after: OrgUnit;
}

interface ImportPlan {
  /** New units, parents first. */
  creates: OrgUnit[];
  updates: PlannedUpdate[];
  /** Rows that match an existing unit exactly. */
  unchanged: number;
}

export type ImportResult = ({ ok: true } & ImportPlan) | { ok: false; errors: RowError[] };

/**
 * Checks every row against the existing tree and the other rows (a parent may come later
 * in the sheet) and returns the units parents-first, or every problem found.
 */
export function planOrgImport(csv: string, tree: OrgTree): ImportResult {
  const rows = parseCsv(csv);
  const header = rows[0]?.map((h) => h.trim());
  if (!header || IMPORT_COLUMNS.some((c, i) => header[i] !== c)) {
    return { ok: false, errors: [{ row: 1, message: `第一行应为表头：${IMPORT_COLUMNS.join(',')}` }] };
  }
  if (rows.length < 2) return { ok: false, errors: [{ row: 2, message: '表格中没有数据行' }] };
  if (rows.length - 1 > MAX_IMPORT_ROWS) return { ok: false, errors: [{ row: MAX_IMPORT_ROWS + 2, message: `一次最多导入 ${MAX_IMPORT_ROWS} 行` }] };

  const errors: RowError[] = [];
  /** Every row's unit as the sheet has it (the parent cell still unresolved). */
  const units = new Map<string, { unit: OrgUnit; row: number; parentCell: string; exists: OrgUnit | undefined }>();
  // The sheet's 编号 becomes the unit's code too, and codes are unique.
  const codes = new Map([...tree.units.values()].flatMap((u) => (u.code ? [[u.code, u] as const] : [])));
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const [id = '', parentCell = '', kindText = '', name = '', shortName = ''] = cells.map((c) => c.trim());
    const before = errors.length;
    if (cells.length > IMPORT_COLUMNS.length) errors.push({ row, message: `列数过多（应为 ${IMPORT_COLUMNS.length} 列）` });
    const kind = KIND_LABELS.get(kindText);
    const exists = tree.get(id);
    if (!ORG_UNIT_ID_PATTERN.test(id)) errors.push({ row, column: '编号', message: '编号应为 1–64 位字母、数字、点、横线或下划线' });
    else if (units.has(id)) errors.push({ row, column: '编号', message: `编号 ${id} 与第 ${units.get(id)!.row} 行重复` });
    else if (exists && kind && exists.kind !== kind)
      errors.push({ row, column: '类型', message: `编号 ${id} 已是${kindLabel(exists.kind)}“${exists.name}”，不能改为${kindLabel(kind)}` });
    else if (!exists && codes.has(id)) errors.push({ row, column: '编号', message: `编号 ${id} 已是“${codes.get(id)!.name}”的代码` });
    if (!kind) errors.push({ row, column: '类型', message: `类型“${kindText}”不对，应为 ${KIND_CHOICES}` });
    if (!name) errors.push({ row, column: '名称', message: '请填写名称' });
    else if (name.length > 100) errors.push({ row, column: '名称', message: '名称不超过 100 字' });
    if (shortName.length > 20) errors.push({ row, column: '简称', message: '简称不超过 20 字' });
    if (errors.length === before && kind) {
      units.set(id, { row, parentCell, exists, unit: { id, parentId: null, kind, name, code: exists ? exists.code : id, shortName: shortName || null } });
    }
  });

  // 上级编号: a unit's 编号 (in the tree or the sheet), else its 代码, else a name that only one unit has.
  const byName = new Map<string, string[]>();
  const addName = (name: string, id: string) => byName.set(name, [...(byName.get(name) ?? []), id]);
  for (const u of tree.units.values()) addName(u.name, u.id);
  for (const { unit, exists } of units.values()) if (!exists || exists.name !== unit.name) addName(unit.name, unit.id);
  const resolveParent = (cell: string): { id: string | null } | { error: string } => {
    if (cell === '') return { id: null };
    if (tree.get(cell) || units.has(cell)) return { id: cell };
    const coded = codes.get(cell);
    if (coded) return { id: coded.id };
    const named = [...new Set(byName.get(cell) ?? [])];
    if (named.length === 1) return { id: named[0]! };
    if (named.length > 1) return { error: `有 ${named.length} 个单位叫“${cell}”，请填上级的编号` };
    return { error: `找不到上级编号 ${cell}` };
  };
  for (const entry of units.values()) {
    // A blank 上级编号 on an existing unit keeps it where it is (a town under its county stays there).
    if (entry.exists && entry.parentCell === '') {
      entry.unit.parentId = entry.exists.parentId;
      continue;
    }
    const parent = resolveParent(entry.parentCell);
    if ('error' in parent) {
      errors.push({ row: entry.row, column: '上级编号', message: parent.error });
      units.delete(entry.unit.id);
      continue;
    }
    entry.unit.parentId = parent.id;
  }
  const unitOf = (id: string) => units.get(id)?.unit ?? tree.get(id);
  // Names under each parent, for the duplicate check: the tree's, then the sheet's new units.
  const namesUnder = new Map<string, Map<string, string>>();
  const nameKey = (parentId: string | null) => parentId ?? '';
  for (const u of tree.units.values()) {
    const under = namesUnder.get(nameKey(u.parentId)) ?? new Map<string, string>();
    under.set(u.name, u.id);
    namesUnder.set(nameKey(u.parentId), under);
  }
  for (const { unit, row, exists } of units.values()) {
    const parent = unit.parentId === null ? null : unitOf(unit.parentId);
    const problem = parent?.closedOn && !exists ? `上级“${parent.name}”已撤并，不能再建下级` : checkPlacement(unit.kind, parent ?? null);
    if (problem) {
      errors.push({ row, column: '类型', message: problem });
      continue;
    }
    if (exists?.closedOn && unit.parentId !== exists.parentId) {
      errors.push({ row, column: '上级编号', message: `“${exists.name}”已撤并，不能再移动` });
      continue;
    }
    if (exists && unit.parentId !== null && unit.parentId !== exists.parentId && tree.subtree(exists.id).includes(unit.parentId)) {
      errors.push({ row, column: '上级编号', message: '不能移到自己或下级单位之下' });
      continue;
    }
    // A town or county is one of a kind by name in the whole tree: another 江口镇 is the same town repeated.
    const twin =
      !exists && (unit.kind === 'town' || unit.kind === 'county')
        ? [...tree.units.values()].find((u) => u.kind === unit.kind && u.name === unit.name)
        : undefined;
    if (twin) {
      errors.push({ row, column: '名称', message: `已有${kindLabel(unit.kind)}“${unit.name}”（编号 ${twin.id}），不能再建一个` });
      continue;
    }
    if (!exists || exists.name !== unit.name || exists.parentId !== unit.parentId) {
      const under = namesUnder.get(nameKey(unit.parentId)) ?? new Map<string, string>();
      const same = under.get(unit.name);
      if (same !== undefined && same !== unit.id) {
        const where = unit.parentId === null ? '顶层' : `“${parent?.name ?? unit.parentId}”下`;
        const other = units.get(same);
        errors.push({
          row,
          column: '名称',
          message: other ? `与第 ${other.row} 行重名：${where}不能有两个“${unit.name}”` : `${where}已有“${unit.name}”（编号 ${same}），不能再建一个`,
        });
        continue;
      }
      under.set(unit.name, unit.id);
      namesUnder.set(nameKey(unit.parentId), under);
    }
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.row - b.row) };

  const updates: PlannedUpdate[] = [];
  let unchanged = 0;
  for (const { unit, row, exists } of units.values()) {
    if (!exists) continue;
    if (exists.name === unit.name && exists.parentId === unit.parentId && (exists.shortName ?? null) === unit.shortName) unchanged++;
    else updates.push({ row, before: exists, after: { ...exists, name: unit.name, parentId: unit.parentId, shortName: unit.shortName } });
  }
  // Parents first, so that every insert finds its parent.
  const ordered: OrgUnit[] = [];
  const placed = new Set<string>();
  const place = (id: string) => {
    const entry = units.get(id);
    if (!entry || entry.exists || placed.has(id)) return;
    placed.add(id);
    if (entry.unit.parentId) place(entry.unit.parentId);
    ordered.push(entry.unit);
  };
  for (const id of units.keys()) place(id);
  return { ok: true, creates: ordered, updates, unchanged };
}

/**
 * The sheet's text from uploaded bytes: UTF-8 (with or without BOM), else GB18030, which is
 * what Excel on a Chinese Windows writes when one picks plain "CSV".
 */
export function decodeSheetText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The first worksheet of an .xlsx as CSV text (cells as Excel displays them), or undefined if it is not one. */
export async function xlsxToCsv(bytes: Uint8Array): Promise<string | undefined> {
  // exceljs is large: load it only when someone imports a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return undefined;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return undefined;
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    if (rows.length > MAX_IMPORT_ROWS + 1) return;
    const cells: string[] = [];
    for (let i = 1; i <= IMPORT_COLUMNS.length; i++) cells.push(row.getCell(i).text ?? '');
    rows.push(cells);
  });
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n');
}

export async function orgTemplateXlsx(): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('组织架构');
  const rows = parseCsv(orgTemplateCsv());
  for (const r of rows) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((col, i) => {
    col.width = [18, 18, 12, 28, 10][i] ?? 12;
    // Codes are text: keep leading zeros and long digit strings as typed.
    col.numFmt = '@';
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer).slice().buffer;
}
