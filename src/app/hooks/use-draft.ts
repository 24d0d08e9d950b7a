// A form's values kept as a draft in IndexedDB while the user types: saved ~400 ms after the
// last change, and at once when the page is hidden or closed, or before an update reload, so
// a phone call, a dead battery or a new version never loses what was typed.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { onBeforeUpdateReload } from '../pwa/service-worker.ts';
import { deleteDraft, loadDraft, saveDraft } from '../storage/drafts.ts';

const DRAFT_DEBOUNCE_MS = 400;

export interface DraftControls<T> {
  values: T;
  /** False until the stored draft (if any) has been read. */
  ready: boolean;
  /** A stored draft was found and put back into the form. */
  restored: boolean;
  set(patch: Partial<T>): void;
  /** Like set, from the latest values (several changes before a re-render, e.g. autofill). */
  update(change: (current: T) => Partial<T>): void;
  replace(values: T): void;
  /** Puts values in the form without saving them as a draft (after a save, to start anew). */
  reset(values: T): void;
  /** Writes the pending change now. */
  flush(): Promise<void>;
  /** Forgets the draft (after a save that cleared it, or 放弃). */
  discard(): Promise<void>;
}

export function useDraft<T extends object>(key: string, form: string, initial: () => T): DraftControls<T> {
  const [values, setValues] = useState<T>(initial);
  const [ready, setReady] = useState(false);
  const [restored, setRestored] = useState(false);
  const latest = useRef(values);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const writing = useRef<Promise<void>>(Promise.resolve());

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    timer.current = undefined;
    if (!dirty.current) return writing.current;
    dirty.current = false;
    // Writes are chained so an older value never lands after a newer one.
    writing.current = writing.current.then(() => saveDraft(key, form, latest.current)).catch(() => undefined);
    return writing.current;
  }, [key, form]);

  useEffect(() => {
    let live = true;
    void loadDraft(key).then(
      (draft) => {
        if (!live) return;
        if (draft && draft.form === form && draft.values && typeof draft.values === 'object') {
          const merged = { ...initial(), ...(draft.values as Partial<T>) };
          latest.current = merged;
          setValues(merged);
          setRestored(true);
        }
        setReady(true);
      },
      () => live && setReady(true),
    );
    return () => {
      live = false;
    };
  }, [key]);

  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    const onPageHide = () => void flush();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onPageHide);
    const stop = onBeforeUpdateReload(flush);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
      stop();
      // Leaving the screen keeps what was typed.
      void flush();
    };
  }, [flush]);

  const schedule = (next: T) => {
    latest.current = next;
    dirty.current = true;
    setValues(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), DRAFT_DEBOUNCE_MS);
  };

  return {
    values,
    ready,
    restored,
    set: (patch) => schedule({ ...latest.current, ...patch }),
    update: (change) => schedule({ ...latest.current, ...change(latest.current) }),
    replace: schedule,
    reset: (next) => {
      clearTimeout(timer.current);
      timer.current = undefined;
      dirty.current = false;
      latest.current = next;
      setValues(next);
    },
    flush,
    discard: async () => {
      clearTimeout(timer.current);
      timer.current = undefined;
      dirty.current = false;
      await writing.current;
      await deleteDraft(key);
    },
  };
}
