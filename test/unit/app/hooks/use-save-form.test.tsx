// @vitest-environment happy-dom
// The save step every capture form shares (useSaveForm), on a small sweep form over
// fake-indexeddb: what the form and the schema find is shown together and nothing is written;
// a good save commits the event and clears the draft before the caller hears of it, and the
// form starts anew from the saved values; a storage failure says so and keeps the typing.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, test } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { nowIsoWithOffset } from '#shared/time';
import { useDraft } from '../../../../src/app/hooks/use-draft.ts';
import { useSaveForm, type SaveForm } from '../../../../src/app/hooks/use-save-form.ts';
import { closeDb, countOutbox, loadDraft, pendingOutbox } from '../../../../src/app/storage/index.ts';
import { useScreenHost, waitUntil } from '../screens/support/screen.ts';

let host: HTMLElement;
useScreenHost((h) => (host = h));

const SUBJECT = '0193a000-0000-7000-8000-000000000001';
const KEY = 'test:sweep';

interface Values {
  households: string;
  orgUnitId: string;
}

interface Seen {
  form?: SaveForm;
  values?: Values;
  saved: { events: DomainEvent[]; outboxAtThatTime: Promise<number>; draftAtThatTime: Promise<unknown> }[];
}

function mount(initial: Values): Seen {
  const seen: Seen = { saved: [] };
  function SweepForm() {
    const draft = useDraft<Values>(KEY, 'sweep', () => initial);
    const form = useSaveForm(draft, {
      draftKey: KEY,
      build: (v) => {
        const errors: Record<string, string> = {};
        if (v.orgUnitId === '') errors.orgUnitId = '请选择网格';
        const households = Number(v.households);
        return {
          events: [
            {
              type: 'sweep.recorded',
              subjectId: SUBJECT,
              orgUnitId: v.orgUnitId,
              // Today: a sweep dated months back is asked about first (#shared/plausibility).
              occurredAt: nowIsoWithOffset(),
              data: { households, disputesFound: 0 },
            },
          ],
          errors,
        };
      },
      next: (saved) => ({ households: '', orgUnitId: saved.orgUnitId }),
      onSaved: (events) => {
        // Read storage at the moment the caller is told: the commit must be there already.
        seen.saved.push({ events, outboxAtThatTime: countOutbox().then((c) => c.pending), draftAtThatTime: loadDraft(KEY) });
      },
    });
    seen.form = form;
    seen.values = draft.values;
    if (!draft.ready) return null;
    return (
      <div>
        <button type="button" disabled={form.busy} onClick={() => void form.submit()}>
          保存
        </button>
        <p>
          {Object.entries(form.errors)
            .map(([k, m]) => `${k}=${m}`)
            .join(';')}
        </p>
      </div>
    );
  }
  render(<SweepForm />, host);
  return seen;
}

const ready = () => waitUntil(() => host.querySelector('button') !== null, 'the form');
const shown = () => host.querySelector('p')?.textContent ?? '';

describe('useSaveForm', () => {
  test('the form’s own problem and the schema’s come together; nothing is written and onSaved is not called', async () => {
    const seen = mount({ households: '-3', orgUnitId: '' });
    await ready();
    await act(() => seen.form!.submit());
    expect(shown()).toContain('orgUnitId=请选择网格');
    expect(shown()).toMatch(/households=\S+/);
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });
    expect(seen.saved).toEqual([]);
  });

  test('a problem only the schema sees stops the save at the field, the values stay', async () => {
    const seen = mount({ households: '1.5', orgUnitId: 'grid-1' });
    await ready();
    await act(() => seen.form!.submit());
    expect(shown()).toMatch(/^households=\S+$/);
    expect(seen.values).toEqual({ households: '1.5', orgUnitId: 'grid-1' });
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });
    expect(seen.saved).toEqual([]);
  });

  test('a good save: committed with the draft cleared before onSaved runs, then the form starts anew from the saved values', async () => {
    const seen = mount({ households: '35', orgUnitId: 'grid-1' });
    await ready();
    await act(() => seen.form!.submit());
    expect(seen.saved).toHaveLength(1);
    const [call] = seen.saved;
    expect(call!.events.map((e) => [e.type, e.subjectId, e.deviceSeq])).toEqual([['sweep.recorded', SUBJECT, 1]]);
    expect(await call!.outboxAtThatTime).toBe(1);
    expect(await call!.draftAtThatTime).toBeUndefined();
    expect((await pendingOutbox(10)).map((q) => q.id)).toEqual([call!.events[0]!.id]);
    expect(seen.values).toEqual({ households: '', orgUnitId: 'grid-1' });
    expect(shown()).toBe('');
    expect(seen.form!.busy).toBe(false);
  });

  test('two taps on 保存 before the first save has finished write the record once', async () => {
    const seen = mount({ households: '35', orgUnitId: 'grid-1' });
    await ready();
    // Both taps come before any render (so before `busy` disables the button).
    await act(async () => {
      await Promise.all([seen.form!.submit(), seen.form!.submit()]);
    });
    expect(seen.saved).toHaveLength(1);
    expect(await countOutbox()).toEqual({ pending: 1, rejected: 0 });
  });

  test('storage failing: 保存失败，请重试, nothing reported as saved, the typing kept', async () => {
    const seen = mount({ households: '35', orgUnitId: 'grid-1' });
    await ready();
    await closeDb();
    const working = globalThis.indexedDB;
    globalThis.indexedDB = {
      open() {
        throw new DOMException('disk full', 'QuotaExceededError');
      },
    } as unknown as IDBFactory;
    try {
      await act(() => seen.form!.submit());
    } finally {
      globalThis.indexedDB = working;
    }
    expect(shown()).toBe('_=保存失败，请重试');
    expect(seen.saved).toEqual([]);
    expect(seen.values).toEqual({ households: '35', orgUnitId: 'grid-1' });
    expect(seen.form!.busy).toBe(false);
  });
});
