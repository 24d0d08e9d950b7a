// @vitest-environment happy-dom
// The office screens' 单位 picker offers only the units the user's grants read. The session also
// holds the ancestors of those units (labels, offline pickers): a town's office was offered its
// county, and choosing it filled the dashboard with 没有权限 errors.
import { render } from 'preact';
import { LocationProvider } from 'preact-iso';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import OfficeScreen from '../../../../src/app/screens/Office/index.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;

const UNITS = [
  { id: 'county', parentId: null, kind: 'county', name: '云阳县' },
  { id: 'town', parentId: 'county', kind: 'town', name: '江口镇' },
  { id: 'v1', parentId: 'town', kind: 'village', name: '向阳村' },
  { id: 'v1-g1', parentId: 'v1', kind: 'grid', name: '向阳村第一网格' },
];

beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
  // Every request fails: the pickers are drawn whatever the figures do.
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'internal', message: '测试' } }), { status: 500 }));
});
afterEach(() => {
  render(null, host);
  host.remove();
  session.value = null;
  vi.unstubAllGlobals();
});

async function unitOptions(path: string, roles: { role: string; orgUnitId: string }[]): Promise<string[]> {
  session.value = { token: 't', user: { id: 'u', username: 'u', displayName: '王主任', roles }, orgUnits: UNITS, expiresAt: Date.now() + 1e9 };
  history.replaceState(null, '', path);
  render(
    <LocationProvider>
      <OfficeScreen />
    </LocationProvider>,
    host,
  );
  const select = () => [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('单位'))?.querySelector('select');
  await waitUntil(
    () => select() != null,
    'the unit picker',
    () => host.textContent ?? '',
  );
  return [...select()!.querySelectorAll('option')].map((o) => o.textContent ?? '');
}

describe('单位 picker', () => {
  test('a town’s office is not offered its county on the dashboard', async () => {
    expect(await unitOptions('/office?year=2024&orgUnitId=town', [{ role: 'office', orgUnitId: 'town' }])).toEqual(['江口镇', '向阳村', '向阳村第一网格']);
  });
  test('nor on the monthly return', async () => {
    expect(await unitOptions('/office/returns?year=2024&month=6&orgUnitId=town', [{ role: 'office', orgUnitId: 'town' }])).toEqual(['江口镇']);
  });
  test('an admin still picks the whole tree', async () => {
    expect(await unitOptions('/office?year=2024&orgUnitId=county', [{ role: 'admin', orgUnitId: '*' }])).toEqual([
      '云阳县',
      '江口镇',
      '向阳村',
      '向阳村第一网格',
    ]);
  });
});
