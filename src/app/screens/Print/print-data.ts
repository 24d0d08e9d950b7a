// What both print views read: the case's folded state and its mediation committee's name.
import type { Signature } from '#shared/events';
import type { CaseState } from '#shared/fold/index';
import { findOrgUnit, session } from '../../session/index.ts';
import { getRecord } from '../../storage/index.ts';

export async function loadCaseForPrint(id: string): Promise<CaseState | null> {
  const record = await getRecord(id);
  return record && record.state.kind === 'case' ? record.state : null;
}

/** A committee among the units this phone knows (its own, or the town's others by name). */
function committeeUnit(id: string | undefined): { name: string } | undefined {
  if (!id) return undefined;
  const unit = findOrgUnit(id) ?? session.value?.unitNames?.find((u) => u.id === id);
  return unit?.kind === 'committee' ? unit : undefined;
}

/**
 * The committee whose seal the paper asks for: the one the registration named, else the one that
 * numbered the case (a grid worker's registration names none: its village's committee took it).
 */
export function committeeName(state: CaseState): string {
  return (committeeUnit(state.opened?.committeeId) ?? committeeUnit(state.numbered?.committeeId))?.name ?? '人民调解委员会';
}

/** "2024年5月1日" from an instant's own wall-clock date. */
export function chineseDate(iso: string | undefined): string {
  if (!iso) return '　　年　　月　　日';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

/** A printed number: the server's, or a blank to write it in by hand (never "待编号" on paper). */
export function printNumber(state: CaseState): string {
  return state.caseNumber ?? '＿＿＿＿＿＿＿＿＿＿＿＿＿＿';
}

/** The latest signature a signer drew on the phone, if any. */
export function signatureOf(state: CaseState, role: Signature['role'], name: string): Signature | undefined {
  return state.signatures.find((s) => s.role === role && s.name === name);
}

function cssString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

/**
 * Page margin boxes for a printed document: a header naming it (and its parties) and the
 * footer 第 x 页 共 y 页 on every sheet, so that the sheets of one agreement belong together.
 */
export function pageMarginStyle(header: string): string {
  return [
    '@page {',
    `  @top-center { content: ${cssString(header)}; font-size: 9pt; color: #333; }`,
    '  @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 9pt; }',
    '}',
  ].join('\n');
}
