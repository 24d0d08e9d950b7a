// Form fields with a visible <label> each and the Chinese error right under the field (tied
// to it by aria-describedby, so a screen reader reads it too). Values are kept as strings
// while the user types; forms convert them when saving.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { Code } from '#shared/codes';

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
      {props.required && <span class="required" aria-hidden="true"> *</span>}
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
      {props.multiline ? (
        <textarea {...common} rows={4} />
      ) : (
        <input {...common} type={props.type ?? 'text'} inputMode={props.inputMode} />
      )}
      <Message id={msg} error={props.error} hint={props.hint} />
    </div>
  );
}

/** A count or an amount, typed as text so a half-typed value is never lost. */
export function NumberField(props: BaseProps & { value: string; onInput: (value: string) => void; decimal?: boolean }) {
  return <TextField {...props} type="text" inputMode={props.decimal ? 'decimal' : 'numeric'} />;
}

export function SelectField(
  props: BaseProps & { value: string; onChange: (value: string) => void; options: readonly Code[]; placeholder?: string },
) {
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

export function CheckboxGroup(
  props: BaseProps & { values: readonly string[]; onChange: (values: string[]) => void; options: readonly Code[] },
) {
  const id = useId();
  const toggle = (code: string, on: boolean) => {
    const next = props.values.filter((v) => v !== code);
    if (on) next.push(code);
    props.onChange(props.options.map((o) => o.code).filter((c) => next.includes(c)));
  };
  return (
    <fieldset class={`field choices${props.error ? ' has-error' : ''}`} aria-describedby={props.error ? `${id}-msg` : undefined}>
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
    <p class="form-error" role="alert">
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
