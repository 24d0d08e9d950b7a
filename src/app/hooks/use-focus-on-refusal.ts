// After a refused attempt, the cursor goes to the first field the refusal is about: shared by
// the forms whose errors show at their fields (the admin's account and unit forms, 机关台账).
import type { RefObject } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

/**
 * Brings the form's first field with an error into view with the cursor in it and its text
 * selected (typing replaces what was refused, an arrow key keeps it to edit); a form with only
 * a message of its own brings that into view.
 */
function focusFirstInvalid(form: HTMLElement | null): void {
  const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!first) {
    form?.querySelector('.admin-error, .form-error')?.scrollIntoView?.({ block: 'nearest' });
    return;
  }
  first.scrollIntoView?.({ block: 'center' });
  first.focus({ preventScroll: true });
  if (first instanceof HTMLInputElement && first.value) first.select();
}

/**
 * For a form whose errors show at their fields: the call to make after each refused attempt
 * (the form's own check or the server's), once its errors are set. After that render the first
 * field with an error gets the cursor, so that a refusal is never off-screen (the account form is
 * longer than a laptop's screen) and its message, tied to the field, is read out with it.
 */
export function useFocusOnRefusal(form: RefObject<HTMLElement>): () => void {
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) focusFirstInvalid(form.current);
  }, [refusals, form]);
  return useCallback(() => setRefusals((n) => n + 1), []);
}
