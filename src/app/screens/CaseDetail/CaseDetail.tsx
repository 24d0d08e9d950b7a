// 案件详情: the folded current state (status, 待编号 until the server's number arrives, the
// conflict flag), the timeline of events, the actions, and the print views.
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import {
  AGREEMENT_FORMS,
  CASE_RESULTS,
  CASE_SOURCES,
  FOLLOWUP_MODES,
  OUTCOME_FLAGS,
  PARTY_ROLES,
  PERFORMANCE_STATUSES,
  REFERRERS,
  SATISFACTION,
  SEXES,
  TIMELINE_LABELS,
  labelOf,
} from '#shared/codes';
import { caseTimeline, caseUnitOf, type CaseState, type TimelineItem } from '#shared/fold/index';
import { Saved } from '../../components/fields.tsx';
import { takeFlash } from '../../components/flash.ts';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { orgUnitLabel } from '../../session/index.ts';
import { getRecord, listDrafts } from '../../storage/index.ts';
import { caseNumberLabel, caseStatusLabel, dateOf, dateTimeOf, disputeTypeLabel } from '../../format.ts';
import { mayRecordIn } from '../../session/may-record.ts';
import { ACTION_LABELS, ActionPanel, actionsFor, type CaseAction } from './actions.tsx';
import { RecordState } from '../../components/RecordState.tsx';
import { correctionLines } from './corrections.ts';
import { CaseExtras } from './extras.tsx';

/** The sweep a case was registered from (排查 → 由此排查登记案件), as this phone knows it. */
function SweepOrigin(props: { sweepId: string }) {
  const { data } = useStorageQuery(async () => (await getRecord(props.sweepId)) ?? null, [props.sweepId]);
  const s = data?.state.kind === 'sweep' ? data.state : undefined;
  return (
    <a class="text-link" href="/sweep">
      {s ? `${dateOf(s.occurredAt)} ${orgUnitLabel(s.orgUnitId)} 排查（走访 ${s.households} 户）` : '排查记录（本机没有）'}
    </a>
  );
}
import { RevealParty, revealsIn } from './RevealParty.tsx';

/** What a timeline entry says under its title (TIMELINE_LABELS). */
function describe(item: TimelineItem, state: CaseState): string {
  const find = <T extends { eventId: string }>(list: readonly T[]) => list.find((x) => x.eventId === item.eventId);
  switch (item.kind) {
    case 'opened':
      return state.opened?.summary ?? '';
    case 'numbered':
      return state.caseNumber ?? '';
    case 'updated': {
      const u = find(state.updates);
      // Records folded before corrections were kept have none: the count then.
      const lines = state.corrections ? correctionLines(find(state.corrections)) : [];
      const what = lines.length > 0 ? lines.join('\n') : `修改了 ${Object.keys(u?.changes ?? {}).length} 项`;
      return u?.note ? `${what}\n更正说明：${u.note}` : what;
    }
    case 'session': {
      const s = find(state.sessions);
      return [s?.content, s?.outcome].filter(Boolean).join(' — ');
    }
    case 'closed': {
      const c = find(state.closures);
      return `${labelOf(CASE_RESULTS, c?.result)}，${labelOf(AGREEMENT_FORMS, c?.agreementForm)}${c?.terms ? `：${c.terms}` : ''}`;
    }
    case 'reopened':
      return find(state.reopenings)?.reason ?? '';
    case 'performed': {
      const p = find(state.performances);
      return `${labelOf(PERFORMANCE_STATUSES, p?.status)}${p?.method ? `，${p.method}` : ''}`;
    }
    case 'followup': {
      const f = find(state.followups);
      return [labelOf(FOLLOWUP_MODES, f?.mode), labelOf(SATISFACTION, f?.satisfaction), f?.issues].filter(Boolean).join('，');
    }
    case 'signed':
      return (find(state.signings)?.signatures ?? []).map((s) => s.name).join('、');
    case 'outcomes': {
      const m = find(state.outcomeMarks ?? []);
      const flags = (m?.flags ?? []).map((f) => labelOf(OUTCOME_FLAGS, f)).join('、') || '清除全部标记';
      return m?.note ? `${flags}\n${m.note}` : flags;
    }
    case 'voided':
      return state.voided?.reason ?? '';
  }
}

export function CaseDetail() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { data: record, error } = useStorageQuery(async () => (await getRecord(id)) ?? null, [id]);
  const [action, setAction] = useState<CaseAction | undefined>();
  const [message, setMessage] = useState<string | undefined>(takeFlash);
  // An action left half-filled (the app was closed, the phone rang) opens again as it was.
  useEffect(() => {
    let live = true;
    void listDrafts().then((drafts) => {
      const prefix = `case:${id}:`;
      const open = drafts.find((d) => d.key.startsWith(prefix))?.key.slice(prefix.length);
      if (live && open && open in ACTION_LABELS) setAction((current) => current ?? (open as CaseAction));
    });
    return () => {
      live = false;
    };
  }, [id]);

  if (error) return <p class="form-error">{error}</p>;
  if (record === undefined) return <p class="muted">正在读取…</p>;
  if (record === null) return <p class="form-error">本机没有这个案件（可能尚未同步到本机）。</p>;
  const state = record.state as CaseState;
  if (state.kind !== 'case') return <p class="form-error">这不是一个案件</p>;
  const o = state.opened;
  const written = state.closure?.agreementForm === 'written';
  // The case's current unit decides: after a 更正 the new grid works it, the old one no longer.
  const unit = caseUnitOf(state);
  const mayRecord = mayRecordIn(unit);
  const actions = actionsFor(state, mayRecord);
  const reveals = revealsIn(unit);

  return (
    <section class="case-detail">
      <Saved show={message !== undefined}>{message}</Saved>
      <div class="case-head">
        <p class="case-number">
          案号：<strong>{caseNumberLabel(state)}</strong>
        </p>
        <p>
          状态：<strong class={`status status-${state.status}`}>{caseStatusLabel({ ...state, mediated: state.sessions.length > 0 })}</strong>
          <RecordState record={record} withTime />
        </p>
        {state.major?.flagged && state.status !== 'voided' && (
          <p>
            <strong class="tag error">重大矛盾纠纷</strong>
          </p>
        )}
        {state.conflicts.length > 0 && (
          <p class="conflict" role="alert">
            ⚠ 有人在另一台设备上同时修改了此案件，请核对下方标记的记录。
          </p>
        )}
      </div>
      {o ? (
        <dl class="facts">
          <dt>纠纷类型</dt>
          <dd>{disputeTypeLabel(o.disputeSubtype ?? o.disputeType)}</dd>
          <dt>案件来源</dt>
          <dd>
            {labelOf(CASE_SOURCES, o.source)}
            {o.referrer && `（${labelOf(REFERRERS, o.referrer)}）`}
          </dd>
          <dt>村（社区）/网格</dt>
          <dd>{orgUnitLabel(unit)}</dd>
          {o.sweepId && (
            <>
              <dt>来源排查</dt>
              <dd>
                <SweepOrigin sweepId={o.sweepId} />
              </dd>
            </>
          )}
          <dt>受理日期</dt>
          <dd>{state.acceptedOn ?? dateOf(state.openedAt)}</dd>
          {o.occurredOn && (
            <>
              <dt>纠纷发生日期</dt>
              <dd>{o.occurredOn}</dd>
            </>
          )}
          {o.occurredPlace && (
            <>
              <dt>发生地点</dt>
              <dd>{o.occurredPlace}</dd>
            </>
          )}
          <dt>纠纷简要情况</dt>
          <dd class="pre">{o.summary}</dd>
          <dt>当事人</dt>
          <dd>
            <ul class="plain">
              {o.parties.map((p, i) => (
                <li key={i}>
                  {labelOf(PARTY_ROLES, p.role)}：{p.name}
                  {p.sex && ` · ${labelOf(SEXES, p.sex)}`}
                  {p.age !== undefined && ` · ${p.age}岁`}
                  {p.phone && ` · ${p.phone}`}
                  {reveals && <RevealParty subjectId={state.subjectId} party={i} label={`${labelOf(PARTY_ROLES, p.role)}${p.name}`} />}
                </li>
              ))}
            </ul>
          </dd>
          {o.peopleInvolved !== undefined && (
            <>
              <dt>涉及人数</dt>
              <dd>{o.peopleInvolved}</dd>
            </>
          )}
          {o.amountInvolved !== undefined && (
            <>
              <dt>涉及金额</dt>
              <dd>{o.amountInvolved} 元</dd>
            </>
          )}
          {o.mediators && (
            <>
              <dt>调解员</dt>
              <dd>{o.mediators.join('、')}</dd>
            </>
          )}
          {state.outcomes && state.outcomes.length > 0 && (
            <>
              <dt>结果标记</dt>
              <dd>{state.outcomes.map((f) => labelOf(OUTCOME_FLAGS, f.code)).join('、')}</dd>
            </>
          )}
        </dl>
      ) : (
        <p class="note">登记信息尚未同步到本机。</p>
      )}

      {actions.length > 0 ? (
        <div class="actions" role="group" aria-label="案件操作">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              class={action === a ? 'primary' : 'secondary'}
              aria-expanded={action === a}
              onClick={() => {
                setMessage(undefined);
                setAction(action === a ? undefined : a);
              }}
            >
              {ACTION_LABELS[a]}
            </button>
          ))}
        </div>
      ) : (
        state.status !== 'voided' && <p class="muted">本账号只能查看此案件；调解记录、结案、履行、回访、更正和作废由所在村（社区）的调解员或网格员填写。</p>
      )}
      {action && actions.includes(action) && (
        <ActionPanel
          key={action}
          action={action}
          state={state}
          onDone={(m) => {
            setAction(undefined);
            setMessage(m);
            // The notice and the new status are at the top; the form that was open is gone.
            window.scrollTo(0, 0);
          }}
          onCancel={() => setAction(undefined)}
        />
      )}
      <CaseExtras state={state} mayRecord={mayRecord} onMessage={setMessage} />
      <div class="actions">
        {o && (
          <a class="button secondary" href={`/cases/${state.subjectId}/print/register`}>
            打印受理登记表
          </a>
        )}
        {state.sessions.length > 0 && (
          <a class="button secondary" href={`/cases/${state.subjectId}/print/record`}>
            打印调解记录
          </a>
        )}
        {written && (
          <a class="button secondary" href={`/cases/${state.subjectId}/print/agreement`}>
            打印调解协议书
          </a>
        )}
      </div>

      <h2>办理经过</h2>
      <ol class="timeline">
        {caseTimeline(state).map((item) => {
          const text = describe(item, state);
          return (
            <li key={item.eventId} class={item.conflict ? 'conflict' : ''}>
              <span class="when">{dateTimeOf(item.occurredAt)}</span>
              <strong>{TIMELINE_LABELS[item.kind]}</strong>
              {item.conflict && <span class="tag error">同时修改</span>}
              {text && <p class="pre">{text}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
