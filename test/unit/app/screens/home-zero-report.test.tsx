// @vitest-environment happy-dom
// 首页's 零报告 over fake-indexeddb: a labelled 走访户数 in the confirmation, starting from the
// grid's last zero report that gave households (another grid's own), saved with Enter as with
// 确认零报告, and refused at the field by 排查's rule (negative, fractional, not a number, over 5000).
// And records this version cannot read: a newer version's are said to wait for the update, not to be broken.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider } from 'preact-iso';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SweepState } from '#shared/fold/index';
import { addDays } from '#shared/time';
import { zeroReportEvent } from '../../../../src/app/forms/zero-report.ts';
import { todayLocal } from '../../../../src/app/format.ts';
import { Home } from '../../../../src/app/screens/Home/Home.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { countOutbox, listRecords, recordEvents, storageProblems } from '../../../../src/app/storage/index.ts';
import { useScreenHost, waitUntil } from './support/screen.ts';

let host: HTMLElement;
useScreenHost((h) => (host = h));

const UNITS = [
  { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
  { id: 'v1', parentId: 'town', kind: 'village', name: '江口村' },
  { id: 'grid-1', parentId: 'v1', kind: 'grid', name: '第一网格' },
  { id: 'grid-2', parentId: 'v1', kind: 'grid', name: '第二网格' },
];

// A grid worker of both grids: the confirmation asks which one.
beforeEach(() => {
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '王网格', roles: [{ role: 'grid_worker', orgUnitId: 'v1' }] },
    orgUnits: UNITS,
    expiresAt: Date.now() + 1e9,
  };
});
afterEach(() => {
  session.value = null;
});

const until = (check: () => boolean | Promise<boolean>, what: string) => waitUntil(check, what, () => host.textContent ?? '');

function field(text: string): HTMLInputElement {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent?.replace(/\s*\*$/, '').trim() === text);
  const el = label && host.querySelector(`[id="${label.htmlFor}"]`);
  if (!el) throw new Error(`no field labelled ${text}`);
  return el as HTMLInputElement;
}
function button(name: string): HTMLButtonElement {
  const b = [...host.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
}
async function type(el: HTMLInputElement | HTMLSelectElement, value: string) {
  await act(() => {
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}
const errorAt = (el: HTMLElement) => el.closest('.field')?.querySelector('.field-error')?.textContent;
/** Enter in a field submits its form (happy-dom does not do a browser's implicit submission: it is asked for here). */
async function pressEnter(el: HTMLInputElement) {
  expect(el.form?.querySelector('button[type=submit]')).not.toBeNull();
  await act(() => el.form!.requestSubmit());
}

async function openConfirmation() {
  render(
    <LocationProvider>
      <Home />
    </LocationProvider>,
    host,
  );
  await until(() => host.querySelector('.zero-quick') !== null, '首页');
  await act(() => button('零报告').click());
  await until(() => host.querySelector('[aria-label="零报告确认"]') !== null, 'the confirmation');
}

const zeroSweeps = async () => (await listRecords('sweep')).map((r) => r.state as SweepState).filter((s) => s.zeroReport);

describe('首页 零报告', () => {
  test('走访户数 is a labelled field starting from the grid’s last zero report that gave households; Enter saves', async () => {
    const today = todayLocal();
    await recordEvents([
      zeroReportEvent('0193a000-0000-7000-8000-000000000011', 'grid-1', addDays(today, -7), 30),
      // The last one gave none: the one before still says how many the worker visits.
      zeroReportEvent('0193a000-0000-7000-8000-000000000012', 'grid-1', addDays(today, -3), 0),
      zeroReportEvent('0193a000-0000-7000-8000-000000000013', 'grid-2', addDays(today, -2), 45),
    ]);
    await openConfirmation();
    expect(field('走访户数').value).toBe('');
    await type(field('网格') as unknown as HTMLSelectElement, 'grid-1');
    await until(() => field('走访户数').value === '30', 'the households of grid-1');
    expect(field('走访户数').closest('.field')?.textContent).toContain('按该网格上次零报告填入，可修改');
    await type(field('网格') as unknown as HTMLSelectElement, 'grid-2');
    expect(field('走访户数').value).toBe('45');

    await type(field('走访户数'), '42');
    await pressEnter(field('走访户数'));
    await until(() => host.querySelector('.zero-quick .saved')?.textContent?.includes('零报告已保存') ?? false, '零报告已保存');
    expect(host.querySelector('.zero-quick .saved')?.textContent).toContain('第二网格，走访 42 户');
    expect((await zeroSweeps()).find((s) => s.occurredAt?.startsWith(today))).toMatchObject({ orgUnitId: 'grid-2', households: 42, disputesFound: 0 });
    expect(await countOutbox()).toEqual({ pending: 4, rejected: 0 });
  });

  test('a count 排查 refuses is refused at the field, with the cursor there and the message announced; nothing is saved', async () => {
    await openConfirmation();
    await type(field('网格') as unknown as HTMLSelectElement, 'grid-1');
    for (const [typed, message] of [
      ['-5', '走访户数不能为负数'],
      ['12.5', '走访户数应为整数'],
      ['十二', '走访户数应为数字，如 30'],
      ['6000', '走访户数超过 5000 户，请核对（一个网格通常只有几百户）'],
    ] as const) {
      await type(field('走访户数'), typed);
      await act(() => button('确认零报告').click());
      await until(() => errorAt(field('走访户数')) === message, `“${message}” for ${typed}`);
      const input = field('走访户数');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toBe(input.closest('.field')?.querySelector('[role=alert]')?.id);
      expect(document.activeElement).toBe(input);
    }
    expect(await countOutbox()).toEqual({ pending: 0, rejected: 0 });

    // Blank is allowed (a zero report need not count the households).
    await type(field('走访户数'), '');
    await pressEnter(field('走访户数'));
    await until(async () => (await zeroSweeps()).length === 1, 'the zero report');
    expect((await zeroSweeps())[0]).toMatchObject({ orgUnitId: 'grid-1', households: 0 });
  });
});

describe('records this version cannot read', () => {
  afterEach(() => {
    storageProblems.value = [];
  });

  test('a newer version’s records wait for the update; only broken ones send the user to the administrator', async () => {
    storageProblems.value = [
      { id: 'e1', subjectId: 's1', message: '新版本的记录，更新应用后即可显示', newer: true },
      { id: 'e2', subjectId: 's1', message: '新版本的记录，更新应用后即可显示', newer: true },
    ];
    render(
      <LocationProvider>
        <Home />
      </LocationProvider>,
      host,
    );
    await until(() => host.querySelector('.zero-quick') !== null, '首页');
    expect(host.textContent).toContain('本机有 2 条记录来自新版本，当前版本还不能显示（已保存，不会丢失）。应用更新后即可显示');
    expect(host.textContent).not.toContain('无法读取');

    await act(() => {
      storageProblems.value = [...storageProblems.value, { id: 'e3', subjectId: 's2', message: 'occurredAt: 时间格式不对' }];
    });
    expect(host.textContent).toContain('本机有 1 条记录无法读取（已保留，未删除），请联系管理员。');
    expect(host.textContent).toContain('本机有 2 条记录来自新版本');
  });
});
