// @vitest-environment happy-dom
// 以案定补 fits the desk: a mediator's table sits in a scroll box, its long cells (the unit, the
// dispute type with its sub-type) wrap, the sub-type in brackets held whole; printed, the screen
// takes an A4 landscape sheet's width. (happy-dom lays nothing out: the stylesheets are read;
// test/e2e/office-subsidy.test.ts measures the tables in Chromium.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render } from 'preact';
import { LocationProvider } from 'preact-iso';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { LedgerCase, LedgerResponse } from '#shared/subsidy/api';
import OfficeScreen from '../../../../src/app/screens/Office/index.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;

const wages: LedgerCase = {
  subjectId: 'c1',
  caseNumber: '（2024）滨江社区人调字第019号',
  unitId: 'g1',
  unitName: '滨江社区第四网格',
  disputeType: '10-migrant-wages',
  mediators: ['唐兰霞'],
  recorder: '熊兵',
  grade: 'general',
  gradeSource: 'default',
  agreementForm: 'written',
  closedOn: '2024-12-04',
  qualifiedOn: null,
  amount: 0,
  reasons: ['no_followup'],
};
const answer: LedgerResponse = {
  ledger: { year: 2024, month: 12, mediators: [{ mediator: '唐兰霞', qualifying: [], pending: [wages], amount: 0 }], qualifying: 0, pending: 1, amount: 0 },
  rules: {
    amounts: { general: 100, difficult: 200, major: 500 },
    requireCompleteFile: true,
    requirePerformed: true,
    requireFollowup: true,
    oralAgreement: 'signed',
  },
  approval: null,
};

beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '王主任', roles: [{ role: 'office', orgUnitId: 'town' }] },
    orgUnits: [{ id: 'town', parentId: null, kind: 'town', name: '江口镇' }],
    expiresAt: Date.now() + 1e9,
  };
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } }));
});
afterEach(() => {
  render(null, host);
  host.remove();
  session.value = null;
  vi.unstubAllGlobals();
});

const css = (file: string) => readFileSync(path.join(process.cwd(), 'src/app/screens/Office', file), 'utf8');

test('a mediator’s table scrolls in its box and wraps its long cells, the sub-type in brackets whole', async () => {
  history.replaceState(null, '', '/office/subsidy?year=2024&month=12&orgUnitId=town');
  render(
    <LocationProvider>
      <OfficeScreen />
    </LocationProvider>,
    host,
  );
  await waitUntil(
    () => host.querySelector('.subsidy-mediator table') !== null,
    'the ledger',
    () => host.textContent ?? '',
  );
  const table = host.querySelector('.subsidy-mediator table')!;
  expect(table.parentElement?.classList.contains('table-scroll')).toBe(true);
  expect(css('office.css')).toMatch(/\.table-scroll \{\s*overflow-x: auto;/);
  const cells = [...table.querySelectorAll('tbody td')];
  const unit = cells.find((td) => td.textContent === '滨江社区第四网格')!;
  const type = cells.find((td) => td.textContent === '劳动争议纠纷（拖欠农民工工资）')!;
  expect(unit.classList.contains('wrap')).toBe(true);
  expect(type.classList.contains('wrap')).toBe(true);
  expect(type.querySelector('span.unit')?.textContent).toBe('（拖欠农民工工资）');
  expect(css('Alerts.css')).toMatch(/\.office-subsidy \.office-table td\.wrap \{\s*white-space: normal;/);
  expect(css('office.css')).toMatch(/\.office-table \.unit \{\s*white-space: nowrap;/);
  // Printed: its own A4 landscape page, at the page's width rather than the phone column's.
  const alerts = css('Alerts.css');
  expect(alerts).toMatch(/@page subsidy \{\s*size: A4 landscape;/);
  expect(alerts).toMatch(/\.office-subsidy \{\s*page: subsidy;/);
  expect(alerts).toMatch(/\.screen:has\(> \.office-subsidy\) \{\s*max-width: none;/);
});
