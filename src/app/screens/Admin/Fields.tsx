// Small form pieces the admin screens share: every field has a visible label, hints sit
// under the field, and a Chinese error about one field shows at that field (the rest next
// to the form that caused it).
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

/** The field's hint and error, as its aria-describedby reads them. */
function describedBy(id: string, hint: unknown, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldError(props: { id: string; message: string | undefined }) {
  if (!props.message) return null;
  return (
    <small class="admin-field-error" id={`${props.id}-error`} role="alert">
      {props.message}
    </small>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  name?: string;
  type?: 'text' | 'password' | 'date';
  hint?: ComponentChildren;
  autocomplete?: string;
  placeholder?: string;
  /** What is wrong with the value, shown under the field. */
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div class={props.error ? 'admin-field is-invalid' : 'admin-field'}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        aria-describedby={describedBy(id, props.hint, props.error)}
        aria-invalid={props.error ? true : undefined}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete ?? 'off'}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <FieldError id={id} message={props.error} />
      {props.hint && (
        <small class="admin-hint" id={`${id}-hint`}>
          {props.hint}
        </small>
      )}
    </div>
  );
}

export function SelectField<T extends string>(props: {
  label: string;
  value: T | '';
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  name?: string;
  /** Shown first with an empty value, when nothing is chosen yet. */
  placeholder?: string;
  hint?: ComponentChildren;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div class={props.error ? 'admin-field is-invalid' : 'admin-field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        aria-describedby={describedBy(id, props.hint, props.error)}
        aria-invalid={props.error ? true : undefined}
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value as T)}
      >
        {props.placeholder !== undefined && (
          <option value="" disabled>
            {props.placeholder}
          </option>
        )}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={id} message={props.error} />
      {props.hint && (
        <small class="admin-hint" id={`${id}-hint`}>
          {props.hint}
        </small>
      )}
    </div>
  );
}

export function ErrorNote(props: { message: string | undefined }) {
  if (!props.message) return null;
  return (
    <p class="admin-error" role="alert">
      {props.message}
    </p>
  );
}

/** A result the admin cannot see is no result: it comes into view (the form that caused it may have been long, or gone). */
export function DoneNote(props: { message: string | undefined }) {
  const note = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (props.message) note.current?.scrollIntoView?.({ block: 'nearest' });
  }, [props.message]);
  if (!props.message) return null;
  return (
    <p ref={note} class="admin-done" role="status">
      {props.message}
    </p>
  );
}
