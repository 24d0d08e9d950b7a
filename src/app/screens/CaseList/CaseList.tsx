// 案件: the cases on this phone, filtered by status, type, village and due work, searched by a
// party's name, phone number, the case number or the summary, sorted by acceptance or due date.
// Names show as the phone holds them: the server already masks what this user may not see
// (services/pull-mask.ts), and field roles need their own units' parties by name. A mediator
// holds thousands of cases: the list reads one page of case summaries by index (显示更多 reads
// the next), never every record; a search answers from the names/phones index first, then
// adds what only the summary text matches. On a start on /cases the first screen's rows were
// read by the entry (first-screen.ts) while the app loaded: the first render already shows
// them, and the rest of the page follows.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { mayRecordAnywhere } from '../../session/may-record.ts';
import { CASE_STATUS_LABELS, DISPUTE_TYPES } from '#shared/codes';
import { SelectField, TextField } from '../../components/fields.tsx';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { findOrgUnit, orgUnitLabel } from '../../session/index.ts';
import { CASE_FIRST_ROWS, CASE_PAGE_SIZE, caseUnits, queryCases, type CasePage, type CaseQuery, type DueFilter } from '../../storage/index.ts';
import { firstScreenShown, takeFirstCasePage } from '../../first-screen.ts';
import { RecordState } from '../../components/RecordState.tsx';
import { caseNumberLabel, caseStatusLabel, dateOf, disputeTypeLabel, todayLocal } from '../../format.ts';
import './case-list.css';
import { dueText, DUE_LABELS } from '#shared/fold/due';

/** Rows read and rendered per page of the list. */
const PAGE_SIZE = CASE_PAGE_SIZE;

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
  // Open cases, those waiting for their first session (待调解) with them.
  { code: 'open', label: '未结案' },
  { code: 'closed', label: CASE_STATUS_LABELS.closed },
  { code: 'voided', label: CASE_STATUS_LABELS.voided },
  { code: 'pending', label: '待上传' },
];

interface ListFilter {
  status: string;
  type: string;
  place: string;
  text: string;
  due: string;
  sort: string;
}

/** The village (or community) a unit belongs to: a grid's parent, else the unit itself. */
function villageOf(id: string): string {
  const unit = findOrgUnit(id);
  return unit?.kind === 'grid' && unit.parentId ? unit.parentId : id;
}

const DUE_CODES: readonly string[] = ['', 'due', 'followup', 'performance', 'overdue'];

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
  const limit = pages * PAGE_SIZE;
  const units = useStorageQuery(caseUnits, []);
  const places = useMemo(() => [...new Set((units.data ?? []).map(villageOf))].map((id) => ({ code: id, label: orgUnitLabel(id) })), [units.data]);
  const key = JSON.stringify([filter, limit]);

  const query: CaseQuery = {
    status: filter.status,
    type: filter.type,
    text: filter.text,
    due: (DUE_CODES.includes(filter.due) ? filter.due : '') as DueFilter,
    sort: filter.sort === 'due' ? 'due' : 'opened',
    ...(filter.place ? { units: new Set((units.data ?? []).filter((u) => villageOf(u) === filter.place)) } : {}),
  };
  const searching = filter.text.trim() !== '';
  // The entry's read of the unfiltered first screen (a start on /cases): shown until the page is read.
  const [firstKey] = useState(key);
  const [early] = useState(() => (props.due === '' && props.sort === '' ? takeFirstCasePage() : undefined));
  const [earlyPage, setEarlyPage] = useState(early?.value);
  useEffect(() => {
    if (!early || early.value) return undefined;
    let live = true;
    early.promise.then(
      (p) => live && setEarlyPage(p),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [early]);
  // Each answer carries the filter it was read for: a slow answer never shows under a newer filter.
  const quick = useStorageQuery(async () => ({ key, page: await queryCases(query, limit) }), [key]);
  // The summary-text pass reads every summary: it starts once the indexed answer is on screen.
  const quickShown = quick.data?.key === key;
  const full = useStorageQuery(
    async () => (searching && quickShown ? { key, page: await queryCases({ ...query, withAbout: true }, limit) } : null),
    [key, quickShown],
  );
  const complete = full.data?.key === key ? full.data.page : undefined;
  // Until the next page for the same filter comes (显示更多), the rows shown stay on screen; a
  // changed filter never shows rows of the one before.
  const filterKey = JSON.stringify(filter);
  const shownPage = useRef<{ filterKey: string; page: CasePage } | undefined>(undefined);
  const page =
    complete ??
    (quick.data?.key === key
      ? quick.data.page
      : shownPage.current?.filterKey === filterKey
        ? shownPage.current.page
        : key === firstKey
          ? earlyPage
          : undefined);
  if (page) shownPage.current = { filterKey, page };
  const set = (patch: Partial<ListFilter>) => {
    setFilter({ ...filter, ...patch });
    setPages(1);
  };
  const listed = page !== undefined;
  const [drawAll, setDrawAll] = useState(false);
  useEffect(() => {
    if (!listed) return undefined;
    firstScreenShown();
    if (drawAll) return undefined;
    const timer = setTimeout(() => setDrawAll(true), 0);
    return () => clearTimeout(timer);
  }, [listed, drawAll]);
  const rows = page?.rows ?? [];
  // The rest of the page a task after the first screen's rows (rows below the screen are laid
  // out only when scrolled to: app.css).
  const drawn = drawAll ? rows : rows.slice(0, CASE_FIRST_ROWS);
  const total = page?.total ?? 0;
  // The entry's first rows stand for the page being read: they say what the page will hold.
  const partial = page !== undefined && page === earlyPage;
  const listedCount = partial ? Math.min(total, limit) : rows.length;
  const today = todayLocal();
  const unfiltered = !searching && !filter.status && !filter.type && !filter.place && !filter.due;

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
      {page && (
        <p class="muted" role="status">
          共 {total} 件{total > listedCount && `，显示前 ${listedCount} 件`}
          {searching && !complete && '，正在查找纠纷情况…'}
        </p>
      )}
      <ul class="record-list">
        {drawn.map(({ summary: s, due: d }) => (
          <li key={s.subjectId} class={s.status === 'voided' ? 'voided' : ''}>
            <a href={`/cases/${s.subjectId}`}>
              <div>
                <strong>{disputeTypeLabel(s.disputeType)}</strong> <span class="status">{caseStatusLabel(s)}</span>
                <RecordState record={s} />
                {s.conflicts > 0 && <span class="tag error">需核对</span>}
              </div>
              <div class="muted">
                {caseNumberLabel(s)} · 受理 {s.acceptedOn ?? dateOf(s.openedAt)} · {orgUnitLabel(s.unitId)}
              </div>
              <div>{s.names.join('、')}</div>
              {d && (
                <div class={d.date < today ? 'due overdue' : 'due'}>
                  {DUE_LABELS[d.kind]} {d.date}（{dueText(d.date, today)}）
                </div>
              )}
            </a>
          </li>
        ))}
      </ul>
      {!partial && total > rows.length && (
        <button type="button" class="secondary block" onClick={() => setPages(pages + 1)}>
          显示更多（还有 {total - rows.length} 件）
        </button>
      )}
      {page && total === 0 && <p class="muted">{unfiltered ? '本机还没有案件' : '没有符合条件的案件'}</p>}
    </section>
  );
}
