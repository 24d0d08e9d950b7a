// @vitest-environment happy-dom
// 结果标记 on the phone over fake-indexeddb: chosen on the closing form they are saved with the
// closure; later the 结果标记 action replaces the set (an overturned agreement learned months
// after), says so when nothing changed, and the case shows the flags it carries.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider, Route, Router } from 'preact-iso';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CaseState } from '#shared/fold/index';
import { CaseDetail } from '../../../../src/app/screens/CaseDetail/CaseDetail.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { countOutbox, getEvents, getRecord, recordEvents } from '../../../../src/app/storage/index.ts';
import { settle, useScreenHost, waitUntil } from './support/screen.ts';

const CASE = '0193a000-0000-7000-8000-000000000011';
let host: HTMLElement;
useScreenHost((h) => (host = h));

beforeEach(() => {
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '张三', roles: [{ role: 'grid_worker', orgUnitId: 'grid-1' }] },
    orgUnits: [
      { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
      { id: 'v1', parentId: 'town', kind: 'village', name: '江口村' },
      { id: 'grid-1', parentId: 'v1', kind: 'grid', name: '第一网格' },
    ],
    expiresAt: Date.now() + 1e9,
  };
});
afterEach(() => {
  session.value = null;
});

const until = (check: () => boolean, what: string) => waitUntil(check, what, () => host.textContent ?? '');
const field = (text: string) => {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent?.replace(/\s*\*$/, '').trim() === text);
  const el = label && host.querySelector(`[id="${label.htmlFor}"]`);
  if (!el) throw new Error(`no field ${text}`);
  return el as HTMLInputElement;
};
const set = (el: HTMLInputElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
};
const check = (label: string) => {
  const box = [...host.querySelectorAll('label.choice')].find((l) => l.textContent?.trim() === label)?.querySelector('input');
  if (!box) throw new Error(`no checkbox ${label}`);
  box.checked = !box.checked;
  box.dispatchEvent(new Event('change', { bubbles: true }));
};
const click = (name: string) => {
  const b = [...host.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button ${name}`);
  b.click();
};

async function showCase() {
  await recordEvents([
    {
      type: 'case.opened',
      subjectId: CASE,
      orgUnitId: 'grid-1',
      occurredAt: '2024-05-01T09:00:00+08:00',
      data: { disputeType: '02', source: 'application', summary: '排水沟', parties: [{ role: 'applicant', name: '张大山' }] },
    },
  ]);
  history.replaceState(null, '', `/cases/${CASE}`);
  render(
    <LocationProvider>
      <Router>
        <Route path="/cases/:id" component={CaseDetail} />
        <Route default component={() => <p>无</p>} />
      </Router>
    </LocationProvider>,
    host,
  );
  await until(() => host.textContent?.includes('排水沟') ?? false, 'the case');
}

describe('结果标记', () => {
  test('ticked on the closing form, the flags are saved with the closure, dated the same day', async () => {
    await showCase();
    await act(() => click('结案'));
    await until(() => host.querySelector('form') !== null, 'the closing form');
    await act(() => {
      set(field('调解结果'), 'success');
      set(field('协议形式'), 'oral');
    });
    await act(() => set(field('协议内容'), '疏通排水沟'));
    await act(() => check('防止民转刑案件'));
    // Only what mediation prevented is asked at closing; what went wrong comes later.
    expect(host.textContent).not.toContain('申请支付令');
    await act(() => click('保存结案'));
    await until(() => host.textContent?.includes('结案已保存') ?? false, '结案已保存');
    const events = await getEvents(CASE);
    expect(events.map((e) => e.type)).toEqual(['case.opened', 'case.closed', 'case.outcomes']);
    expect(events[2]!.occurredAt.slice(0, 10)).toBe(events[1]!.occurredAt.slice(0, 10));
    expect(((await getRecord(CASE))?.state as CaseState).outcomes?.map((o) => o.code)).toEqual(['prevented_criminal']);
    expect(host.querySelector('.facts')?.textContent).toContain('防止民转刑案件');
  });

  test('later, the action replaces the set; unchanged it says so and saves nothing', async () => {
    await showCase();
    await recordEvents([
      {
        type: 'case.closed',
        subjectId: CASE,
        orgUnitId: 'grid-1',
        occurredAt: '2024-05-05T09:00:00+08:00',
        data: { result: 'success', agreementForm: 'written', terms: '疏通' },
      },
    ]);
    await settle();
    await until(() => [...host.querySelectorAll('button')].some((b) => b.textContent?.trim() === '结果标记'), 'the 结果标记 action');
    await act(() => click('结果标记'));
    await until(() => host.querySelector('form[aria-label="结果标记"]') !== null, 'the form');
    const before = await countOutbox();
    await act(() => click('保存结果标记'));
    await until(() => host.textContent?.includes('没有修改任何标记') ?? false, 'nothing changed');
    expect(await countOutbox()).toEqual(before);

    await act(() => check('协议被法院判决变更、撤销或确认无效'));
    await act(() => set(field('说明'), '（2024）渝0235民初123号'));
    await act(() => click('保存结果标记'));
    await until(() => host.textContent?.includes('结果标记已保存') ?? false, '已保存');
    const state = (await getRecord(CASE))?.state as CaseState;
    expect(state.outcomes?.map((o) => o.code)).toEqual(['agreement_overturned']);
    expect(host.textContent).toContain('（2024）渝0235民初123号');
  });
});
