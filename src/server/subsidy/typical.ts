// The year's 典型案例: cases marked typical whose latest closure (else acceptance) falls in the
// year, with their story, as the office lists and exports them (.docx, typical-docx.ts).
import { CASE_RESULTS, labelOf } from '#shared/codes';
import { disputeCategoryLabel } from '#shared/major/codes';
import type { TypicalCase } from '#shared/major/api';
import { isTypicalCase } from '#shared/major/fold';
import { localDateOf } from '#shared/time';
import type { OrgTree } from '../access/org-tree.ts';
import { STATE_LIMIT } from '../office/figures.ts';
import type { Store } from '../storage/store.ts';

export async function typicalCasesOf(store: Store, tree: OrgTree, units: readonly string[], year: number, timeZone: string): Promise<TypicalCase[]> {
  const [closed, opened] = await Promise.all([
    store.listCases({ basis: 'closed', year, fromMonth: 1, toMonth: 12, units, limit: STATE_LIMIT }),
    store.listCases({ basis: 'opened', year, fromMonth: 1, toMonth: 12, units, limit: STATE_LIMIT }),
  ]);
  const seen = new Set<string>();
  const out: TypicalCase[] = [];
  for (const s of [...closed.items, ...opened.items]) {
    if (seen.has(s.subjectId) || !isTypicalCase(s)) continue;
    // A case accepted in the year but closed in another belongs to its closure's year.
    if (s.closure && Number(localDateOf(s.closure.occurredAt, timeZone).slice(0, 4)) !== year) continue;
    seen.add(s.subjectId);
    const unitId = s.unitId ?? s.orgUnitId;
    out.push({
      subjectId: s.subjectId,
      caseNumber: s.caseNumber ?? null,
      unitName: tree.get(unitId)?.name ?? unitId,
      disputeType: disputeCategoryLabel(s.opened?.disputeSubtype ?? s.opened?.disputeType ?? ''),
      title: s.typical?.title ?? '',
      story: s.typical?.story ?? '',
      closedOn: s.closure ? localDateOf(s.closure.occurredAt, timeZone) : null,
      result: s.closure ? labelOf(CASE_RESULTS, s.closure.result) : null,
    });
  }
  return out.sort((a, b) => (a.closedOn ?? '9999').localeCompare(b.closedOn ?? '9999') || (a.subjectId < b.subjectId ? -1 : 1));
}
