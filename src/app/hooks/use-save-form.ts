// Saving a capture form (登记案件, 普法活动, 排查, a case or outreach action): the form's own checks,
// the shared schema's and the shared plausibility rules shown together, the draft flushed, the
// events written through storage with the draft cleared in the same transaction, and only after
// that commit the form starts anew and the caller says "已保存" (a flash and a jump, or closing
// the action). A save that fails scrolls to and focuses the first invalid field and lists every
// problem at the top of the form; an odd but possible record is saved only after 仍然保存.
// The schemas, rules and the write are a lazy chunk (save-step.ts), fetched once the form is
// on screen: they are not on the path to the first capture form (its weight is budgeted).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { DomainEvent } from '#shared/events';
import type { Finding } from '#shared/plausibility';
import type { BlobRecord } from '../storage/db.ts';
import type { NewEvent } from '../storage/records.ts';
import { errorsByField } from '../format.ts';
import type { DraftControls } from './use-draft.ts';
import type * as SaveStep from './save-step.ts';
import { afterFirstScreen } from '../first-screen.ts';

let saveStep: Promise<typeof SaveStep> | undefined;
/** The save step's module, fetched once; a failed fetch is tried again by the next call. */
function loadSaveStep(): Promise<typeof SaveStep> {
  saveStep ??= import('./save-step.ts').catch((e: unknown) => {
    saveStep = undefined;
    throw e;
  });
  return saveStep;
}

/** What a form's values come to: the events to save, and the problems the form found itself. */
export interface Built {
  events: NewEvent[];
  /** Keyed by field path ("parties.0.name"), `_` for the form; any entry stops the save. */
  errors: Record<string, string>;
  /** Photos saved with the events in the same transaction. */
  blobs?: BlobRecord[];
}

interface SaveFormOptions<T> {
  /** The draft's key: the save clears it in its own transaction. */
  draftKey: string;
  build: (values: T) => Built;
  /** The values the form shows after a save (from the ones just saved: e.g. the same grid). */
  next: (saved: T) => T;
  /** Runs after the commit with the saved events (stamped: id, deviceSeq…). */
  onSaved: (events: DomainEvent[]) => void;
  /** 受理日期 of the case an action is about: a session before it is asked about. */
  acceptedOn?: string | undefined;
}

/** One line of the list at the top of a form that did not save: a link to the field when it has one. */
export interface ProblemItem {
  fieldId?: string;
  label: string;
  message: string;
}

export interface SaveForm {
  /** Field errors to show, `_` for one about the whole form. */
  errors: Record<string, string>;
  setErrors: (errors: Record<string, string> | ((current: Record<string, string>) => Record<string, string>)) => void;
  /** A save is under way: the submit button is disabled. */
  busy: boolean;
  /** Validates and saves the draft's current values; resolves after the commit or the errors. */
  submit: () => Promise<void>;
  /** Put on the <form>: its invalid fields are found, listed and focused there. */
  formRef: RefObject<HTMLFormElement>;
  /** The problems of the last failed save, in the order of the fields. */
  problems: ProblemItem[];
  /** Odd findings waiting for 仍然保存 (confirm) or 返回修改 (cancel). */
  confirming: Finding[] | undefined;
  confirm: () => Promise<void>;
  cancelConfirm: () => void;
}

/** Errors keyed like the forms' fields: "data.performanceDeadline" → "performanceDeadline". */
function keyOf(path: string): string {
  return path.replace(/^data\.?/, '') || '_';
}

/** Every problem a save would stop at (the form's own, the schema's, the refusing rules) and the findings to confirm. */
function checkedWith(step: typeof SaveStep, built: Built, acceptedOn: string | undefined): { errors: Record<string, string>; findings: Finding[] } {
  const findings = step.findingsOf(built.events, acceptedOn);
  const refused: Record<string, string> = {};
  for (const f of findings) if (f.severity === 'refuse') refused[keyOf(f.path)] ??= f.message;
  const stopped = Object.keys(built.errors).length > 0 || Object.keys(refused).length > 0;
  return { errors: stopped ? { ...refused, ...step.allErrors(built.events, built.errors) } : {}, findings };
}

const sameErrors = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, m]) => b[k] === m);

/** The text of the visible label of a form control or group. */
function labelOf(form: HTMLFormElement, el: Element): string {
  const own = el.id ? form.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
  const legend = el.tagName === 'FIELDSET' ? el.querySelector('legend') : null;
  return ((own ?? legend)?.querySelector('.field-label') ?? own ?? legend)?.textContent?.replace(/\s*\*$/, '').trim() ?? '';
}

/** What the form shows as invalid, in document order, and the errors no field shows. */
function collectProblems(form: HTMLFormElement, errors: Record<string, string>): ProblemItem[] {
  const items: ProblemItem[] = [];
  const shown = new Set<string>();
  for (const el of Array.from(form.querySelectorAll('[aria-invalid="true"]'))) {
    const describedBy = el.getAttribute('aria-describedby');
    const message = (describedBy ? form.querySelector(`#${CSS.escape(describedBy)}`)?.textContent : '') ?? '';
    shown.add(message);
    items.push({ fieldId: el.id, label: labelOf(form, el), message });
  }
  // An error of a key no field renders must still be said, not just block the save.
  for (const [key, message] of Object.entries(errors)) if (key !== '_' && !shown.has(message)) items.push({ label: '', message });
  return items;
}

/** Scrolls to and focuses a field (a group: its first control). */
export function focusField(form: HTMLFormElement, fieldId: string): void {
  const el = form.querySelector(`#${CSS.escape(fieldId)}`);
  if (!el) return;
  const target = el.tagName === 'FIELDSET' ? el.querySelector<HTMLElement>('input, select, textarea, button') : (el as HTMLElement);
  el.scrollIntoView({ block: 'center' });
  target?.focus({ preventScroll: true });
}

export function useSaveForm<T extends object>(draft: DraftControls<T>, opts: SaveFormOptions<T>): SaveForm {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  const [confirming, setConfirming] = useState<Finding[] | undefined>();
  // Bumped by each failed save: the effect after that render focuses the first invalid field.
  const [failedSaves, setFailedSaves] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  // Fetched once the first screen is shown (this form, on a start at it): a tap on 保存 then
  // finds it loaded, and it never competes with the form's own first render.
  useEffect(() => {
    afterFirstScreen()
      .then(loadSaveStep)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    setProblems(Object.keys(errors).length > 0 ? collectProblems(form, errors) : []);
  }, [errors]);
  useEffect(() => {
    const form = formRef.current;
    const first = form?.querySelector('[aria-invalid="true"]');
    if (failedSaves === 0 || !form) return undefined;
    if (first?.id) {
      focusField(form, first.id);
      return undefined;
    }
    // No field to focus (an error no field shows): the list at the top, once it has rendered.
    const timer = setTimeout(() => form.querySelector<HTMLElement>('.error-summary, .form-error')?.focus(), 0);
    return () => clearTimeout(timer);
  }, [failedSaves]);

  // After a failed save the messages follow the values until the record is saved: a field put
  // right loses its message as it is typed, not at the next 保存 (a 20 under 请填写走访户数 reads
  // as the app refusing 20), and one made wrong again says so at once.
  useEffect(() => {
    if (failedSaves === 0) return undefined;
    let live = true;
    loadSaveStep()
      .then((step) => {
        if (!live) return;
        const { errors: now } = checkedWith(step, opts.build(draft.values), opts.acceptedOn);
        setErrors((shown) => (sameErrors(shown, now) ? shown : now));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // The values are what the messages follow; the options and the count are read as they are then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft.values]);

  const fail = (found: Record<string, string>) => {
    setErrors(found);
    setFailedSaves((n) => n + 1);
  };

  // One save at a time: a second tap while the first is under way (before `busy` has rendered,
  // or while the save step is still being fetched) must not write the record twice.
  const saving = useRef(false);
  const save = async (confirmed: boolean) => {
    if (saving.current) return;
    saving.current = true;
    try {
      await saveOnce(confirmed);
    } finally {
      saving.current = false;
    }
  };

  const saveOnce = async (confirmed: boolean) => {
    setConfirming(undefined);
    const values = draft.values;
    const built = opts.build(values);
    let step: typeof SaveStep;
    try {
      step = await loadSaveStep();
    } catch {
      fail({ _: '保存失败，请重试' });
      return;
    }
    const { InvalidEventError, recordEvents } = step;
    const { errors: found, findings } = checkedWith(step, built, opts.acceptedOn);
    if (Object.keys(found).length > 0) {
      fail(found);
      return;
    }
    const odd = findings.filter((f) => f.severity === 'confirm');
    if (odd.length > 0 && !confirmed) {
      setErrors({});
      setConfirming(odd);
      return;
    }
    setBusy(true);
    try {
      // What was typed is in the draft before the save, so a failed save loses nothing.
      await draft.flush();
      const saved = await recordEvents(built.events, { clearDraft: opts.draftKey, ...(built.blobs ? { blobs: built.blobs } : {}) });
      setErrors({});
      setFailedSaves(0);
      draft.reset(opts.next(values));
      opts.onSaved(saved);
    } catch (e) {
      fail(e instanceof InvalidEventError ? errorsByField(e.issues) : { _: '保存失败，请重试' });
    } finally {
      setBusy(false);
    }
  };

  return {
    errors,
    setErrors,
    busy,
    submit: () => save(false),
    formRef,
    problems,
    confirming,
    confirm: () => save(true),
    cancelConfirm: () => setConfirming(undefined),
  };
}
