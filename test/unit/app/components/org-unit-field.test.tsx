// @vitest-environment happy-dom
// The unit picker as a tree: options indented under their village, a search box (its own label)
// that narrows the options by name or code while keeping each match's village, Enter to take the
// first match, the chosen unit kept while the search hides it, and the <select> still found by
// its label. Short lists get no search box.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { useState } from 'preact/hooks';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { OrgUnitField } from '../../../../src/app/components/OrgUnitField.tsx';
import { session, type OrgUnitInfo } from '../../../../src/app/session/state.ts';

let host: HTMLElement;
let chosen = '';

const TOWN: OrgUnitInfo[] = [
  { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
  { id: 'v1', parentId: 'town', kind: 'village', name: '江口村', code: '500101' },
  { id: 'g11', parentId: 'v1', kind: 'grid', name: '第一网格', code: '50010101' },
  { id: 'g12', parentId: 'v1', kind: 'grid', name: '第二网格', code: '50010102' },
  { id: 'v2', parentId: 'town', kind: 'village', name: '石桥村', code: '500102' },
  { id: 'g21', parentId: 'v2', kind: 'grid', name: '石桥一组', code: '50010201' },
  { id: 'g22', parentId: 'v2', kind: 'grid', name: '石桥二组', code: '50010202' },
  { id: 'c1', parentId: 'town', kind: 'community', name: '滨江社区', code: '500103' },
];
const IND = '\u3000\u3000';

function logIn(orgUnits: OrgUnitInfo[], orgUnitId: string) {
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '李调解', roles: [{ role: 'grid_worker', orgUnitId }] },
    orgUnits,
    expiresAt: Date.now() + 1e9,
  };
}

function Picker() {
  const [value, setValue] = useState('');
  chosen = value;
  return <OrgUnitField label="村（社区）/网格" value={value} onChange={setValue} />;
}

beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
  chosen = '';
});
afterEach(() => {
  render(null, host);
  host.remove();
  session.value = null;
});

/** The control a <label> with this exact text points at, as getByLabel finds it. */
function byLabel<T extends HTMLElement>(text: string): T {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent?.replace(/\s*\*$/, '').trim() === text);
  const el = label && host.querySelector(`[id="${label.htmlFor}"]`);
  if (!el) throw new Error(`no field labelled ${text}`);
  return el as T;
}
const select = () => byLabel<HTMLSelectElement>('村（社区）/网格');
const options = () => [...select().options].map((o) => o.textContent ?? '');
const search = () => byLabel<HTMLInputElement>('按名称或编号查找');
async function type(text: string) {
  await act(() => {
    search().value = text;
    search().dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('unit picker', () => {
  test('lists the tree in order, grids indented under their village', async () => {
    logIn(TOWN, 'town');
    await act(() => render(<Picker />, host));
    expect(options()).toEqual([
      '请选择',
      '江口村（500101）',
      `${IND}第一网格（50010101）`,
      `${IND}第二网格（50010102）`,
      '石桥村（500102）',
      `${IND}石桥一组（50010201）`,
      `${IND}石桥二组（50010202）`,
      '滨江社区（500103）',
    ]);
  });

  test('typing a name or a code narrows the options and keeps each match under its village', async () => {
    logIn(TOWN, 'town');
    await act(() => render(<Picker />, host));
    await type('二');
    expect(options()).toEqual(['请选择', '江口村（500101）', `${IND}第二网格（50010102）`, '石桥村（500102）', `${IND}石桥二组（50010202）`]);
    await type('50010201');
    expect(options()).toEqual(['请选择', '石桥村（500102）', `${IND}石桥一组（50010201）`]);
    await type('滨江');
    expect(options()).toEqual(['请选择', '滨江社区（500103）']);
    await type('没有这个');
    expect(options()).toEqual(['请选择']);
    expect(host.textContent).toContain('没有找到');
  });

  test('Enter in the search box picks the first match (not its village); the chosen unit stays while a search hides it', async () => {
    logIn(TOWN, 'town');
    await act(() => render(<Picker />, host));
    await type('石桥一');
    await act(() => {
      search().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(chosen).toBe('g21');
    expect(select().value).toBe('g21');
    await type('滨江');
    expect(options()).toContain(`${IND}石桥一组（50010201）`);
    expect(select().value).toBe('g21');
  });

  test('the select still picks by value, and a short list has no search box', async () => {
    logIn(TOWN.slice(0, 4), 'v1');
    await act(() => render(<Picker />, host));
    expect(host.querySelector('input[type="search"]')).toBeNull();
    expect(options()).toEqual(['请选择', '江口村（500101）', `${IND}第一网格（50010101）`, `${IND}第二网格（50010102）`]);
    await act(() => {
      select().value = 'g12';
      select().dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(chosen).toBe('g12');
  });
});
