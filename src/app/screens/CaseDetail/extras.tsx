// The case screen's 重大矛盾纠纷, 典型案例 and 以案定补 parts: the flag with its criteria and the
// status chain 排查 → 预警 → 调处 → 化解/移交, the typical-case story, the grade; and for whoever
// records in the case's unit the forms that save case.major, case.typical and
// case.grade_proposed on the phone, offline, like every case action. Office staff read them
// here and write typical stories and grades from their desk screens (/office/typical, /office/subsidy).
import { useState } from 'preact/hooks';
import { labelOf } from '#shared/codes';
import { caseUnitOf, type CaseState } from '#shared/fold/index';
import { MAJOR_CRITERIA } from '#shared/major/codes';
import { majorStages } from '#shared/major/fold';
import { SUBSIDY_GRADES } from '#shared/subsidy/grades';
import { SelectField, TextField } from '../../components/fields.tsx';
import { occurredAtOf, todayLocal } from '../../format.ts';
import { StageChain } from '../../components/StageChain.tsx';
import { isDeskUser } from '../../components/desk-user.ts';
import { ActionForm } from '../../forms/ActionForm.tsx';
import { blankMajor, MajorFields, majorDataOf, type MajorValues } from '../../forms/major-fields.tsx';
import type { Built } from '../../hooks/use-save-form.ts';
import './extras.css';

type Extra = 'major' | 'unflag' | 'typical' | 'grade';
const EXTRA_LABELS: Record<Extra, string> = { major: '标记重大', unflag: '取消重大', typical: '典型案例', grade: '建议补助等级' };

interface FormProps {
  state: CaseState;
  onDone: (message: string) => void;
  onCancel: () => void;
}

const base = (state: CaseState, type: string) => ({
  subjectId: state.subjectId,
  orgUnitId: caseUnitOf(state),
  occurredAt: occurredAtOf(todayLocal(), currentTime()),
  type,
});

/** Now as HH:MM: a flag's time matters to the 6-hour reporting clock. */
function currentTime(): string {
  const d = new Date();
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function majorValuesOf(state: CaseState): MajorValues {
  const m = state.major;
  if (!m?.flagged) return { ...blankMajor(), flagged: true };
  return {
    flagged: true,
    criteria: [...m.criteria],
    risk: m.risk ?? '',
    measures: m.measures ?? '',
    leader: m.leader ?? '',
    responsibleUnit: m.responsibleUnit ?? '',
    transferredTo: m.transferredTo ?? '',
  };
}

function MajorForm({ state, onDone, onCancel }: FormProps) {
  const updating = state.major?.flagged === true;
  return (
    <ActionForm<MajorValues>
      draftKey={`case:${state.subjectId}:major`}
      form="case.major"
      title={updating ? '更新重大纠纷情况' : '标记为重大矛盾纠纷'}
      submitLabel={updating ? '保存重大纠纷情况' : '标记重大并保存'}
      initial={() => majorValuesOf(state)}
      build={(v): Built => {
        const { data, errors } = majorDataOf({ ...v, flagged: true });
        return { events: [{ ...base(state, 'case.major'), type: 'case.major', data }], errors };
      }}
      render={(d, errors) => <MajorFields values={{ ...d.values, flagged: true }} errors={errors} set={d.set} withToggle={false} withTransfer={updating} />}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function UnflagForm({ state, onDone, onCancel }: FormProps) {
  type V = { note: string };
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:unflag`}
      form="case.major"
      title="取消重大矛盾纠纷"
      submitLabel="确认取消重大"
      initial={() => ({ note: '' })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        if (v.note.trim() === '') errors.note = '请填写取消的原因';
        return { events: [{ ...base(state, 'case.major'), type: 'case.major', data: { flagged: false, criteria: [], note: v.note.trim() } }], errors };
      }}
      render={(d, errors) => <TextField label="取消原因" multiline value={d.values.note} onInput={(note) => d.set({ note })} error={errors.note} required />}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function TypicalForm({ state, onDone, onCancel }: FormProps) {
  type V = { typical: string; title: string; story: string };
  const t = state.typical;
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:typical`}
      form="case.typical"
      title="典型案例"
      submitLabel="保存典型案例"
      initial={() => ({ typical: t?.typical === false ? 'no' : 'yes', title: t?.title ?? '', story: t?.story ?? '' })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        const typical = v.typical === 'yes';
        if (typical && v.title.trim() === '') errors.title = '请填写典型案例标题';
        const data: Record<string, unknown> = { typical };
        if (v.title.trim()) data.title = v.title.trim();
        if (v.story.trim()) data.story = v.story.trim();
        return { events: [{ ...base(state, 'case.typical'), type: 'case.typical', data }], errors };
      }}
      render={(d, errors) => (
        <>
          <SelectField
            label="是否作为典型案例"
            value={d.values.typical}
            onChange={(typical) => d.set({ typical })}
            options={[
              { code: 'yes', label: '是，列入本年度典型案例' },
              { code: 'no', label: '否，不再列入' },
            ]}
            required
          />
          <TextField label="案例标题" value={d.values.title} onInput={(title) => d.set({ title })} error={errors.title} required={d.values.typical === 'yes'} />
          <TextField
            label="案例简介"
            multiline
            value={d.values.story}
            onInput={(story) => d.set({ story })}
            error={errors.story}
            hint="写明案情、调解经过和效果；当事人请用化名，不写电话、身份证号和门牌"
          />
        </>
      )}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function GradeForm({ state, onDone, onCancel }: FormProps) {
  type V = { grade: string; note: string };
  return (
    <ActionForm<V>
      draftKey={`case:${state.subjectId}:grade`}
      form="case.grade_proposed"
      title="建议补助等级"
      submitLabel="保存建议等级"
      initial={() => ({ grade: state.grade?.proposed?.grade ?? '', note: '' })}
      build={(v): Built => {
        const errors: Record<string, string> = {};
        if (!v.grade) errors.grade = '请选择补助等级';
        const data: Record<string, unknown> = { grade: v.grade };
        if (v.note.trim()) data.note = v.note.trim();
        return { events: [{ ...base(state, 'case.grade_proposed'), type: 'case.grade_proposed', data }], errors };
      }}
      render={(d, errors) => (
        <>
          <SelectField
            label="补助等级"
            value={d.values.grade}
            onChange={(grade) => d.set({ grade })}
            options={SUBSIDY_GRADES}
            placeholder="请选择"
            error={errors.grade}
            required
          />
          <TextField label="理由" value={d.values.note} onInput={(note) => d.set({ note })} error={errors.note} hint="如调解次数多、涉及人数多" />
          <p class="note">等级由镇里核定；核定前按此建议列入以案定补台账。</p>
        </>
      )}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

export function CaseExtras(props: { state: CaseState; mayRecord: boolean; onMessage: (message: string | undefined) => void }) {
  const { state, mayRecord } = props;
  const [open, setOpen] = useState<Extra | undefined>();
  const m = state.major;
  const t = state.typical;
  const g = state.grade;
  const extras: Extra[] = !mayRecord || state.status === 'voided' ? [] : m?.flagged ? ['major', 'unflag', 'typical', 'grade'] : ['major', 'typical', 'grade'];
  const done = (message: string) => {
    setOpen(undefined);
    props.onMessage(message);
    window.scrollTo(0, 0);
  };
  return (
    <section class="case-extras">
      {m?.flagged && (
        <div class="major-box" role="status">
          <p>
            <strong class="tag error">重大矛盾纠纷</strong> {m.criteria.map((c) => labelOf(MAJOR_CRITERIA, c)).join('、')}
          </p>
          <StageChain steps={majorStages(state)} />
          {m.risk && <p class="pre">风险研判：{m.risk}</p>}
          {m.measures && <p class="pre">已采取的措施：{m.measures}</p>}
          {(m.leader || m.responsibleUnit) && (
            <p>
              责任领导：{m.leader ?? '—'}　责任单位：{m.responsibleUnit ?? '—'}
            </p>
          )}
          {m.transferredTo && <p>已移交：{m.transferredTo}</p>}
        </div>
      )}
      {t?.typical && (
        <div class="typical-box">
          <p>
            <strong class="tag">典型案例</strong> {t.title}
          </p>
          {t.story && <p class="pre">{t.story}</p>}
        </div>
      )}
      {g && (
        <p class="muted">
          以案定补等级：{g.set ? `${labelOf(SUBSIDY_GRADES, g.set.grade)}（镇里核定）` : `${labelOf(SUBSIDY_GRADES, g.proposed?.grade)}（调解员建议，待核定）`}
        </p>
      )}
      {extras.length > 0 && (
        <div class="actions" role="group" aria-label="重大、典型与补助">
          {extras.map((x) => (
            <button
              key={x}
              type="button"
              class={open === x ? 'primary' : 'secondary'}
              aria-expanded={open === x}
              onClick={() => {
                props.onMessage(undefined);
                setOpen(open === x ? undefined : x);
              }}
            >
              {x === 'major' && m?.flagged ? '更新重大情况' : EXTRA_LABELS[x]}
            </button>
          ))}
        </div>
      )}
      {!mayRecord && isDeskUser() && state.status !== 'voided' && (
        <div class="actions">
          <a class="button secondary" href={`/office/typical?case=${state.subjectId}`}>
            {t?.typical ? '编辑典型案例' : '编写典型案例'}
          </a>
          {m?.flagged && (
            <a class="button secondary" href={`/office/alerts/${state.subjectId}/print`}>
              打印快报
            </a>
          )}
        </div>
      )}
      {open === 'major' && <MajorForm key="major" state={state} onDone={done} onCancel={() => setOpen(undefined)} />}
      {open === 'unflag' && <UnflagForm key="unflag" state={state} onDone={done} onCancel={() => setOpen(undefined)} />}
      {open === 'typical' && <TypicalForm key="typical" state={state} onDone={done} onCancel={() => setOpen(undefined)} />}
      {open === 'grade' && <GradeForm key="grade" state={state} onDone={done} onCancel={() => setOpen(undefined)} />}
    </section>
  );
}
