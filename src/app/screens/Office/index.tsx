// The office area as a lazy chunk (App.tsx loads it with preact-iso lazy() on /office/*):
// dashboard, records behind a figure, report draft. Capture screens never import this file,
// so phones that only record never download it.
import { useMemo } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { sessionController } from '../../session/instance.ts';
import { session } from '../../session/state.ts';
import { createOfficeApi } from './api.ts';
import { officeUnits } from './units.ts';
import { Alerts } from './Alerts.tsx';
import { createReturnsDeskApi } from './AlertsApi.ts';
import { AlertsFlashReport } from './AlertsFlashReport.tsx';
import { Subsidy } from './Subsidy.tsx';
import { Typical } from './Typical.tsx';
import { Completeness, graceDaysOf } from './Completeness.tsx';
import { Dashboard } from './Dashboard.tsx';
import { filterFromSearch, queryOf } from './filter.ts';
import { ledgerKindOf, Ledgers } from './Ledgers.tsx';
import { MeetingSummary } from './MeetingSummary.tsx';
import { choiceQuery, Pivot, pivotChoiceOf } from './Pivot.tsx';
import { Records } from './Records.tsx';
import { ReportView } from './ReportView.tsx';
import { createReturnsApi } from './returns-api.ts';
import { Returns } from './Returns.tsx';
import './office.css';

export default function OfficeScreen() {
  const location = useLocation();
  const api = useMemo(
    () =>
      createOfficeApi({
        fetch: (input, init) => fetch(input, init),
        token: () => session.value?.token,
        onUnauthorized: () => void sessionController.endOnUnauthorized(),
      }),
    [],
  );
  const returnsApi = useMemo(
    () =>
      createReturnsApi({
        fetch: (input, init) => fetch(input, init),
        token: () => session.value?.token,
        onUnauthorized: () => void sessionController.endOnUnauthorized(),
      }),
    [],
  );
  const desk = useMemo(
    () =>
      createReturnsDeskApi({
        fetch: (input, init) => fetch(input, init),
        token: () => session.value?.token,
        onUnauthorized: () => void sessionController.endOnUnauthorized(),
      }),
    [],
  );
  const s = session.value;
  const grants = s?.user.roles.filter((g) => g.role === 'office' || g.role === 'admin') ?? [];
  if (!s || grants.length === 0) {
    return (
      <section class="office-denied">
        <h2>没有权限</h2>
        <p>统计、导出和年度报告只对机关工作人员和管理员开放。</p>
        <a href="/">返回首页</a>
      </section>
    );
  }
  const search = new URLSearchParams(location.query as Record<string, string>).toString();
  // Only what the grants read: the session's ancestors (a town office's county) would only earn 403s.
  const units = officeUnits(s);
  // Default unit: the first office grant's unit, or for an admin the top of the tree.
  const office = grants.find((g) => g.role === 'office' && g.orgUnitId !== '*');
  const top = s.orgUnits.find((u) => u.parentId === null || !s.orgUnits.some((p) => p.id === u.parentId));
  const defaults = { year: new Date().getFullYear(), quarter: 0, month: 0, orgUnitId: office?.orgUnitId ?? top?.id ?? '' };
  if (location.path === '/office/records') {
    // A link without its unit (typed, bookmarked) lists the user's own unit, as the dashboard does.
    const withUnit = new URLSearchParams(search);
    if (!withUnit.get('orgUnitId') && defaults.orgUnitId) withUnit.set('orgUnitId', defaults.orgUnitId);
    return <Records api={api} search={withUnit.toString()} onPage={(q) => location.route(`/office/records?${q}`)} />;
  }
  if (location.path === '/office/report') return <ReportView api={api} search={search} />;
  const flash = /^\/office\/alerts\/([0-9a-f-]{36})\/print$/.exec(location.path);
  if (flash) return <AlertsFlashReport api={desk} subjectId={flash[1]!} />;

  const filter = filterFromSearch(search, defaults);
  const unitName = s.orgUnits.find((u) => u.id === filter.orgUnitId)?.name ?? filter.orgUnitId;
  if (location.path === '/office/alerts') return <Alerts api={desk} orgUnitId={filter.orgUnitId} unitName={unitName} />;
  if (location.path === '/office/typical') {
    const caseId = /^[0-9a-f-]{36}$/.test(location.query.case ?? '') ? location.query.case : undefined;
    return (
      <Typical
        api={desk}
        orgUnitId={filter.orgUnitId}
        unitName={unitName}
        year={filter.year}
        caseId={caseId}
        onYear={(year) => location.route(`/office/typical?year=${year}&orgUnitId=${encodeURIComponent(filter.orgUnitId)}`)}
      />
    );
  }
  if (location.path === '/office/subsidy') {
    // The month shown: the one asked for, else last month (the one to approve).
    const last = new Date(new Date().getFullYear(), new Date().getMonth() - 1, 1);
    const year = filter.month ? filter.year : last.getFullYear();
    const month = filter.month || last.getMonth() + 1;
    return (
      <Subsidy
        api={desk}
        orgUnitId={filter.orgUnitId}
        unitName={unitName}
        year={year}
        month={month}
        isAdmin={grants.some((g) => g.role === 'admin')}
        onPeriod={(y, m) => location.route(`/office/subsidy?year=${y}&month=${m}&orgUnitId=${encodeURIComponent(filter.orgUnitId)}`)}
      />
    );
  }
  if (location.path === '/office/ledgers') {
    const name = s.orgUnits.find((u) => u.id === filter.orgUnitId)?.name ?? filter.orgUnitId;
    const base = `/office/ledgers?year=${filter.year}&orgUnitId=${encodeURIComponent(filter.orgUnitId)}`;
    return (
      <Ledgers
        api={api}
        year={filter.year}
        orgUnitId={filter.orgUnitId}
        unitName={name}
        kind={ledgerKindOf(search)}
        onKind={(k) => location.route(k ? `${base}&kind=${k}` : base, true)}
      />
    );
  }
  if (location.path === '/office/pivot') {
    return (
      <Pivot
        api={api}
        filter={filter}
        choice={pivotChoiceOf(search)}
        units={units}
        onChange={(f, c) => location.route(`/office/pivot?${queryOf(f)}&${choiceQuery(c)}`)}
      />
    );
  }
  if (location.path === '/office/completeness') {
    const onChange = (f: typeof filter, days: number) => location.route(`/office/completeness?${queryOf(f)}&graceDays=${days}`);
    return <Completeness api={api} filter={filter} graceDays={graceDaysOf(search)} units={units} onChange={onChange} />;
  }
  if (location.path === '/office/returns') {
    // A month is always chosen: the last month by default, the one a return is usually written for.
    const now = new Date();
    const last = new Date(now.getFullYear(), now.getMonth() - 1, 1);
    const choice = { year: filter.month ? filter.year : last.getFullYear(), month: filter.month || last.getMonth() + 1, orgUnitId: filter.orgUnitId };
    return (
      <Returns
        api={returnsApi}
        choice={choice}
        units={units}
        isAdmin={s.user.roles.some((g) => g.role === 'admin')}
        onChoice={(c) => location.route(`/office/returns?year=${c.year}&month=${c.month}&orgUnitId=${encodeURIComponent(c.orgUnitId)}`, true)}
      />
    );
  }
  if (location.path === '/office/meeting-summary') {
    return <MeetingSummary api={api} filter={filter} unitName={s.orgUnits.find((u) => u.id === filter.orgUnitId)?.name ?? filter.orgUnitId} />;
  }
  return <Dashboard api={api} filter={filter} units={units} onFilter={(f) => location.route(`/office?${queryOf(f)}`)} />;
}
