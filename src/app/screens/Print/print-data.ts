// What both print views read: the case's folded state and its mediation committee's name.
import type { CaseState } from '#shared/fold/index';
import { findOrgUnit } from '../../session/index.ts';
import { getRecord } from '../../storage/index.ts';

export async function loadCaseForPrint(id: string): Promise<CaseState | null> {
  const record = await getRecord(id);
  return record && record.state.kind === 'case' ? record.state : null;
}

export function committeeName(state: CaseState): string {
  const id = state.opened?.committeeId;
  const unit = id ? findOrgUnit(id) : undefined;
  return unit?.name ?? '人民调解委员会';
}

/** "2024年5月1日" from an instant's own wall-clock date. */
export function chineseDate(iso: string | undefined): string {
  if (!iso) return '　　年　　月　　日';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}
