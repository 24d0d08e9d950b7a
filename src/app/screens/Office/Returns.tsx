// 月报: the monthly 矛盾纠纷排查调处 return of a town at desk width. One table per column
// (本月 / 年度累计 / 同期, rows per village, 镇本级 and 合计), the village league, 受理 by upward
// type, the half-month sweeps per grid and the registry; the .xlsx to send upward, with 负责人
// and 填表人 typed here. A closed month says so and lists its late records. Admins also keep
// the upward type mapping and the mediators' 专职/兼职 here.
import { useEffect, useState } from 'preact/hooks';
import type { MonthlyReturnResponse } from '#shared/api/returns';
import { COMMITTEE_TYPES, eventTypeLabel } from '#shared/codes';
import { RETURN_DEFINITIONS, RETURN_ITEMS } from '#shared/returns/monthly';
import { dateOf } from '../../format.ts';
import { describeFailure } from '../../net/http.ts';
import type { OrgUnitInfo } from '../../session/state.ts';
import { Bracketed } from './Bracketed.tsx';
import type { ReturnsApi } from './returns-api.ts';
import { ReturnsMediators } from './ReturnsMediators.tsx';
import { ReturnsTypeMap } from './ReturnsTypeMap.tsx';
import './returns.css';

type Column = 'month' | 'ytd' | 'lastYear';
const COLUMNS: { key: Column; label: string }[] = [
  { key: 'month', label: '本月' },
  { key: 'ytd', label: '年度累计' },
  { key: 'lastYear', label: '同期' },
];

export interface ReturnsChoice {
  year: number;
  month: number;
  orgUnitId: string;
}

const cell = (type: string, n: number | undefined) => {
  const x = n ?? 0;
  if (type === 'money') return (x / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (type === 'percent') return `${x.toFixed(1)}%`;
  return String(x);
};

export function Returns(props: {
  api: ReturnsApi;
  choice: ReturnsChoice;
  units: readonly OrgUnitInfo[];
  isAdmin: boolean;
  onChoice: (c: ReturnsChoice) => void;
}) {
  const { api, choice } = props;
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: MonthlyReturnResponse }>({
    status: 'loading',
  });
  const [column, setColumn] = useState<Column>('month');
  const [responsible, setResponsible] = useState('');
  const [preparer, setPreparer] = useState('');
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);
  const query = `orgUnitId=${encodeURIComponent(choice.orgUnitId)}&year=${choice.year}&month=${choice.month}`;
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void api.monthly(query).then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [api, query, reload]);

  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  if (!years.includes(choice.year)) years.push(choice.year);
  const towns = props.units.filter((u) => u.kind === 'town' || u.kind === 'county');
  const download = async () => {
    const signers = `&responsible=${encodeURIComponent(responsible)}&preparer=${encodeURIComponent(preparer)}`;
    const failure = await api.download(`/api/returns/monthly.xlsx?${query}${signers}`);
    setNotice(failure ?? '已开始下载');
  };

  return (
    <section class="office-returns">
      <h2>矛盾纠纷排查调处月报</h2>
      <form class="office-filter" aria-label="月报条件" onSubmit={(e) => e.preventDefault()}>
        <label>
          单位
          <select value={choice.orgUnitId} onChange={(e) => props.onChoice({ ...choice, orgUnitId: e.currentTarget.value })}>
            {towns.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          年份
          <select value={String(choice.year)} onChange={(e) => props.onChoice({ ...choice, year: Number(e.currentTarget.value) })}>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}年
              </option>
            ))}
          </select>
        </label>
        <label>
          月份
          <select value={String(choice.month)} onChange={(e) => props.onChoice({ ...choice, month: Number(e.currentTarget.value) })}>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
              <option key={m} value={String(m)}>
                {m}月
              </option>
            ))}
          </select>
        </label>
        <label>
          负责人
          <input value={responsible} maxLength={20} onInput={(e) => setResponsible(e.currentTarget.value)} />
        </label>
        <label>
          填表人
          <input value={preparer} maxLength={20} onInput={(e) => setPreparer(e.currentTarget.value)} />
        </label>
        <button type="button" class="primary" onClick={() => void download()} disabled={state.status !== 'ok'}>
          下载月报（Excel）
        </button>
        {notice && <span role="status">{notice}</span>}
      </form>

      {state.status === 'loading' && <p class="muted">正在读取…</p>}
      {state.status === 'error' && <p role="alert">读取失败：{state.message}</p>}
      {state.status === 'ok' && <ReturnBody body={state.value} column={column} onColumn={setColumn} />}

      {props.isAdmin && (
        <>
          <ReturnsTypeMap api={api} onSaved={() => setReload((n) => n + 1)} />
          <ReturnsMediators api={api} orgUnitId={choice.orgUnitId} onSaved={() => setReload((n) => n + 1)} />
        </>
      )}
    </section>
  );
}

function ReturnBody(props: { body: MonthlyReturnResponse; column: Column; onColumn: (c: Column) => void }) {
  const { body, column } = props;
  const p = body.report.periods[column];
  const frozen = body.frozen;
  return (
    <>
      <p class="returns-head">
        <strong>{body.title}</strong> · {body.periodLabel} · 填报日期 {body.madeAt}
      </p>
      {frozen ? (
        <details class="returns-frozen" open={frozen.lateCount > 0}>
          <summary>
            已结账：{frozen.closedByName} 于 {dateOf(frozen.closedAt)} 结账{frozen.kept ? '，以下为结账时的数字' : '（结账时未保存月报，以下为当前数字）'}· 迟报{' '}
            <strong>{frozen.lateCount}</strong> 条
          </summary>
          {frozen.late.length > 0 && (
            <ul>
              {frozen.late.map((e) => (
                <li key={e.id}>
                  {dateOf(e.occurredAt)} · {e.orgUnitName} · {eventTypeLabel(e.type)}（{dateOf(e.receivedAt)} 到达）
                </li>
              ))}
            </ul>
          )}
        </details>
      ) : (
        <p class="muted">本月尚未结账：数字随新到的记录变化。结账在“统计 → 结账与迟报”中进行，结账后月报即固定。</p>
      )}

      <div class="returns-columns" role="radiogroup" aria-label="报表栏目">
        {COLUMNS.map((c) => (
          <label key={c.key} class={c.key === column ? 'chosen' : undefined}>
            <input type="radio" name="return-column" checked={c.key === column} onChange={() => props.onColumn(c.key)} />
            {c.label}
          </label>
        ))}
        <span class="muted">
          {p.from} 至 {p.to}
        </span>
      </div>
      <div class="table-scroll">
        <table class="office-table returns-table" aria-label={`月报${COLUMNS.find((c) => c.key === column)?.label}`}>
          <thead>
            <tr>
              <th scope="col">单位</th>
              {RETURN_ITEMS.map((i) => (
                <th key={i.key} scope="col">
                  <Bracketed text={i.label} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.report.rows.map((r) => (
              <tr key={r.unitId} class={r.level === 'total' ? 'total' : undefined}>
                <th scope="row">{r.name}</th>
                {RETURN_ITEMS.map((i) => (
                  <td key={i.key} class="num">
                    {cell(i.type, r[column][i.key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details class="figure-definition">
        <summary>口径说明</summary>
        <ul>
          {Object.entries(RETURN_DEFINITIONS).map(([k, text]) => (
            <li key={k}>{text}</li>
          ))}
        </ul>
      </details>

      <div class="returns-grid">
        <section>
          <h3>村（社区）排名</h3>
          <table class="office-table">
            <thead>
              <tr>
                <th scope="col">名次</th>
                <th scope="col">村（社区）</th>
                <th scope="col">报表质量</th>
                <th scope="col">调解数</th>
                <th scope="col">成功率</th>
              </tr>
            </thead>
            <tbody>
              {body.report.league.map((l) => (
                <tr key={l.unitId}>
                  <td class="num">{l.ranked ? l.rank : '—'}</td>
                  <td>{l.name}</td>
                  <td class="num">{l.quality.toFixed(1)}%</td>
                  <td class="num">{l.mediated}</td>
                  <td class="num">{l.successRate.toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">报表质量：本月各网格排查（含零报告）的报告率与及时率的平均。本月既无排查报表、也无结案的村（社区）不排名（—）。</p>
        </section>
        <section>
          <h3>受理纠纷按上报类型</h3>
          <table class="office-table">
            <thead>
              <tr>
                <th scope="col">上报代码</th>
                <th scope="col">上报类型</th>
                <th scope="col">本月</th>
                <th scope="col">年度累计</th>
                <th scope="col">同期</th>
              </tr>
            </thead>
            <tbody>
              {body.upwardTypes
                .filter((t) => t.code === 'total' || t.month + t.ytd + t.lastYear > 0)
                .map((t) => (
                  <tr key={t.code} class={t.code === 'total' ? 'total' : undefined}>
                    <td>{t.code === 'total' ? '' : t.code}</td>
                    <td>{t.label}</td>
                    <td class="num">{t.month}</td>
                    <td class="num">{t.ytd}</td>
                    <td class="num">{t.lastYear}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>组织和人员</h3>
          <table class="office-table">
            <tbody>
              {COMMITTEE_TYPES.map((t) => (
                <tr key={t.code}>
                  <th scope="row">{t.label}</th>
                  <td class="num">{body.registry.committees[t.code] ?? 0} 个</td>
                </tr>
              ))}
              <tr class="total">
                <th scope="row">调委会合计</th>
                <td class="num">{body.registry.committeeTotal} 个</td>
              </tr>
              <tr>
                <th scope="row">人民调解员</th>
                <td class="num">
                  {body.registry.mediators.total} 人（专职 {body.registry.mediators.fullTime}，兼职 {body.registry.mediators.partTime}）
                </td>
              </tr>
            </tbody>
          </table>
        </section>
      </div>

      <details class="returns-half">
        <summary>
          <h3>半月排查（各网格）</h3>
          <span class="muted">
            {body.halfMonth.length} 个网格，{body.halfMonth.filter((g) => g.first.count === 0 || g.second.count === 0).length} 个有半月没有排查记录
          </span>
        </summary>
        <div class="table-scroll">
          <table class="office-table">
            <thead>
              <tr>
                <th scope="col">村（社区）</th>
                <th scope="col">网格</th>
                <th scope="col">1–15日 排查</th>
                <th scope="col">零报告</th>
                <th scope="col">发现纠纷</th>
                <th scope="col">16日–月末 排查</th>
                <th scope="col">零报告</th>
                <th scope="col">发现纠纷</th>
              </tr>
            </thead>
            <tbody>
              {body.halfMonth.map((g) => (
                <tr key={g.id} class={g.first.count === 0 || g.second.count === 0 ? 'silent' : undefined}>
                  <td>{g.parentName}</td>
                  <td>{g.name}</td>
                  <td class="num">{g.first.count}</td>
                  <td class="num">{g.first.zeroReports}</td>
                  <td class="num">{g.first.disputesFound}</td>
                  <td class="num">{g.second.count}</td>
                  <td class="num">{g.second.zeroReports}</td>
                  <td class="num">{g.second.disputesFound}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted">标色的网格有半个月没有排查记录（零报告也算报送）。</p>
      </details>
    </>
  );
}
