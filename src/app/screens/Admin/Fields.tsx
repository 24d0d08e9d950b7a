// Small form pieces the admin screens share: every field has a visible label, hints sit
// under the field, and the server's Chinese error shows next to the form that caused it.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export function TextField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  name?: string;
  type?: 'text' | 'password' | 'date';
  hint?: ComponentChildren;
  autocomplete?: string;
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div class="admin-field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete ?? 'off'}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
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
}) {
  const id = useId();
  return (
    <div class="admin-field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
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

export function DoneNote(props: { message: string | undefined }) {
  if (!props.message) return null;
  return (
    <p class="admin-done" role="status">
      {props.message}
    </p>
  );
}
