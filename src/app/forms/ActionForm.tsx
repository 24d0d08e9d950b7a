// One action on a case (调解记录, 结案, 履行, 回访, 更正, 作废, 重新调解) as a small form with
// its own draft; it saves the events its `build` returns and reports "已保存" after commit.
import type { ComponentChildren } from 'preact';
import { ConfirmWipe, FormError, SaveConfirm, SaveProblems } from '../components/fields.tsx';
import { useDraft, type DraftControls } from '../hooks/use-draft.ts';
import { useSaveForm, type Built } from '../hooks/use-save-form.ts';

/**
 * Errors as the fields are keyed: a correction saved with the action (结案's 当事人 with ID
 * numbers, 更正's fields) has its problems under "changes.", which no field is named after.
 */
function fieldErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(errors)) out[k.replace(/^changes\./, '')] ??= m;
  return out;
}

export function ActionForm<T extends object>(props: {
  draftKey: string;
  form: string;
  title: string;
  submitLabel: string;
  initial: () => T;
  build: (values: T) => Built;
  render: (draft: DraftControls<T>, errors: Record<string, string>) => ComponentChildren;
  onDone: (message: string) => void;
  onCancel: () => void;
  /** 受理日期 of the case: the shared plausibility rules ask about an action dated before it. */
  acceptedOn?: string | undefined;
}) {
  const draft = useDraft<T>(props.draftKey, props.form, props.initial);
  const save = useSaveForm(draft, {
    draftKey: props.draftKey,
    build: props.build,
    next: props.initial,
    onSaved: () => props.onDone(`${props.title}已保存`),
    acceptedOn: props.acceptedOn,
  });
  const { errors, busy, submit } = save;

  if (!draft.ready) return <p class="muted">正在读取…</p>;
  return (
    <form
      class="form action-form"
      noValidate
      aria-label={props.title}
      ref={save.formRef}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{props.title}</h3>
      <SaveProblems save={save} />
      {draft.restored && <p class="note">已恢复上次未保存的内容</p>}
      {props.render(draft, fieldErrors(errors))}
      <FormError message={errors._} />
      <SaveConfirm save={save} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {props.submitLabel}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          收起
        </button>
      </div>
      <ConfirmWipe
        label="放弃"
        question={`放弃后，这次填写的${props.title}内容将被清除，不能恢复。`}
        onConfirm={() => {
          void draft.discard().then(props.onCancel);
        }}
      />
    </form>
  );
}
