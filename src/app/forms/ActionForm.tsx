// One action on a case (调解记录, 结案, 履行, 回访, 更正, 作废, 重新调解) as a small form with
// its own draft; it saves the events its `build` returns and reports "已保存" after commit.
import type { ComponentChildren } from 'preact';
import { FormError } from '../components/fields.tsx';
import { useDraft, type DraftControls } from '../hooks/use-draft.ts';
import { useSaveForm, type Built } from '../hooks/use-save-form.ts';

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
}) {
  const draft = useDraft<T>(props.draftKey, props.form, props.initial);
  const { errors, busy, submit } = useSaveForm(draft, {
    draftKey: props.draftKey,
    build: props.build,
    next: props.initial,
    onSaved: () => props.onDone(`${props.title}已保存`),
  });

  if (!draft.ready) return <p class="muted">正在读取…</p>;
  return (
    <form
      class="form action-form"
      noValidate
      aria-label={props.title}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{props.title}</h3>
      {draft.restored && <p class="note">已恢复上次未保存的内容</p>}
      {props.render(draft, errors)}
      {Object.keys(errors).length > 0 && <FormError message={errors._ ?? '请按提示修改后再保存'} />}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {props.submitLabel}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          收起
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            void draft.discard().then(props.onCancel);
          }}
        >
          放弃
        </button>
      </div>
    </form>
  );
}
