// The records behind a figure (/office/records?metric=…&year=…&orgUnitId=…&…): the list the
// number counts, a page at a time, masked as the server decides, with the same list as Excel.
import { useEffect, useState } from 'preact/hooks';
import { RECORD_METRICS } from '#shared/office/records';
import { describeFailure, type OfficeApi, type RecordsAnswer } from './api.ts';

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

const cell = (v: string | number | boolean | null | undefined) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));

export function Records(props: { api: OfficeApi; search: string; onPage: (search: string) => void }) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: RecordsAnswer }>({ status: 'loading' });
  const [notice, setNotice] = useState('');
  const params = new URLSearchParams(props.search);
  const metric = RECORD_METRICS.find((m) => m.code === params.get('metric'));

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void props.api.records(props.search).then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [props.search]);

  const goPage = (page: number) => {
    const next = new URLSearchParams(props.search);
    next.set('page', String(page));
    props.onPage(next.toString());
  };
  const exportPath = metric?.kind === 'case' ? `/api/exports/cases.xlsx?${props.search}` : metric?.kind === 'outreach' ? `/api/exports/outreach.xlsx?${props.search}` : undefined;
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
            {state.value.kind === 'case' && '（当事人姓名、电话按权限脱敏显示）'}
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
          <div class="table-scroll">
            <table class="office-table">
              <thead>
                <tr>
                  {COLUMNS[state.value.kind].map(([k, h]) => (
                    <th key={k} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {state.value.rows.map((row, i) => (
                  <tr key={String(row.subjectId ?? i)}>
                    {COLUMNS[state.value.kind].map(([k]) => (
                      <td key={k}>{cell(row[k])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {state.value.total > state.value.pageSize && (
            <nav class="pager" aria-label="翻页">
              <button type="button" disabled={state.value.page <= 1} onClick={() => goPage(state.value.page - 1)}>
                上一页
              </button>
              <span>
                第 {state.value.page} / {Math.ceil(state.value.total / state.value.pageSize)} 页
              </span>
              <button type="button" disabled={state.value.page * state.value.pageSize >= state.value.total} onClick={() => goPage(state.value.page + 1)}>
                下一页
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
