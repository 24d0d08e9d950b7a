// @vitest-environment happy-dom
// The case screen's 重大, 典型 and 补助等级 parts over fake-indexeddb (CaseDetail/extras.tsx):
// a field user flags a case 重大 (criteria required, at the field), updates and unflags it,
// marks it typical with its story and proposes a grade, each saved as its event with the
// outbox; office staff are offered the desk's links instead of the phone's writes.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider, Route, Router } from 'preact-iso';
import { settle, useScreenHost, waitUntil } from './support/screen.ts';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CaseState } from '#shared/fold/index';
import { CaseDetail } from '../../../../src/app/screens/CaseDetail/CaseDetail.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { countOutbox, getEvents, getRecord, recordEvents } from '../../../../src/app/storage/index.ts';

const CASE = '0193a000-0000-7000-8000-000000000001';
let host: HTMLElement;

useScreenHost((h) => (host = h));

const UNITS = [
  { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
  { id: 'v1', parentId: 'town', kind: 'village', name: '江口村' },
  { id: 'grid-1', parentId: 'v1', kind: 'grid', name: '第一网格' },
];

function logIn(role: string, orgUnitId: string) {
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '张三', roles: [{ role, orgUnitId }] },
    orgUnits: UNITS,
    expiresAt: Date.now() + 1e9,
  };
}

// The grid worker of the case's grid, unless a test logs in as someone else.
beforeEach(() => logIn('grid_worker', 'grid-1'));
afterEach(() => {
  session.value = null;
});

const until = (check: () => boolean | Promise<boolean>, what: string) => waitUntil(check, what, () => host.textContent ?? '');

function field(text: string): HTMLInputElement {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent?.replace(/\s*\*$/, '').trim() === text);
  const el = label && host.querySelector(`[id="${label.htmlFor}"]`);
  if (!el) throw new Error(`no field ${text}`);
  return el as HTMLInputElement;
}

function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

function buttons(): string[] {
  return [...host.querySelectorAll('button')].map((b) => b.textContent?.trim() ?? '');
}

function click(name: string) {
  const b = [...host.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button ${name} in ${buttons().join(' | ')}`);
  b.click();
}

function show(path: string) {
  history.replaceState(null, '', path);
  render(
    <LocationProvider>
      <Router>
        <Route path="/cases/:id" component={CaseDetail} />
        <Route default component={() => <p>其他页面</p>} />
      </Router>
    </LocationProvider>,
    host,
  );
}

async function openCase() {
  await recordEvents([
    {
      type: 'case.opened',
      subjectId: CASE,
      orgUnitId: 'grid-1',
      occurredAt: '2024-05-01T09:00:00+08:00',
      data: {
        disputeType: '03',
        source: 'application',
        summary: '宅基地边界',
        parties: [
          { role: 'applicant', name: '张大山' },
          { role: 'respondent', name: '李小河' },
        ],
      },
    },
  ]);
}

function checkbox(text: string): HTMLInputElement {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
  const el = label?.querySelector('input');
  if (!el) throw new Error(`no checkbox ${text}`);
  return el;
}

const stateOf = async () => (await getRecord(CASE))?.state as CaseState;

describe('重大矛盾纠纷 on the case screen', () => {
  test('flagging needs a criterion; flagged, the chain and the measures show; updated and unflagged it is an event each', async () => {
    await openCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    expect(buttons()).toEqual(expect.arrayContaining(['标记重大', '典型案例', '建议补助等级']));
    expect(buttons()).not.toContain('取消重大');

    await act(() => click('标记重大'));
    await until(() => host.textContent?.includes('认定情形') ?? false, 'the 重大 form');
    await act(() => click('标记重大并保存'));
    await settle();
    expect(host.querySelector('.choices')?.textContent).toContain('请至少选择一项重大纠纷认定情形');
    expect(await countOutbox()).toEqual({ pending: 1, rejected: 0 });

    await act(() => {
      checkbox('人数多（5户或10人以上）').click();
    });
    await act(() => type(field('已采取的措施'), '已分开双方'));
    await act(() => click('标记重大并保存'));
    await until(() => host.textContent?.includes('已保存') ?? false, '已保存');
    expect((await stateOf()).major).toMatchObject({ flagged: true, criteria: ['many_people'], measures: '已分开双方' });
    expect(host.querySelector('.major-box')?.textContent).toContain('已分开双方');
    expect(host.querySelectorAll('.stage-chain li.done')).toHaveLength(2);

    await act(() => click('更新重大情况'));
    await until(() => host.textContent?.includes('移交单位') ?? false, 'the update form');
    await act(() => type(field('移交单位'), '县信访办'));
    await act(() => click('保存重大纠纷情况'));
    await until(() => host.textContent?.includes('已移交：县信访办') ?? false, 'the transfer');

    await act(() => click('取消重大'));
    await until(() => host.textContent?.includes('取消原因') ?? false, 'the unflag form');
    await act(() => click('确认取消重大'));
    await settle();
    expect(field('取消原因').closest('.field')?.textContent).toContain('请填写取消的原因');
    await act(() => type(field('取消原因'), '经核实不属于重大纠纷'));
    await act(() => click('确认取消重大'));
    await until(() => host.querySelector('.major-box') === null, 'the flag gone');
    expect((await getEvents(CASE)).filter((e) => e.type === 'case.major')).toHaveLength(3);
    expect((await stateOf()).major?.flagged).toBe(false);
    expect(await countOutbox()).toEqual({ pending: 4, rejected: 0 });
  });

  test('典型案例 and the proposed grade are saved from the phone', async () => {
    await openCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    await act(() => click('典型案例'));
    await until(() => host.textContent?.includes('案例标题') ?? false, 'the typical form');
    await act(() => click('保存典型案例'));
    await until(() => field('案例标题').closest('.field')?.textContent?.includes('请填写典型案例标题') ?? false, 'the title error');
    await act(() => type(field('案例标题'), '宅基地界址纠纷'));
    await act(() => type(field('案例简介'), '张某（化名）……'));
    await act(() => click('保存典型案例'));
    await until(() => host.querySelector('.typical-box') !== null, 'the typical case');
    expect((await stateOf()).typical).toMatchObject({ typical: true, title: '宅基地界址纠纷', story: '张某（化名）……' });

    await act(() => click('建议补助等级'));
    await until(() => host.textContent?.includes('保存建议等级') ?? false, 'the grade form');
    await act(() => type(field('补助等级'), 'difficult'));
    await act(() => click('保存建议等级'));
    await until(() => host.textContent?.includes('调解员建议，待核定') ?? false, 'the proposal');
    expect((await stateOf()).grade?.proposed?.grade).toBe('difficult');
  });

  test('office staff get the desk links, not the phone’s writes', async () => {
    await openCase();
    await recordEvents([
      {
        type: 'case.major',
        subjectId: CASE,
        orgUnitId: 'grid-1',
        occurredAt: '2024-05-01T09:30:00+08:00',
        data: { flagged: true, criteria: ['violence_risk'] },
      },
    ]);
    logIn('office', 'town');
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('张大山') ?? false, 'the case');
    for (const name of ['标记重大', '更新重大情况', '取消重大', '典型案例', '建议补助等级']) expect(buttons()).not.toContain(name);
    expect(host.querySelector(`a[href="/office/typical?case=${CASE}"]`)?.textContent).toBe('编写典型案例');
    expect(host.querySelector(`a[href="/office/alerts/${CASE}/print"]`)).not.toBeNull();
  });
});
