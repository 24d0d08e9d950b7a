// The records behind a figure (/office/records?metric=…&year=…&orgUnitId=…&…): the list the
// number counts, whole (sorted by any column, paged on screen; both in the URL), masked as the
// server decides, each case or outreach row opening its record, with the same list as Excel.
import { useEffect, useState } from 'preact/hooks';
import { RECORD_METRICS } from '#shared/office/records';
import { describeFailure, type OfficeApi, type RecordsAnswer } from './api.ts';
import { filtersOnly, sortRows, TABLE_PAGE_SIZE, tableViewOf, withTableView, type Cell, type Row, type TableView } from './table.ts';

const COLUMNS: Record<RecordsAnswer['kind'], [key: string, header: string][]> = {
  case: [
    ['caseNumber', '案件编号'],
    ['orgUnitName', '所属单位'],
    ['openedDate', '受理日期'],
    ['disputeType', '纠纷类型'],
    ['source', '来源'],
    ['applicants', '申请人'],
    ['respondents', '被申请人'],
    ['status', '状态'],
    ['result', '调解结果'],
    ['closedDate', '结案日期'],
  ],
  outreach: [
    ['date', '日期'],
    ['orgUnitName', '单位'],
    ['title', '活动名称'],
    ['form', '形式'],
    ['themes', '主题'],
    ['campaign', '节点'],
    ['audience', '人次'],
  ],
  sweep: [
    ['date', '日期'],
    ['orgUnitName', '网格'],
    ['households', '走访户数'],
    ['disputesFound', '发现纠纷'],
    ['zeroReport', '零报告'],
  ],
};

const cell = (v: Cell) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));

/** Where a row opens: a case or an outreach session on its own screen (from the desk's local replica); sweeps have none. */
function hrefOf(kind: RecordsAnswer['kind'], row: Row): string | undefined {
  const id = typeof row.subjectId === 'string' ? encodeURIComponent(row.subjectId) : undefined;
  if (!id) return undefined;
  switch (kind) {
    case 'case':
      return `/cases/${id}`;
    case 'outreach':
      return `/outreach/${id}`;
    case 'sweep':
      return undefined;
  }
}

// Numbers and dates read badly broken over lines; names and places may wrap so every column fits a 1366 px desk.
const KEEP_WHOLE = new Set(['caseNumber', 'openedDate', 'closedDate', 'status', 'result', 'date', 'audience', 'households', 'disputesFound']);

// Pages of the API's largest size, fetched until the list is whole: a town's year is a few
// thousand rows at most, and sorting a column must order all of them, not one page.
const FETCH_PAGE = 500;

type Loaded = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: Omit<RecordsAnswer, 'rows'>; rows: Row[] };

export function Records(props: { api: OfficeApi; search: string; onPage: (search: string) => void }) {
  const [state, setState] = useState<Loaded>({ status: 'loading' });
  const [notice, setNotice] = useState('');
  const params = new URLSearchParams(props.search);
  const metric = RECORD_METRICS.find((m) => m.code === params.get('metric'));
  const filters = filtersOnly(props.search).toString();
  const view = tableViewOf(props.search);

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void (async () => {
      const rows: Row[] = [];
      for (let page = 1; ; page++) {
        const r = await props.api.records(`${filters}&pageSize=${FETCH_PAGE}&page=${page}`);
        if (!live) return;
        if (!r.ok) return setState({ status: 'error', message: describeFailure(r.failure) });
        rows.push(...r.body.rows);
        if (r.body.rows.length === 0 || rows.length >= r.body.total) return setState({ status: 'ok', value: r.body, rows });
      }
    })();
    return () => {
      live = false;
    };
  }, [filters, props.api]);

  const exportPath =
    metric?.kind === 'case' ? `/api/exports/cases.xlsx?${filters}` : metric?.kind === 'outreach' ? `/api/exports/outreach.xlsx?${filters}` : undefined;
  const back = new URLSearchParams({ year: params.get('year') ?? '', orgUnitId: params.get('orgUnitId') ?? '' });
  for (const k of ['month', 'quarter']) if (params.get(k)) back.set(k, params.get(k)!);

  return (
    <section class="office-records">
      <p>
        <a href={`/office?${back.toString()}`}>← 返回统计</a>
      </p>
      <h2>{metric ? `${metric.label}：记录明细` : '记录明细'}</h2>
      {state.status === 'loading' && <p class="muted">正在读取…</p>}
      {state.status === 'error' && <p role="alert">读取失败：{state.message}</p>}
      {state.status === 'ok' && (
        <>
          <p>
            {state.value.period} 共 <strong data-testid="records-total">{state.value.total}</strong> 条
            {state.value.kind === 'case' && '（当事人姓名、电话按权限脱敏显示；点案件编号打开案件）'}
            {exportPath && (
              <button
                type="button"
                class="inline"
                onClick={() => {
                  setNotice('正在生成文件…');
                  void props.api.download(exportPath).then((e) => setNotice(e ?? '已开始下载'));
                }}
              >
                导出本列表（Excel）
              </button>
            )}
            {notice && <span role="status"> {notice}</span>}
          </p>
          <RecordsTable kind={state.value.kind} rows={state.rows} view={view} onView={(next) => props.onPage(withTableView(props.search, next))} />
        </>
      )}
    </section>
  );
}

function RecordsTable(props: { kind: RecordsAnswer['kind']; rows: Row[]; view: TableView; onView: (next: Partial<TableView>) => void }) {
  const { kind, view } = props;
  const columns = COLUMNS[kind];
  const sorted = sortRows(props.rows, view.sort, view.dir);
  const pages = Math.max(1, Math.ceil(sorted.length / TABLE_PAGE_SIZE));
  const page = Math.min(view.page, pages);
  const shown = sorted.slice((page - 1) * TABLE_PAGE_SIZE, page * TABLE_PAGE_SIZE);
  return (
    <>
      <div class="table-scroll">
        <table class="office-table">
          <thead>
            <tr>
              {columns.map(([k, h]) => {
                const active = view.sort === k;
                return (
                  <th key={k} scope="col" class="sortable" aria-sort={active ? (view.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <button type="button" class="sort" onClick={() => props.onView({ sort: k, dir: active && view.dir === 'asc' ? 'desc' : 'asc', page: 1 })}>
                      {h}
                      <span aria-hidden="true">{active ? (view.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) => {
              const href = hrefOf(kind, row);
              return (
                <tr key={String(row.subjectId ?? i)} class={href ? 'opens' : undefined}>
                  {columns.map(([k], j) => (
                    <td key={k} class={KEEP_WHOLE.has(k) ? undefined : 'wraps'}>
                      {j === 0 && href ? <a href={href}>{cell(row[k])}</a> : cell(row[k])}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav class="pager" aria-label="翻页">
          <button type="button" disabled={page <= 1} onClick={() => props.onView({ page: page - 1 })}>
            上一页
          </button>
          <span>
            第 {page} / {pages} 页（每页 {TABLE_PAGE_SIZE} 条）
          </span>
          <button type="button" disabled={page >= pages} onClick={() => props.onView({ page: page + 1 })}>
            下一页
          </button>
        </nav>
      )}
    </>
  );
}
