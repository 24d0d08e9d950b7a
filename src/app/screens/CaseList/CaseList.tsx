// 案件: the cases on this phone, filtered by status, type and village, searched by a party's
// name or the summary. Names are masked in the list (PIPL: show only what the list needs).
import { mayRecordAnywhere } from '../../session/may-record.ts';
import { useState } from 'preact/hooks';
import { CASE_STATUS_LABELS, DISPUTE_TYPES, rollUpDisputeType } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import { maskName } from '#shared/mask';
import { SelectField, TextField } from '../../components/fields.tsx';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { findOrgUnit, orgUnitLabel } from '../../session/index.ts';
import { listRecords, type SubjectRecord } from '../../storage/index.ts';
import { caseNumberLabel, caseStatusLabel, dateOf, disputeTypeLabel } from '../../format.ts';

const STATUS_FILTERS = [
  { code: 'open', label: CASE_STATUS_LABELS.open },
  { code: 'closed', label: CASE_STATUS_LABELS.closed },
  { code: 'voided', label: CASE_STATUS_LABELS.voided },
  { code: 'pending', label: '待上传' },
];

export interface CaseFilter {
  status: string;
  type: string;
  place: string;
  text: string;
}

/** The village (or community) a unit belongs to: a grid's parent, else the unit itself. */
export function villageOf(id: string): string {
  const unit = findOrgUnit(id);
  return unit?.kind === 'grid' && unit.parentId ? unit.parentId : id;
}

/**
 * Whether a case passes the list's filters; the search looks at names, the summary and the
 * case number; `place` is a village and takes in its grids.
 */
export function matchesCase(record: SubjectRecord, f: CaseFilter, placeOf: (orgUnitId: string) => string = (id) => id): boolean {
  const s = record.state as CaseState;
  if (f.status === 'pending' ? !record.pending : f.status && s.status !== f.status) return false;
  if (f.type && rollUpDisputeType(s.opened?.disputeType ?? '') !== f.type) return false;
  if (f.place && placeOf(s.orgUnitId) !== f.place) return false;
  const q = f.text.trim();
  if (q) {
    const inNames = s.opened?.parties.some((p) => p.name.includes(q)) ?? false;
    const inSummary = s.opened?.summary.includes(q) ?? false;
    const inNumber = s.caseNumber?.includes(q) ?? false;
    if (!inNames && !inSummary && !inNumber) return false;
  }
  return true;
}

function byOpenedDesc(a: SubjectRecord, b: SubjectRecord): number {
  const x = (a.state as CaseState).openedAt ?? (a.state as CaseState).firstEventAt;
  const y = (b.state as CaseState).openedAt ?? (b.state as CaseState).firstEventAt;
  return Date.parse(y) - Date.parse(x);
}

export function CaseList() {
  const [filter, setFilter] = useState<CaseFilter>({ status: '', type: '', place: '', text: '' });
  const { data } = useStorageQuery(() => listRecords('case'), []);
  const all = data ?? [];
  const places = [...new Set(all.map((r) => villageOf(r.state.orgUnitId)))].map((id) => ({ code: id, label: orgUnitLabel(id) }));
  const shown = all.filter((r) => matchesCase(r, filter, villageOf)).sort(byOpenedDesc);
  const set = (patch: Partial<CaseFilter>) => setFilter({ ...filter, ...patch });

  return (
    <section>
      {mayRecordAnywhere() && (
        <a class="button primary block" href="/cases/new">
          登记案件
        </a>
      )}
      <div class="filters">
        <TextField label="搜索当事人或纠纷情况" type="search" value={filter.text} onInput={(text) => set({ text })} />
        <div class="row">
          <SelectField label="状态" value={filter.status} onChange={(status) => set({ status })} options={STATUS_FILTERS} placeholder="全部" />
          <SelectField label="类型" value={filter.type} onChange={(type) => set({ type })} options={DISPUTE_TYPES} placeholder="全部" />
        </div>
        {places.length > 1 && <SelectField label="村（社区）" value={filter.place} onChange={(place) => set({ place })} options={places} placeholder="全部" />}
      </div>
      <p class="muted" role="status">
        共 {shown.length} 件
      </p>
      <ul class="record-list">
        {shown.map((r) => {
          const s = r.state as CaseState;
          return (
            <li key={r.subjectId} class={s.status === 'voided' ? 'voided' : ''}>
              <a href={`/cases/${r.subjectId}`}>
                <div>
                  <strong>{disputeTypeLabel(s.opened?.disputeType)}</strong> <span class="status">{caseStatusLabel(s)}</span>
                  {r.pending && <span class="tag warn">待上传</span>}
                  {s.conflicts.length > 0 && <span class="tag error">需核对</span>}
                </div>
                <div class="muted">
                  {caseNumberLabel(s)} · 受理 {dateOf(s.openedAt)} · {orgUnitLabel(s.orgUnitId)}
                </div>
                <div>{(s.opened?.parties ?? []).map((p) => maskName(p.name)).join('、')}</div>
              </a>
            </li>
          );
        })}
      </ul>
      {data && all.length === 0 && <p class="muted">本机还没有案件</p>}
    </section>
  );
}
