// 首页: what a field worker checks first: today's work, due work (回访 and 履行期限, with their
// dates), cases open for more than 30 days, how many records wait to be uploaded, and whether
// the phone keeps data. Lists show their first few and 全部 (a mediator holds thousands): the
// case figures are read from the case summaries' indexes (due dates, overdue, today's), never
// by reading every case.
import type { OutreachState, SweepState } from '#shared/fold/index';
import { mayRecordAnywhere } from '../../session/may-record.ts';
import { labelOf, DISPUTE_TYPES } from '#shared/codes';
import { addDays } from '#shared/time';
import { useEffect } from 'preact/hooks';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { firstScreenShown } from '../../first-screen.ts';
import { checkForUpdate, updateWaiting } from '../../pwa/service-worker.ts';
import {
  casesOpenedSince,
  dueWorkUntil,
  listDrafts,
  listOutbox,
  listRecords,
  overdueCases,
  persistence,
  storageProblems,
  type CaseSummary,
  type DraftRecord,
  type DueWork,
} from '../../storage/index.ts';
import { caseNumberLabel, dateOf, todayLocal } from '../../format.ts';
import { countRecords } from '../../sync/format.ts';
import { ZeroReportQuick } from '../../forms/ZeroReportQuick.tsx';
import './home.css';
import { dueText, DUE_AHEAD_DAYS, DUE_LABELS } from '#shared/fold/due';

/** How many rows each list on 首页 shows before 全部. */
const HOME_LIST_SIZE = 5;

/** Where an unsaved draft is continued, and what to call it. */
export function draftLink(key: string): { href: string; label: string } | undefined {
  if (key === 'case:new') return { href: '/cases/new', label: '登记案件' };
  if (key === 'outreach:new') return { href: '/outreach/new', label: '登记普法活动' };
  if (key === 'sweep:new') return { href: '/sweep', label: '排查' };
  const m = /^(case|outreach):([0-9a-f-]{36}):(\w+)$/.exec(key);
  if (!m) return undefined;
  return { href: m[1] === 'case' ? `/cases/${m[2]}` : `/outreach/${m[2]}`, label: m[1] === 'case' ? '案件操作' : '普法活动更正' };
}

interface HomeData {
  today: { cases: number; sweeps: number; outreach: number; audience: number };
  due: DueWork[];
  overdue: CaseSummary[];
  outbox: { pending: number; rejected: number };
  drafts: DraftRecord[];
}

/** A case registered today may carry a time up to a day either side of the phone's clock (its own offset). */
const TODAY_SLACK_MS = 2 * 86_400_000;

async function loadHome(): Promise<HomeData> {
  const now = Date.now();
  const today = todayLocal();
  const [recentCases, due, overdue, sweeps, outreach, outbox, drafts] = await Promise.all([
    casesOpenedSince(now - TODAY_SLACK_MS),
    dueWorkUntil(addDays(today, DUE_AHEAD_DAYS)),
    overdueCases(now),
    listRecords('sweep'),
    listRecords('outreach'),
    listOutbox(),
    listDrafts(),
  ]);
  const sweepStates = sweeps.map((r) => r.state as SweepState).filter((s) => !s.voided);
  const outreachStates = outreach.map((r) => r.state as OutreachState).filter((s) => !s.voided);
  const todaysOutreach = outreachStates.filter((s) => dateOf(s.occurredAt) === today);
  return {
    today: {
      cases: recentCases.filter((s) => s.status !== 'voided' && dateOf(s.openedAt) === today).length,
      sweeps: sweepStates.filter((s) => dateOf(s.occurredAt) === today).length,
      outreach: todaysOutreach.length,
      audience: todaysOutreach.reduce((sum, s) => sum + (s.record?.audience ?? 0), 0),
    },
    due,
    // The longest open first: what most needs the worker's attention.
    overdue,
    // Records, not events, the way the sync header counts them: one case with five steps is one thing to upload.
    outbox: countRecords(outbox),
    drafts: drafts.filter((d) => draftLink(d.key) !== undefined).sort((a, b) => b.updatedAt - a.updatedAt),
  };
}

function AllLink(props: { total: number; href: string; what: string }) {
  if (props.total <= HOME_LIST_SIZE) return null;
  return (
    <a class="text-link all-link" href={props.href}>
      全部{props.what}（{props.total}）
    </a>
  );
}

function DueLinks(props: { items: DueWork[]; today: string }) {
  if (props.items.length === 0) return <p class="muted">{DUE_AHEAD_DAYS} 天内没有到期的回访和履行期限</p>;
  return (
    <>
      <ul class="record-list" aria-label="到期工作">
        {props.items.slice(0, HOME_LIST_SIZE).map((i) => (
          <li key={`${i.kind}:${i.summary.subjectId}`}>
            <a href={`/cases/${i.summary.subjectId}`}>
              <strong>
                {DUE_LABELS[i.kind]} {i.date}
              </strong>
              <span class={i.date < props.today ? 'due overdue' : 'due'}>{dueText(i.date, props.today)}</span>
              <span>
                {labelOf(DISPUTE_TYPES, i.summary.disputeType)} {caseNumberLabel(i.summary)}
              </span>
            </a>
          </li>
        ))}
      </ul>
      <AllLink total={props.items.length} href="/cases?due=due" what="到期工作" />
    </>
  );
}

function CaseLinks(props: { cases: CaseSummary[]; empty: string }) {
  if (props.cases.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <ul class="record-list">
      {props.cases.slice(0, HOME_LIST_SIZE).map((c) => (
        <li key={c.subjectId}>
          <a href={`/cases/${c.subjectId}`}>
            <strong>{labelOf(DISPUTE_TYPES, c.disputeType)}</strong>
            <span>{caseNumberLabel(c)}</span>
            <span class="muted">受理 {dateOf(c.openedAt)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function Home() {
  const { data, error } = useStorageQuery(loadHome, []);
  const problems = storageProblems.value;
  const newer = problems.filter((p) => p.newer).length;
  const unreadable = problems.length - newer;
  // Records of a newer version: that version is on the server, look for it now rather than at the next start.
  const fromNewer = newer > 0;
  useEffect(() => {
    if (fromNewer) void checkForUpdate();
  }, [fromNewer]);
  const read = data !== undefined || error !== undefined;
  useEffect(() => {
    if (read) firstScreenShown();
  }, [read]);
  return (
    <section class="home">
      {error && <p class="form-error">{error}</p>}
      {mayRecordAnywhere() ? (
        <>
          <div class="actions-grid">
            <a class="big-action" href="/sweep">
              排查
            </a>
            <a class="big-action" href="/cases/new">
              登记案件
            </a>
            <a class="big-action" href="/outreach/new">
              登记普法
            </a>
          </div>
          <ZeroReportQuick />
        </>
      ) : (
        <p class="muted">
          本账号查看和统计各村（社区）的记录，不登记排查、案件和普法活动。<a href="/office">打开统计</a>
        </p>
      )}
      {data && (
        <>
          <p class={`outbox-line${data.outbox.pending + data.outbox.rejected > 0 ? ' warn' : ''}`}>
            {data.outbox.pending} 条待上传
            {data.outbox.rejected > 0 && `，${data.outbox.rejected} 条未通过`}
          </p>
          {data.drafts.length > 0 && (
            <>
              <h2>未保存的草稿</h2>
              <ul class="record-list">
                {data.drafts.map((d) => {
                  const link = draftLink(d.key);
                  return (
                    link && (
                      <li key={d.key}>
                        <a href={link.href}>
                          <strong>继续填写：{link.label}</strong>
                          <span class="muted">{new Date(d.updatedAt).toLocaleString('zh-CN', { hour12: false })}</span>
                        </a>
                      </li>
                    )
                  );
                })}
              </ul>
            </>
          )}
          <h2>今天</h2>
          <dl class="figures">
            <div>
              <dt>登记案件</dt>
              <dd>{data.today.cases}</dd>
            </div>
            <div>
              <dt>排查</dt>
              <dd>{data.today.sweeps}</dd>
            </div>
            <div>
              <dt>普法场次</dt>
              <dd>{data.today.outreach}</dd>
            </div>
            <div>
              <dt>宣传人次</dt>
              <dd>{data.today.audience}</dd>
            </div>
          </dl>
          <h2>到期工作（{data.due.length}）</h2>
          <DueLinks items={data.due} today={todayLocal()} />
          <h2>超过 30 天未结（{data.overdue.length}）</h2>
          <CaseLinks cases={data.overdue} empty="没有超期案件" />
          <AllLink total={data.overdue.length} href="/cases?due=overdue" what="超期案件" />
        </>
      )}
      {newer > 0 && (
        <p class="note" role="status">
          本机有 {newer} 条记录来自新版本，当前版本还不能显示（已保存，不会丢失）。
          {updateWaiting.value ? '请点页面上方的“有新版本，点击更新”。' : '应用更新后即可显示，请保持联网稍候。'}
        </p>
      )}
      {unreadable > 0 && <p class="form-error">本机有 {unreadable} 条记录无法读取（已保留，未删除），请联系管理员。</p>}
      {persistence.value === 'not_persisted' && (
        <p class="note">
          浏览器未承诺长期保存本机数据。请将本应用“添加到主屏幕”，并尽快同步。
          <a class="text-link" href="/about">
            详情
          </a>
        </p>
      )}
      <p>
        <a class="text-link" href="/about">
          关于本机
        </a>
      </p>
    </section>
  );
}
