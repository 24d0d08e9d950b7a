// 登记案件 (case.opened): the registration, autosaved as a draft while typing; "已保存" and the
// jump to the case only after the save has committed. ?orgUnitId= pre-fills the grid (from 排查).
// A case flagged 重大 at registration is saved with its case.major in the same transaction.
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { uuidv7 } from '#shared/uuid';
import { ConfirmWipe, FormError, SaveConfirm, SaveProblems } from '../../components/fields.tsx';
import { setFlash } from '../../components/flash.ts';
import { defaultOrgUnit } from '../../components/OrgUnitField.tsx';
import { useDraft } from '../../hooks/use-draft.ts';
import { useSaveForm, type Built } from '../../hooks/use-save-form.ts';
import { firstScreenShown } from '../../first-screen.ts';
import { occurredAtOf, todayLocal } from '../../format.ts';
import { blankCase, CaseFields, caseDataOf, type CaseValues } from '../../forms/case-fields.tsx';
import { blankMajor, MajorFields, majorDataOf, type MajorValues } from '../../forms/major-fields.tsx';

const CASE_DRAFT_KEY = 'case:new';

type RegistrationValues = CaseValues & { major?: MajorValues };

export function CaseForm() {
  const { query, route } = useLocation();
  const sweepId = /^[0-9a-f-]{36}$/.test(query.sweepId ?? '') ? query.sweepId : undefined;
  const blank = (orgUnitId: string): RegistrationValues => ({ ...blankCase(orgUnitId, todayLocal()), major: blankMajor() });
  const draft = useDraft<RegistrationValues>(CASE_DRAFT_KEY, 'case', () => blank(query.orgUnitId ?? defaultOrgUnit()));
  // A draft kept before the 重大 part existed has none.
  const major = draft.values.major ?? blankMajor();
  const save = useSaveForm(draft, {
    draftKey: CASE_DRAFT_KEY,
    build: (values) => {
      const { data, errors: found } = caseDataOf(values);
      // From a sweep's 由此排查登记案件: the case names the sweep it was found in.
      if (sweepId) data.sweepId = sweepId;
      const subjectId = uuidv7();
      const occurredAt = occurredAtOf(values.date);
      const events: Built['events'] = [{ type: 'case.opened', subjectId, orgUnitId: values.orgUnitId, occurredAt, data }];
      const flagged = majorDataOf(values.major ?? blankMajor());
      if (values.major?.flagged) events.push({ type: 'case.major', subjectId, orgUnitId: values.orgUnitId, occurredAt, data: flagged.data });
      return { events, errors: { ...found, ...flagged.errors } };
    },
    next: (saved) => blank(saved.orgUnitId),
    onSaved: ([opened]) => {
      setFlash('已保存');
      route(`/cases/${opened?.subjectId ?? ''}`);
    },
  });
  const { errors, setErrors, busy, submit } = save;
  // Coming from 排查's 发现纠纷: the grid of the sweep wins over a draft's older choice.
  const fromSweep = query.orgUnitId;
  useEffect(() => {
    if (draft.ready && fromSweep && draft.values.orgUnitId !== fromSweep) draft.set({ orgUnitId: fromSweep });
    // Only when the draft is read or the sweep changes: the user may pick another grid afterwards.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft.ready, fromSweep]);

  useEffect(() => {
    if (draft.ready) firstScreenShown();
  }, [draft.ready]);

  if (!draft.ready) return <p class="muted">正在读取…</p>;
  return (
    <form
      class="form"
      noValidate
      ref={save.formRef}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <SaveProblems save={save} />
      {draft.restored && <p class="note">已恢复上次未保存的内容</p>}
      {sweepId && <p class="note">由排查登记：保存后案件与该次排查关联</p>}
      <CaseFields values={draft.values} errors={errors} set={draft.set} update={draft.update} />
      <MajorFields
        values={major}
        errors={errors}
        set={(patch: Partial<MajorValues>) => draft.update((c) => ({ major: { ...(c.major ?? blankMajor()), ...patch } }))}
      />
      <FormError message={errors._} />
      <SaveConfirm save={save} />
      <button type="submit" class="primary" disabled={busy}>
        保存登记
      </button>
      <ConfirmWipe
        label="清空重填"
        question="清空后，已填写的登记内容将被清除，不能恢复。"
        onConfirm={() => {
          void draft.discard().then(() => draft.reset(blank(defaultOrgUnit())));
          setErrors({});
        }}
      />
    </form>
  );
}
