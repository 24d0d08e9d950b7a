// @vitest-environment happy-dom
// 以案定补: approving a month freezes its payments, so a month still running offers no 审批 (the
// server refuses it too) and says from when it can be; a month that is over offers it.
import { render } from 'preact';
import { LocationProvider } from 'preact-iso';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import OfficeScreen from '../../../../src/app/screens/Office/index.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;

const ledger = (year: number, month: number) => ({
  ledger: { year, month, mediators: [], qualifying: 0, pending: 0, amount: 0 },
  rules: {
    amounts: { general: 100, difficult: 200, major: 500 },
    requireCompleteFile: true,
    requirePerformed: true,
    requireFollowup: true,
    oralAgreement: 'signed',
  },
  approval: null,
});

beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '王主任', roles: [{ role: 'office', orgUnitId: 'town' }] },
    orgUnits: [{ id: 'town', parentId: null, kind: 'town', name: '江口镇' }],
    expiresAt: Date.now() + 1e9,
  };
});
afterEach(() => {
  render(null, host);
  host.remove();
  session.value = null;
  vi.unstubAllGlobals();
});

async function show(year: number, month: number) {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(ledger(year, month)), { status: 200, headers: { 'content-type': 'application/json' } }));
  history.replaceState(null, '', `/office/subsidy?year=${year}&month=${month}&orgUnitId=town`);
  render(
    <LocationProvider>
      <OfficeScreen />
    </LocationProvider>,
    host,
  );
  await waitUntil(
    () => host.textContent?.includes('尚未审批') ?? false,
    'the month’s ledger',
    () => host.textContent ?? '',
  );
}
const approveButton = () => [...host.querySelectorAll('button')].find((b) => b.textContent?.includes('审批本月台账'));

test('a month still running offers no 审批, and says when it can be', async () => {
  const now = new Date();
  await show(now.getFullYear(), now.getMonth() + 1);
  expect(approveButton()).toBeUndefined();
  expect(host.querySelector('[data-testid="subsidy-open-note"]')?.textContent).toContain(`${now.getFullYear()}年${now.getMonth() + 1}月尚未结束`);
});

test('a month that is over offers it', async () => {
  await show(2024, 6);
  expect(approveButton()).toBeDefined();
});
