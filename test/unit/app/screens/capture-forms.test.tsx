// @vitest-environment happy-dom
// The capture forms in happy-dom over fake-indexeddb: drafts survive an update reload even
// when the debounce has not fired, invalid input shows the Chinese message by its field and
// saves nothing (走访户数 by the phone's own rule), 零报告 saves a zero sweep in two taps.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider, Route, Router } from 'preact-iso';
import { useScreenHost, waitUntil } from './support/screen.ts';
import { describe, expect, test } from 'vitest';
import type { SweepState } from '#shared/fold/index';
import { useDraft } from '../../../../src/app/hooks/use-draft.ts';
import { runBeforeReload } from '../../../../src/app/pwa/service-worker.ts';
import { CaseForm } from '../../../../src/app/screens/CaseForm/CaseForm.tsx';
import { draftLink } from '../../../../src/app/screens/Home/Home.tsx';
import { Sweep } from '../../../../src/app/screens/Sweep/Sweep.tsx';
import { countOutbox, listRecords, loadDraft } from '../../../../src/app/storage/index.ts';
import { validateNewEvent } from '../../../../src/app/storage/records.ts';
import { zeroReportEvent } from '../../../../src/app/forms/zero-report.ts';

let host: HTMLElement;

useScreenHost((h) => (host = h));

const until = (check: () => boolean | Promise<boolean>, what: string) => waitUntil(check, what);

function fieldByLabel(text: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent?.replace(/\s*\*$/, '').trim() === text);
  if (!label) throw new Error(`no label ${text}`);
  const el = host.querySelector(`[id="${label.htmlFor}"]`);
  if (!el) throw new Error(`no field for ${text}`);
  return el as HTMLInputElement;
}

function type(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

function button(name: string): HTMLButtonElement {
  const b = [...host.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
}

describe('drafts', () => {
  function Note() {
    const d = useDraft('test:note', 'note', () => ({ text: '' }));
    if (!d.ready) return null;
    return (
      <label>
        备注
        <input value={d.values.text} onInput={(e) => d.set({ text: (e.currentTarget as HTMLInputElement).value })} />
        {d.restored && <span>已恢复</span>}
      </label>
    );
  }

  test('an update reload flushes what was typed before the debounce fired, and the form restores it', async () => {
    render(<Note />, host);
    await until(() => host.querySelector('input') !== null, 'the form');
    await act(() => type(host.querySelector('input')!, '刚刚输入'));
    // No wait: the debounce (400 ms) has not fired yet.
    await runBeforeReload();
    expect((await loadDraft('test:note'))?.values).toEqual({ text: '刚刚输入' });

    render(null, host);
    render(<Note />, host);
    await until(() => host.querySelector('input')?.value === '刚刚输入', 'the restored draft');
    expect(host.textContent).toContain('已恢复');
  });
});

test('首页 links each kind of draft back to its form', () => {
  const id = '0193a000-0000-7000-8000-000000000001';
  expect(draftLink('case:new')?.href).toBe('/cases/new');
  expect(draftLink('outreach:new')?.href).toBe('/outreach/new');
  expect(draftLink('sweep:new')?.href).toBe('/sweep');
  expect(draftLink(`case:${id}:close`)?.href).toBe(`/cases/${id}`);
  expect(draftLink(`outreach:${id}:update`)?.href).toBe(`/outreach/${id}`);
  expect(draftLink('test:note')).toBeUndefined();
});

describe('登记案件', () => {
  test('invalid input: a Chinese message next to the field, nothing saved, the typing kept as a draft', async () => {
    render(
      <LocationProvider>
        <CaseForm />
      </LocationProvider>,
      host,
    );
    await until(() => host.querySelector('form') !== null, 'the form');
    await act(() => {
      type(fieldByLabel('纠纷类型'), '02');
      type(fieldByLabel('案件来源'), 'referral');
    });
    await act(() => {
      type(fieldByLabel('村（社区）/网格（编号）'), 'grid-1');
      type(fieldByLabel('当事人1 姓名'), '张某');
      type(fieldByLabel('当事人1 年龄'), '四十');
    });
    await act(() => button('保存登记').click());
    // The save step is a lazy chunk: what the save says is polled, not read after a fixed wait.
    await until(() => fieldByLabel('当事人1 年龄').closest('.field')?.textContent?.includes('年龄应为数字') ?? false, 'the age error');

    await act(() => type(fieldByLabel('当事人1 年龄'), '40'));
    await act(() => button('保存登记').click());
    await until(() => host.textContent?.includes('请填写纠纷简要情况') ?? false, 'the summary error');
    expect(fieldByLabel('纠纷简要情况').closest('.field')?.textContent).toContain('请填写纠纷简要情况');
    expect(fieldByLabel('纠纷简要情况').getAttribute('aria-invalid')).toBe('true');
    // A referral names its referrer, said together with the other errors.
    expect(fieldByLabel('移送单位').closest('.field')?.textContent).toContain('委托移送的案件请选择移送单位');
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });
    await until(async () => (await loadDraft('case:new')) !== undefined, 'the debounced draft');
    expect(((await loadDraft('case:new'))?.values as { parties: { name: string }[] }).parties[0]?.name).toBe('张某');
  });
});

describe('排查', () => {
  /** 排查 on screen with its grid and 发现纠纷数 filled: 走访户数 is what the test types. */
  async function showSweepForGrid3() {
    render(
      <LocationProvider>
        <Sweep />
      </LocationProvider>,
      host,
    );
    await until(() => host.querySelector('form') !== null, 'the form');
    await act(() => type(fieldByLabel('网格（编号）'), 'grid-3'));
    await act(() => type(fieldByLabel('发现纠纷数'), '0'));
  }

  test('零报告 saves a zero sweep in two taps', async () => {
    render(
      <LocationProvider>
        <Sweep />
      </LocationProvider>,
      host,
    );
    await until(() => host.querySelector('form') !== null, 'the form');
    await act(() => type(fieldByLabel('网格（编号）'), 'grid-1'));
    await act(() => button('零报告').click());
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });
    await act(() => button('确认零报告').click());
    await until(() => host.textContent?.includes('零报告已保存') ?? false, '零报告已保存');
    const sweeps = await listRecords('sweep');
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]?.state as SweepState).toMatchObject({ zeroReport: true, disputesFound: 0, orgUnitId: 'grid-1' });
    expect(await countOutbox()).toEqual({ pending: 1, rejected: 0 });
  });

  test('a zero report carries the households typed, asks first after a sweep that found disputes, and says it is saved where the finger is', async () => {
    render(
      <LocationProvider>
        <Sweep />
      </LocationProvider>,
      host,
    );
    await until(() => host.querySelector('form') !== null, 'the form');
    await act(() => type(fieldByLabel('网格（编号）'), 'grid-2'));
    await act(() => type(fieldByLabel('走访户数'), '12'));
    await act(() => type(fieldByLabel('发现纠纷数'), '2'));
    await act(() => type(fieldByLabel('备注'), '村口听说两户争水'));
    await act(() => button('保存排查').click());
    await until(() => host.textContent?.includes('排查已保存') ?? false, '排查已保存');
    // A sweep has no page of its own: its note is on its card.
    await until(() => host.querySelector('.record-list')?.textContent?.includes('备注：村口听说两户争水') ?? false, 'the note on the card');

    await act(() => type(fieldByLabel('走访户数'), '30'));
    await act(() => button('零报告').click());
    await until(() => host.textContent?.includes('已为该网格报告发现纠纷 2 件') ?? false, 'the question');
    expect(host.querySelector('.zero-report')?.textContent).toContain('确认本次排查走访 30 户，未发现矛盾纠纷？');
    await act(() => button('仍然报零报告').click());
    await until(() => host.querySelector('.zero-report')?.textContent?.includes('零报告已保存') ?? false, '零报告已保存 in the zero-report box');
    const zero = (await listRecords('sweep')).map((r) => r.state as SweepState).find((x) => x.zeroReport);
    expect(zero).toMatchObject({ households: 30, disputesFound: 0, orgUnitId: 'grid-2' });

    // So is the reason it was voided for.
    await act(() => button('作废此条').click());
    await act(() => type(fieldByLabel('作废原因'), '重复上报'));
    await act(() => button('确认作废').click());
    await until(() => host.querySelector('.record-list')?.textContent?.includes('作废原因：重复上报') ?? false, 'the reason on the card');
  });

  test('走访户数: negative, fractional, not a number or implausibly large is refused at the field, with the cursor there', async () => {
    await showSweepForGrid3();
    const households = () => fieldByLabel('走访户数');
    const refused = async (typed: string, message: string) => {
      await act(() => type(households(), typed));
      await act(() => button('保存排查').click());
      await until(() => households().closest('.field')?.querySelector('.field-error')?.textContent === message, `“${message}” for ${typed}`);
      expect(households().getAttribute('aria-invalid')).toBe('true');
      expect(households().closest('.field')?.querySelector('[role=alert]')?.textContent).toBe(message);
      expect(document.activeElement).toBe(households());
    };
    await refused('-3', '走访户数不能为负数');
    await refused('2.5', '走访户数应为整数');
    await refused('三十', '走访户数应为数字，如 30');
    await refused('50000', '走访户数超过 5000 户，请核对（一个网格通常只有几百户）');
    // 零报告 checks the same field by the same rule.
    await act(() => button('零报告').click());
    expect(host.querySelector('.zero-report')?.textContent).toContain('确认本次排查未发现矛盾纠纷？');
    await act(() => button('确认零报告').click());
    await until(() => document.activeElement === households(), 'the cursor at 走访户数');
    expect(households().closest('.field')?.textContent).toContain('走访户数超过 5000 户');
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });

    await act(() => type(households(), '5000'));
    await act(() => button('保存排查').click());
    await until(() => host.textContent?.includes('排查已保存') ?? false, '排查已保存');
    expect((await listRecords('sweep')).map((r) => (r.state as SweepState).households)).toEqual([5000]);
  });

  test('after a failed save, a field put right loses its message as it is typed, and the list at the top follows', async () => {
    await showSweepForGrid3();
    const households = () => fieldByLabel('走访户数');
    const messageAt = () => households().closest('.field')?.querySelector('.field-error')?.textContent ?? '';
    await act(() => button('保存排查').click());
    await until(() => messageAt() !== '', 'the message at 走访户数');
    await until(() => host.querySelector('.error-summary') !== null, 'the list at the top');

    await act(() => type(households(), '20'));
    await until(() => messageAt() === '', 'the message gone once 20 is typed');
    expect(households().getAttribute('aria-invalid')).not.toBe('true');
    await until(() => host.querySelector('.error-summary') === null, 'the list gone');
    // A value that is wrong again is said again, at once.
    await act(() => type(households(), '-1'));
    await until(() => messageAt() === '走访户数不能为负数', 'the new message');
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });
  });

  test('the phone’s 5000 is its own check: the shared schema still takes what the server always took', () => {
    expect(validateNewEvent(zeroReportEvent('0193a000-0000-7000-8000-000000000002', 'grid-1', '2025-03-01', 100_000))).toBeUndefined();
    expect(validateNewEvent(zeroReportEvent('0193a000-0000-7000-8000-000000000003', 'grid-1', '2025-03-01', 100_001))).toBeDefined();
  });

  test('发现纠纷 opens a case registration for the same grid', async () => {
    history.replaceState(null, '', '/sweep');
    render(
      <LocationProvider>
        <Router>
          <Route path="/sweep" component={Sweep} />
          <Route path="/cases/new" component={CaseForm} />
        </Router>
      </LocationProvider>,
      host,
    );
    await until(() => host.querySelector('form') !== null, 'the sweep form');
    await act(() => type(fieldByLabel('网格（编号）'), 'grid-7'));
    await act(() => button('发现纠纷，登记案件').click());
    await until(() => host.textContent?.includes('纠纷简要情况') ?? false, 'the case form');
    await until(() => fieldByLabel('村（社区）/网格（编号）').value === 'grid-7', 'the grid carried over');
    expect(location.pathname).toBe('/cases/new');
  });
});
