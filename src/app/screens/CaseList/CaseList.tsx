// 案件: the cases on this phone, filtered by status, type, village and due work, searched by a
// party's name, phone number or the summary, sorted by acceptance or due date. Names show as
// the phone holds them: the server already masks what this user may not see
// (services/pull-mask.ts), and field roles need their own units' parties by name. A mediator
// holds thousands of cases: the list renders a page at a time (显示更多).
import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { mayRecordAnywhere } from '../../session/may-record.ts';
import { CASE_STATUS_LABELS, DISPUTE_TYPES, rollUpDisputeType } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import { SelectField, TextField } from '../../components/fields.tsx';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { findOrgUnit, orgUnitLabel } from '../../session/index.ts';
import { listRecords, type SubjectRecord } from '../../storage/index.ts';
import { RecordState } from '../../components/RecordState.tsx';
import { caseNumberLabel, caseStatusLabel, dateOf, disputeTypeLabel, todayLocal } from '../../format.ts';
import { isOverdue } from '#shared/fold/index';
import { nowIsoWithOffset } from '#shared/time';
import './case-list.css';
import { dueItems, dueText, DUE_LABELS, type DueItem } from '#shared/fold/due';

/** Rows rendered per page of the list. */
const PAGE_SIZE = 50;

const DUE_FILTERS = [
  { code: 'due', label: '有到期工作' },
  { code: 'followup', label: '待回访' },
  { code: 'performance', label: '履行期限' },
  { code: 'overdue', label: '超过 30 天未结' },
];
const SORTS = [
  { code: 'opened', label: '受理日期新→旧' },
  { code: 'due', label: '到期早→晚' },
];

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

interface ListFilter extends CaseFilter {
  due: string;
  sort: string;
}

/** The village (or community) a unit belongs to: a grid's parent, else the unit itself. */
function villageOf(id: string): string {
  const unit = findOrgUnit(id);
  return unit?.kind === 'grid' && unit.parentId ? unit.parentId : id;
}

/**
 * Whether a case passes the list's filters; the search looks at names, phone numbers, the summary and the
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
    // A number as typed or as said: "138 0000 0001" finds 13800000001.
    const digits = q.replace(/[\s-]/g, '');
    const inPhones = /^\+?\d{3,}$/.test(digits) && (s.opened?.parties.some((p) => p.phone?.replace(/[\s-]/g, '').includes(digits)) ?? false);
    const inSummary = s.opened?.summary.includes(q) ?? false;
    const inNumber = s.caseNumber?.includes(q) ?? false;
    if (!inNames && !inPhones && !inSummary && !inNumber) return false;
  }
  return true;
}

function byOpenedDesc(a: SubjectRecord, b: SubjectRecord): number {
  const x = (a.state as CaseState).openedAt ?? (a.state as CaseState).firstEventAt;
  const y = (b.state as CaseState).openedAt ?? (b.state as CaseState).firstEventAt;
  return Date.parse(y) - Date.parse(x);
}

/** The earliest due item of each case that the due filter lets through. */
function dueByCase(items: readonly DueItem[], due: string): Map<string, DueItem> {
  const out = new Map<string, DueItem>();
  for (const i of items) {
    if (due && due !== 'due' && i.kind !== due) continue;
    if (!out.has(i.state.subjectId)) out.set(i.state.subjectId, i);
  }
  return out;
}

export function CaseList() {
  const { query } = useRoute();
  // A link from 首页 (?due=…) starts a fresh list; the 案件 tab afterwards starts unfiltered.
  return <CaseListView key={`${query.due ?? ''}|${query.sort ?? ''}`} due={query.due ?? ''} sort={query.sort ?? ''} />;
}

function CaseListView(props: { due: string; sort: string }) {
  const [filter, setFilter] = useState<ListFilter>({
    status: '',
    type: '',
    place: '',
    text: '',
    due: props.due,
    sort: props.sort || (props.due ? 'due' : 'opened'),
  });
  const [pages, setPages] = useState(1);
  const { data } = useStorageQuery(() => listRecords('case'), []);
  const all = useMemo(() => data ?? [], [data]);
  const places = useMemo(() => [...new Set(all.map((r) => villageOf(r.state.orgUnitId)))].map((id) => ({ code: id, label: orgUnitLabel(id) })), [all]);
  const due = useMemo(() => dueItems(all.map((r) => r.state as CaseState)), [all]);
  const today = todayLocal();
  const shown = useMemo(() => {
    const dueOf = dueByCase(due, filter.due);
    const now = nowIsoWithOffset();
    const list = all.filter((r) => {
      if (!matchesCase(r, filter, villageOf)) return false;
      if (filter.due === 'overdue') return isOverdue(r.state as CaseState, now);
      return !filter.due || dueOf.has(r.subjectId);
    });
    const rows = list.map((r) => ({ record: r, due: dueOf.get(r.subjectId) }));
    if (filter.sort === 'due') {
      // Cases with due work first, the earliest first; the rest after, newest first.
      return rows.sort((a, b) =>
        a.due && b.due ? (a.due.date < b.due.date ? -1 : a.due.date > b.due.date ? 1 : 0) : a.due ? -1 : b.due ? 1 : byOpenedDesc(a.record, b.record),
      );
    }
    return rows.sort((a, b) => byOpenedDesc(a.record, b.record));
  }, [all, due, filter]);
  const set = (patch: Partial<ListFilter>) => {
    setFilter({ ...filter, ...patch });
    setPages(1);
  };
  const page = shown.slice(0, pages * PAGE_SIZE);

  return (
    <section>
      {mayRecordAnywhere() && (
        <a class="button primary block" href="/cases/new">
          登记案件
        </a>
      )}
      <div class="filters">
        <TextField label="搜索当事人、电话或纠纷情况" type="search" value={filter.text} onInput={(text) => set({ text })} />
        <div class="row">
          <SelectField label="状态" value={filter.status} onChange={(status) => set({ status })} options={STATUS_FILTERS} placeholder="全部" />
          <SelectField label="类型" value={filter.type} onChange={(type) => set({ type })} options={DISPUTE_TYPES} placeholder="全部" />
        </div>
        {places.length > 1 && <SelectField label="村（社区）" value={filter.place} onChange={(place) => set({ place })} options={places} placeholder="全部" />}
        <div class="row">
          <SelectField label="到期工作" value={filter.due} onChange={(d) => set({ due: d })} options={DUE_FILTERS} placeholder="全部" />
          <SelectField label="排序" value={filter.sort} onChange={(sort) => set({ sort })} options={SORTS} />
        </div>
      </div>
      <p class="muted" role="status">
        共 {shown.length} 件{shown.length > page.length && `，显示前 ${page.length} 件`}
      </p>
      <ul class="record-list">
        {page.map(({ record: r, due: d }) => {
          const s = r.state as CaseState;
          return (
            <li key={r.subjectId} class={s.status === 'voided' ? 'voided' : ''}>
              <a href={`/cases/${r.subjectId}`}>
                <div>
                  <strong>{disputeTypeLabel(s.opened?.disputeType)}</strong> <span class="status">{caseStatusLabel(s)}</span>
                  <RecordState record={r} />
                  {s.conflicts.length > 0 && <span class="tag error">需核对</span>}
                </div>
                <div class="muted">
                  {caseNumberLabel(s)} · 受理 {s.acceptedOn ?? dateOf(s.openedAt)} · {orgUnitLabel(s.unitId ?? s.orgUnitId)}
                </div>
                <div>{(s.opened?.parties ?? []).map((p) => p.name).join('、')}</div>
                {d && (
                  <div class={d.date < today ? 'due overdue' : 'due'}>
                    {DUE_LABELS[d.kind]} {d.date}（{dueText(d.date, today)}）
                  </div>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      {shown.length > page.length && (
        <button type="button" class="secondary block" onClick={() => setPages(pages + 1)}>
          显示更多（还有 {shown.length - page.length} 件）
        </button>
      )}
      {data && all.length === 0 && <p class="muted">本机还没有案件</p>}
    </section>
  );
}
