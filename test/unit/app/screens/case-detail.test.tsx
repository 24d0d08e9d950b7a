// @vitest-environment happy-dom
// The case detail and list over fake-indexeddb: closing with a written agreement saves the
// parties' ID numbers (as a correction) and the closure together; actions follow the status.
// The list's filters and search: test/unit/app/storage/case-list.test.ts.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider, Route, Router } from 'preact-iso';
import { settle, useScreenHost, waitUntil } from './support/screen.ts';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CaseState } from '#shared/fold/index';
import { CaseDetail } from '../../../../src/app/screens/CaseDetail/CaseDetail.tsx';
import { OutreachDetail } from '../../../../src/app/screens/Outreach/OutreachDetail.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { countOutbox, getEvents, getRecord, recordEvents } from '../../../../src/app/storage/index.ts';

const CASE = '0193a000-0000-7000-8000-000000000001';
const OUTREACH = '0193a000-0000-7000-8000-000000000002';
let host: HTMLElement;

useScreenHost((h) => (host = h));

const UNITS = [
  { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
  { id: 'v1', parentId: 'town', kind: 'village', name: '江口村' },
  { id: 'grid-1', parentId: 'v1', kind: 'grid', name: '第一网格' },
  { id: 'grid-2', parentId: 'v1', kind: 'grid', name: '第二网格' },
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
        <Route path="/outreach/:id" component={OutreachDetail} />
      </Router>
    </LocationProvider>,
    host,
  );
}

/** The case registered on the phone; `extra` adds fields to its registration. */
async function openCase(extra: Record<string, unknown> = {}) {
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
        ...extra,
      },
    },
  ]);
}

describe('案件详情', () => {
  test('结案 with a written agreement saves the ID numbers and the closure in one go', async () => {
    await openCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    expect(buttons()).toEqual(expect.arrayContaining(['添加调解记录', '结案', '更正', '作废']));
    expect(buttons()).not.toContain('回访');

    await act(() => click('结案'));
    await until(() => host.querySelector('form') !== null, 'the closing form');
    await act(() => {
      type(field('调解结果'), 'success');
      type(field('协议形式'), 'written');
    });
    await act(() => type(field('协议内容'), '李小河拆除越界围墙'));
    await act(() => type(field('当事人1 身份证号'), '500235199001011234'));
    await act(() => click('保存结案'));
    await until(() => host.textContent?.includes('结案已保存') ?? false, '结案已保存');

    expect((await getEvents(CASE)).map((e) => e.type)).toEqual(['case.opened', 'case.updated', 'case.closed']);
    const state = (await getRecord(CASE))?.state as CaseState;
    expect(state.opened?.parties[0]?.idNumber).toBe('500235199001011234');
    expect(state.closure).toMatchObject({ result: 'success', agreementForm: 'written', terms: '李小河拆除越界围墙' });
    expect(host.textContent).toContain('调解成功');
    expect(host.querySelector('a[href$="/print/agreement"]')).not.toBeNull();
    expect(buttons()).toEqual(expect.arrayContaining(['履行', '回访', '重新调解']));
    expect(await countOutbox()).toEqual({ pending: 3, rejected: 0 });
  });

  test('调解不成功 leaves 无协议 as the only 协议形式, and no agreement fields', async () => {
    await openCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    await act(() => click('结案'));
    await until(() => host.querySelector('form') !== null, 'the closing form');
    await act(() => type(field('协议形式'), 'written'));
    await until(() => host.textContent?.includes('协议内容') ?? false, 'the agreement fields');
    await act(() => type(field('调解结果'), 'failure'));
    const forms = field('协议形式') as unknown as HTMLSelectElement;
    await until(() => forms.value === 'none', '无协议 chosen');
    expect([...forms.options].map((o) => o.value).filter(Boolean)).toEqual(['none']);
    expect(host.textContent).not.toContain('协议内容');
    await act(() => click('保存结案'));
    await until(() => host.textContent?.includes('结案已保存') ?? false, '结案已保存');
    expect(((await getRecord(CASE))?.state as CaseState).closure).toMatchObject({ result: 'failure', agreementForm: 'none' });
  });

  test('发生地点 is shown with the case when one was recorded', async () => {
    await openCase({ occurredPlace: '向阳村三组' });
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    const dt = [...host.querySelectorAll('dt')].find((d) => d.textContent === '发生地点');
    expect(dt?.nextElementSibling?.textContent).toBe('向阳村三组');
  });

  test('a closure without its required fields shows the messages and saves nothing', async () => {
    await openCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    await act(() => click('结案'));
    await until(() => host.querySelector('form') !== null, 'the closing form');
    await act(() => click('保存结案'));
    await until(() => field('调解结果').closest('.field')?.textContent?.includes('请选择调解结果') ?? false, 'the result error');
    expect(field('协议形式').closest('.field')?.textContent).toContain('请选择协议形式');
    expect(await countOutbox()).toEqual({ pending: 1, rejected: 0 });
  });
});

describe('who is offered which writes', () => {
  test('office staff of the town read the case and are offered no write the server would refuse', async () => {
    await openCase();
    logIn('office', 'town');
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('张大山') ?? false, 'the case');
    for (const name of ['添加调解记录', '结案', '更正', '作废', '履行', '回访', '重新调解']) expect(buttons()).not.toContain(name);
    expect(host.querySelector('[aria-label="案件操作"]')).toBeNull();
    expect(host.textContent).toContain('本账号只能查看此案件');
  });

  test('a mediator of the village committee is offered the case actions', async () => {
    await openCase();
    session.value = { ...session.value!, orgUnits: [...UNITS, { id: 'v1-cmt', parentId: 'v1', kind: 'committee', name: '江口村调委会' }] };
    session.value = { ...session.value, user: { ...session.value.user, roles: [{ role: 'mediator', orgUnitId: 'v1-cmt' }] } };
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('张大山') ?? false, 'the case');
    expect(buttons()).toEqual(expect.arrayContaining(['添加调解记录', '结案', '更正', '作废']));
  });
});

describe('a case a 更正 moved to another grid', () => {
  async function moveCase() {
    await openCase();
    await recordEvents([
      { type: 'case.updated', subjectId: CASE, orgUnitId: 'grid-1', occurredAt: '2024-05-02T09:00:00+08:00', data: { changes: { orgUnitId: 'grid-2' } } },
    ]);
  }

  test('the new grid’s worker is offered its actions, and a 调解记录 names the case’s current unit', async () => {
    await moveCase();
    logIn('grid_worker', 'grid-2');
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('第二网格') ?? false, 'the case');
    expect(buttons()).toEqual(expect.arrayContaining(['添加调解记录', '结案', '更正', '作废']));
    await act(() => click('添加调解记录'));
    await until(() => host.querySelector('form') !== null, 'the session form');
    await act(() => type(field('调解情况'), '新网格接手调解'));
    await act(() => click('保存调解记录'));
    await until(async () => (await getEvents(CASE)).some((e) => e.type === 'case.session'), 'the session saved');
    const saved = (await getEvents(CASE)).find((e) => e.type === 'case.session')!;
    expect(saved.orgUnitId).toBe('grid-2');
  });

  test('the old grid’s worker is no longer offered any write', async () => {
    await moveCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('第二网格') ?? false, 'the case');
    for (const name of ['添加调解记录', '结案', '更正', '作废']) expect(buttons()).not.toContain(name);
    expect(host.textContent).toContain('本账号只能查看此案件');
  });
});

describe('a half-filled action', () => {
  test('opens again as it was when the case is shown again; 放弃 asks, 取消 keeps it, 确认放弃 forgets it', async () => {
    await openCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    await act(() => click('添加调解记录'));
    await until(() => host.querySelector('form') !== null, 'the session form');
    await act(() => type(field('调解情况'), '双方各自陈述'));
    render(null, host);
    await settle();

    show(`/cases/${CASE}`);
    await until(() => host.querySelector('form') !== null, 'the form opened again');
    expect(field('调解情况').value).toBe('双方各自陈述');
    expect(host.textContent).toContain('已恢复上次未保存的内容');
    // 放弃 first asks: 取消 keeps what was typed.
    await act(() => click('放弃'));
    expect(host.textContent).toContain('不能恢复');
    await act(() => click('取消'));
    await settle();
    expect(field('调解情况').value).toBe('双方各自陈述');
    await act(() => click('放弃'));
    await act(() => click('确认放弃'));
    await until(() => host.querySelector('form') === null, 'the form closed');
    render(null, host);
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    await settle(60);
    expect(host.querySelector('form')).toBeNull();
  });
});

describe('更正', () => {
  test('saves only the fields that changed; with nothing changed it says so and saves nothing', async () => {
    await openCase();
    show(`/cases/${CASE}`);
    await until(() => host.textContent?.includes('待编号') ?? false, 'the case');
    await act(() => click('更正'));
    await until(() => host.querySelector('form') !== null, 'the correction form');
    expect(field('纠纷简要情况').value).toBe('宅基地边界');
    await act(() => click('保存更正'));
    await until(() => host.textContent?.includes('没有修改任何内容') ?? false, 'nothing changed');
    expect(await countOutbox()).toEqual({ pending: 1, rejected: 0 });

    await act(() => type(field('纠纷简要情况'), '宅基地边界及排水沟'));
    await act(() => type(field('更正说明'), '补充争议事项'));
    await act(() => click('保存更正'));
    await until(() => host.textContent?.includes('更正已保存') ?? false, '更正已保存');
    const update = (await getEvents(CASE)).find((e) => e.type === 'case.updated');
    expect(update?.data).toEqual({ changes: { summary: '宅基地边界及排水沟' }, note: '补充争议事项' });
    expect(((await getRecord(CASE))?.state as CaseState).opened?.summary).toBe('宅基地边界及排水沟');
  });
});

describe('普法活动详情', () => {
  test('作废 needs a reason, then the activity shows as voided', async () => {
    await recordEvents([
      {
        type: 'outreach.recorded',
        subjectId: OUTREACH,
        orgUnitId: 'grid-1',
        occurredAt: '2024-05-01T09:00:00+08:00',
        data: { title: '宪法宣讲', form: 'lecture', audience: 40 },
      },
    ]);
    show(`/outreach/${OUTREACH}`);
    await until(() => host.textContent?.includes('宪法宣讲') ?? false, 'the activity');
    await act(() => click('作废'));
    await until(() => host.querySelector('form') !== null, 'the form');
    await act(() => click('确认作废'));
    await settle();
    expect(field('作废原因').closest('.field')?.textContent).toContain('请填写作废原因');
    await act(() => type(field('作废原因'), '重复登记'));
    await act(() => click('确认作废'));
    await until(() => host.textContent?.includes('已作废：重复登记') ?? false, 'the voided state');
    expect(buttons()).not.toContain('更正');
  });
});
