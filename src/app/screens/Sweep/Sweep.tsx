// 排查: a grid worker's sweep of the grid: households visited and disputes found. 零报告 (no
// disputes) takes two taps here and on 首页, with a warning on a second one for the same grid
// and day; 走访户数 is checked by the rule 首页's 零报告 uses too (a negative, fractional or
// implausibly large count is refused at the field); more disputes than households is asked
// about (#shared/plausibility); 发现纠纷 opens a
// case registration for the same grid; a saved sweep's 由此排查登记案件 registers a case linked to
// it (case.opened's sweepId), and the sweep lists the cases it produced. 记录位置 adds the place
// (留痕), only when the worker taps it.
import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { uuidv7 } from '#shared/uuid';
import type { GeoPoint } from '#shared/events';
import type { SweepState } from '#shared/fold/index';
import { FormError, NumberField, SaveConfirm, SaveProblems, Saved, TextField } from '../../components/fields.tsx';
import { defaultOrgUnit, OrgUnitField } from '../../components/OrgUnitField.tsx';
import { ShowMore, usePaged } from '../../components/ShowMore.tsx';
import { useDraft } from '../../hooks/use-draft.ts';
import { useSaveForm, type Built } from '../../hooks/use-save-form.ts';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { LocationControl } from '../../photos/LocationControl.tsx';
import { orgUnitLabel } from '../../session/index.ts';
import { casesFromSweeps, InvalidEventError, listRecords, recordEvents, type CaseSummary } from '../../storage/index.ts';
import { dateOf, occurredAtOf, parseCount, todayLocal } from '../../format.ts';
import { readHouseholds, zeroReportEvent, zeroReportQuestion } from '../../forms/zero-report.ts';
import { RecordState } from '../../components/RecordState.tsx';

const GRID_KINDS = ['grid'] as const;
const DRAFT_KEY = 'sweep:new';
const ZERO_SAVED = '零报告已保存';

interface SweepValues {
  date: string;
  orgUnitId: string;
  households: string;
  disputesFound: string;
  note: string;
  location?: GeoPoint;
}

const blank = (): SweepValues => ({ date: todayLocal(), orgUnitId: defaultOrgUnit(GRID_KINDS), households: '', disputesFound: '', note: '' });

/** 作废 a sweep recorded by mistake: a reason, then it counts nowhere (the record stays). */
function VoidSweep(props: { state: SweepState }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  if (!open) {
    return (
      <button type="button" class="secondary small" onClick={() => setOpen(true)}>
        作废此条
      </button>
    );
  }
  const submit = async () => {
    if (!reason.trim()) {
      setError('请填写作废原因');
      return;
    }
    try {
      await recordEvents([
        { type: 'sweep.voided', subjectId: props.state.subjectId, orgUnitId: props.state.orgUnitId, occurredAt: occurredAtOf(todayLocal()), data: { reason } },
      ]);
      setOpen(false);
    } catch (e) {
      setError(e instanceof InvalidEventError ? e.message : '保存失败，请重试');
    }
  };
  return (
    <div class="form">
      <TextField label="作废原因" value={reason} onInput={setReason} error={error} required />
      <div class="row">
        <button type="button" class="primary" onClick={() => void submit()}>
          确认作废
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          取消
        </button>
      </div>
    </div>
  );
}

export function Sweep() {
  const draft = useDraft<SweepValues>(DRAFT_KEY, 'sweep', blank);
  const { route } = useLocation();
  const [confirmZero, setConfirmZero] = useState(false);
  const [saved, setSaved] = useState<string | undefined>();
  // Which button saved: the build reads it (零报告 fills the disputes with 0).
  const zero = useRef(false);
  const v = draft.values;
  const recent = useStorageQuery(() => listRecords('sweep'), []);
  // Newest first: the worker checks what they just saved (a voiding alone has no date: last).
  const at = (r: { state: unknown }) => Date.parse((r.state as SweepState).occurredAt ?? '') || 0;
  const sorted = [...(recent.data ?? [])].sort((a, b) => at(b) - at(a));
  const sweeps = usePaged(sorted, 30);
  // Cases registered from the sweeps on screen, by the sweep's subject id (an index read, not every case).
  const shownIds = sweeps.shown.map((r) => r.subjectId);
  const cases = useStorageQuery(() => casesFromSweeps(shownIds), [shownIds.join()]);
  const casesOf = new Map<string, CaseSummary[]>();
  for (const c of cases.data ?? []) {
    if (c.sweepId) casesOf.set(c.sweepId, [...(casesOf.get(c.sweepId) ?? []), c]);
  }

  const save = useSaveForm(draft, {
    draftKey: DRAFT_KEY,
    build: (values): Built => {
      const found: Record<string, string> = {};
      if (!values.orgUnitId) found.orgUnitId = '请选择网格';
      const typed = readHouseholds(values.households);
      const households = typed.ok ? typed.value : undefined;
      const disputes = zero.current ? 0 : parseCount(values.disputesFound);
      if (!typed.ok) found.households = typed.message;
      if (!zero.current && values.households.trim() === '') found.households = '请填写走访户数';
      if (!zero.current && values.disputesFound.trim() === '') found.disputesFound = '请填写发现纠纷数';
      if (Number.isNaN(disputes)) found.disputesFound = '发现纠纷数应为整数';
      if (!values.date) found.occurredAt = '请选择排查日期';
      const subjectId = uuidv7();
      if (zero.current) return { events: [zeroReportEvent(subjectId, values.orgUnitId, values.date, households ?? 0, values.note)], errors: found };
      const data: Record<string, unknown> = { households: households ?? 0, disputesFound: disputes ?? 0 };
      if (values.note.trim()) data.note = values.note.trim();
      if (values.location) data.location = values.location;
      return { events: [{ type: 'sweep.recorded', subjectId, orgUnitId: values.orgUnitId, occurredAt: occurredAtOf(values.date), data }], errors: found };
    },
    next: (done) => ({ ...blank(), orgUnitId: done.orgUnitId, date: done.date }),
    onSaved: () => {
      setConfirmZero(false);
      setSaved(zero.current ? ZERO_SAVED : '排查已保存');
    },
  });
  const { errors, busy } = save;
  const submit = (asZero: boolean) => {
    zero.current = asZero;
    setSaved(undefined);
    void save.submit().then(() => setConfirmZero(false));
  };
  const question = zeroReportQuestion(recent.data, v.orgUnitId, todayLocal(), v.date);
  const households = readHouseholds(v.households);

  if (!draft.ready) return <p class="muted">正在读取…</p>;
  return (
    <section>
      <form
        class="form"
        noValidate
        ref={save.formRef}
        onSubmit={(e) => {
          e.preventDefault();
          submit(false);
        }}
      >
        <SaveProblems save={save} />
        <TextField label="排查日期" type="date" value={v.date} onInput={(date) => draft.set({ date })} error={errors.occurredAt} required />
        <OrgUnitField label="网格" kinds={GRID_KINDS} value={v.orgUnitId} onChange={(orgUnitId) => draft.set({ orgUnitId })} error={errors.orgUnitId} />
        <NumberField label="走访户数" value={v.households} onInput={(households) => draft.set({ households })} error={errors.households} required />
        {/* After 走访户数, so that a zero report carries the households visited; its notice shows here, where the finger is. */}
        <div class="zero-report">
          {confirmZero ? (
            <>
              <p>
                确认本次排查
                {/* A count the field will refuse is not repeated here: 确认 says what is wrong, at the field. */}
                {households.ok && (households.value !== undefined ? `走访 ${households.value} 户，` : '（走访户数未填）')}
                未发现矛盾纠纷？
              </p>
              {question.warning && (
                <p class="note" role="alert">
                  {question.warning}
                </p>
              )}
              <button type="button" class="primary" disabled={busy} onClick={() => submit(true)}>
                {question.button}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirmZero(false)}>
                取消
              </button>
            </>
          ) : (
            <button type="button" class="secondary big" onClick={() => setConfirmZero(true)}>
              零报告
            </button>
          )}
          <Saved show={saved === ZERO_SAVED}>{saved}</Saved>
        </div>
        <NumberField
          label="发现纠纷数"
          value={v.disputesFound}
          onInput={(disputesFound) => draft.set({ disputesFound })}
          error={errors.disputesFound}
          required
        />
        <TextField label="备注" multiline value={v.note} onInput={(note) => draft.set({ note })} error={errors.note} />
        <LocationControl value={v.location} onChange={(location) => draft.set({ location })} />
        <FormError message={errors._} />
        <SaveConfirm save={save} />
        <button type="submit" class="primary" disabled={busy}>
          保存排查
        </button>
        <Saved show={saved !== undefined && saved !== ZERO_SAVED}>{saved}</Saved>
        <button type="button" class="secondary" onClick={() => route(`/cases/new${v.orgUnitId ? `?orgUnitId=${encodeURIComponent(v.orgUnitId)}` : ''}`)}>
          发现纠纷，登记案件
        </button>
      </form>
      <h2>最近排查</h2>
      <ul class="record-list">
        {sweeps.shown.map((r) => {
          const s = r.state as SweepState;
          return (
            <li key={r.subjectId} class={s.voided ? 'voided' : ''}>
              <div>
                <strong>{dateOf(s.occurredAt)}</strong> {orgUnitLabel(s.orgUnitId)}
              </div>
              <div>
                {s.zeroReport && s.households === 0 ? '未填走访户数' : `走访 ${s.households} 户`} · 发现纠纷 {s.disputesFound} 件
                {s.zeroReport && <span class="tag">零报告</span>}
                <RecordState record={r} />
                {s.voided && <span class="tag">已作废</span>}
              </div>
              {/* A sweep has no page of its own: what was written about it shows on its card. */}
              {s.note && <div class="muted">备注：{s.note}</div>}
              {s.voided && <div class="muted">作废原因：{s.voided.reason}</div>}
              {(casesOf.get(s.subjectId) ?? []).map((c) => (
                <div key={c.subjectId}>
                  <a class="text-link" href={`/cases/${c.subjectId}`}>
                    由此登记：{c.caseNumber ?? '待编号'} {c.about.slice(0, 20)}
                  </a>
                </div>
              ))}
              {!s.voided && (
                <div class="actions">
                  <a class="button secondary small" href={`/cases/new?orgUnitId=${encodeURIComponent(s.orgUnitId)}&sweepId=${s.subjectId}`}>
                    由此排查登记案件
                  </a>
                  <VoidSweep state={s} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <ShowMore remaining={sweeps.remaining} unit="条" onMore={sweeps.more} />
      {recent.data?.length === 0 && <p class="muted">还没有排查记录</p>}
    </section>
  );
}
