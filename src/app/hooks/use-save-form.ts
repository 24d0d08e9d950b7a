// Saving a capture form (登记案件, 普法活动, a case or outreach action): the form's own checks and
// the shared schema's shown together, the draft flushed, the events written through storage
// with the draft cleared in the same transaction, and only after that commit the form starts
// anew and the caller says "已保存" (a flash and a jump, or closing the action).
import { useState } from 'preact/hooks';
import type { DomainEvent } from '#shared/events';
import { InvalidEventError, recordEvents, type BlobRecord, type NewEvent } from '../storage/index.ts';
import { allErrors, errorsByField } from '../format.ts';
import type { DraftControls } from './use-draft.ts';

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
}

export interface SaveForm {
  /** Field errors to show, `_` for one about the whole form. */
  errors: Record<string, string>;
  setErrors: (errors: Record<string, string> | ((current: Record<string, string>) => Record<string, string>)) => void;
  /** A save is under way: the submit button is disabled. */
  busy: boolean;
  /** Validates and saves the draft's current values; resolves after the commit or the errors. */
  submit: () => Promise<void>;
}

export function useSaveForm<T extends object>(draft: DraftControls<T>, opts: SaveFormOptions<T>): SaveForm {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const values = draft.values;
    const built = opts.build(values);
    if (Object.keys(built.errors).length > 0) {
      setErrors(allErrors(built.events, built.errors));
      return;
    }
    setBusy(true);
    try {
      // What was typed is in the draft before the save, so a failed save loses nothing.
      await draft.flush();
      const saved = await recordEvents(built.events, { clearDraft: opts.draftKey, ...(built.blobs ? { blobs: built.blobs } : {}) });
      draft.reset(opts.next(values));
      opts.onSaved(saved);
    } catch (e) {
      setErrors(e instanceof InvalidEventError ? errorsByField(e.issues) : { _: '保存失败，请重试' });
    } finally {
      setBusy(false);
    }
  };

  return { errors, setErrors, busy, submit };
}
