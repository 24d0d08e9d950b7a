// Form fields with a visible <label> each and the Chinese error right under the field (tied
// to it by aria-describedby, so a screen reader reads it too). Values are kept as strings
// while the user types; forms convert them when saving.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Code } from '#shared/codes';
import type { Finding } from '#shared/plausibility';
import { focusField, type ProblemItem, type SaveForm } from '../hooks/use-save-form.ts';

interface BaseProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
}

function Message(props: { id: string; error?: string | undefined; hint?: string | undefined }) {
  if (props.error) {
    return (
      <p class="field-error" id={props.id} role="alert">
        {props.error}
      </p>
    );
  }
  return props.hint ? (
    <p class="field-hint" id={props.id}>
      {props.hint}
    </p>
  ) : null;
}

function LabelText(props: { label: string; required?: boolean | undefined }) {
  return (
    <span class="field-label">
      {props.label}
      {props.required && (
        <span class="required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </span>
  );
}

export function TextField(
  props: BaseProps & {
    value: string;
    onInput: (value: string) => void;
    type?: 'text' | 'tel' | 'date' | 'time' | 'number' | 'search';
    inputMode?: 'numeric' | 'decimal' | 'tel' | 'text';
    multiline?: boolean;
    placeholder?: string;
    maxLength?: number;
  },
) {
  const id = useId();
  const msg = `${id}-msg`;
  const common = {
    id,
    value: props.value,
    placeholder: props.placeholder,
    maxLength: props.maxLength,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': props.error || props.hint ? msg : undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
  };
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <label for={id}>
        <LabelText label={props.label} required={props.required} />
      </label>
      {props.multiline ? <textarea {...common} rows={4} /> : <input {...common} type={props.type ?? 'text'} inputMode={props.inputMode} />}
      <Message id={msg} error={props.error} hint={props.hint} />
    </div>
  );
}

/** A count or an amount, typed as text so a half-typed value is never lost. */
export function NumberField(props: BaseProps & { value: string; onInput: (value: string) => void; decimal?: boolean }) {
  return <TextField {...props} type="text" inputMode={props.decimal ? 'decimal' : 'numeric'} />;
}

export function SelectField(props: BaseProps & { value: string; onChange: (value: string) => void; options: readonly Code[]; placeholder?: string }) {
  const id = useId();
  const msg = `${id}-msg`;
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <label for={id}>
        <LabelText label={props.label} required={props.required} />
      </label>
      <select
        id={id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error || props.hint ? msg : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
          </option>
        ))}
      </select>
      <Message id={msg} error={props.error} hint={props.hint} />
    </div>
  );
}

export function CheckboxGroup(props: BaseProps & { values: readonly string[]; onChange: (values: string[]) => void; options: readonly Code[] }) {
  const id = useId();
  const toggle = (code: string, on: boolean) => {
    const next = props.values.filter((v) => v !== code);
    if (on) next.push(code);
    props.onChange(props.options.map((o) => o.code).filter((c) => next.includes(c)));
  };
  return (
    <fieldset
      id={id}
      class={`field choices${props.error ? ' has-error' : ''}`}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error ? `${id}-msg` : undefined}
    >
      <legend>
        <LabelText label={props.label} required={props.required} />
      </legend>
      <div class="choice-grid">
        {props.options.map((o) => (
          <label key={o.code} class="choice">
            <input type="checkbox" checked={props.values.includes(o.code)} onChange={(e) => toggle(o.code, (e.currentTarget as HTMLInputElement).checked)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <Message id={`${id}-msg`} error={props.error} />
    </fieldset>
  );
}

export function FormError(props: { message?: string | undefined }) {
  return props.message ? (
    <p class="form-error" role="alert" tabIndex={-1}>
      {props.message}
    </p>
  ) : null;
}

export function Saved(props: { show: boolean; children?: ComponentChildren }) {
  return props.show ? (
    <p class="saved" role="status">
      {props.children ?? '已保存'}
    </p>
  ) : null;
}

/**
 * At the top of a form whose save failed: each problem, a link that scrolls to and focuses its
 * field (the save has already focused the first one), so nothing that blocks is off-screen.
 */
function ErrorSummary(props: { items: readonly ProblemItem[]; form: { current: HTMLFormElement | null } }) {
  if (props.items.length === 0) return null;
  return (
    <div class="error-summary" tabIndex={-1} role="group" aria-label="需要修改的内容">
      <p class="error-summary-title">还有 {props.items.length} 处需要修改后才能保存：</p>
      <ul>
        {props.items.map((item, i) => (
          <li key={i}>
            {item.fieldId ? (
              <a
                href={`#${item.fieldId}`}
                onClick={(e) => {
                  e.preventDefault();
                  if (props.form.current && item.fieldId) focusField(props.form.current, item.fieldId);
                }}
              >
                {item.label ? `${item.label}：` : ''}
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What is odd about a record that can still be true: the user saves it anyway or goes back. */
function ConfirmFindings(props: { findings: readonly Finding[] | undefined; busy?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.findings) {
      ref.current?.scrollIntoView({ block: 'center' });
      ref.current?.focus({ preventScroll: true });
    }
  }, [props.findings]);
  if (!props.findings) return null;
  return (
    <div class="confirm-box" role="alertdialog" aria-label="请确认" tabIndex={-1} ref={ref}>
      <ul class="plain">
        {props.findings.map((f, i) => (
          <li key={i}>{f.message}</li>
        ))}
      </ul>
      <div class="row">
        <button type="button" class="primary" disabled={props.busy} onClick={props.onConfirm}>
          仍然保存
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          返回修改
        </button>
      </div>
    </div>
  );
}

/** Both of the above for a form saved through useSaveForm. */
export function SaveProblems(props: { save: SaveForm }) {
  return <ErrorSummary items={props.save.problems} form={props.save.formRef} />;
}

export function SaveConfirm(props: { save: SaveForm }) {
  const s = props.save;
  return <ConfirmFindings findings={s.confirming} busy={s.busy} onConfirm={() => void s.confirm()} onCancel={s.cancelConfirm} />;
}

/**
 * A button that wipes typed work (清空重填, 放弃): the first tap asks, the second wipes; 取消
 * or anything else keeps the work.
 */
export function ConfirmWipe(props: { label: string; question: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div class="confirm-box" role="alertdialog" aria-label={props.question}>
      <p>{props.question}</p>
      <div class="row">
        <button
          type="button"
          class="danger"
          onClick={() => {
            setAsking(false);
            props.onConfirm();
          }}
        >
          确认{props.label}
        </button>
        <button type="button" class="secondary" onClick={() => setAsking(false)}>
          取消
        </button>
      </div>
    </div>
  );
}
