// @vitest-environment happy-dom
// 人民调解受理登记表 prints the case's 受理日期 (acceptedOn, as the fold keeps it) rather than the
// time the phone saved the registration, and the 纠纷发生日期 when one was recorded; its seal line
// names the committee that took the case, also when a grid worker's registration named none.
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { LocationProvider, Route, Router } from 'preact-iso';
import { useScreenHost, waitUntil } from './support/screen.ts';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PrintRegister } from '../../../../src/app/screens/Print/PrintRegister.tsx';
import { session } from '../../../../src/app/session/state.ts';
import type { StoredEvent } from '#shared/events';
import { applyPulled, recordEvents } from '../../../../src/app/storage/index.ts';

const CASE = '0193a000-0000-7000-8000-000000000011';
let host: HTMLElement;

useScreenHost((h) => (host = h));

beforeEach(() => {
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '张三', roles: [{ role: 'grid_worker', orgUnitId: 'grid-1' }] },
    orgUnits: [
      { id: 'town', parentId: null, kind: 'town', name: '江口镇' },
      { id: 'grid-1', parentId: 'town', kind: 'grid', name: '第一网格' },
    ],
    expiresAt: Date.now() + 1e9,
  };
});
afterEach(() => {
  session.value = null;
});

async function openCase(dates: { acceptedOn?: string; occurredOn?: string }) {
  await recordEvents([
    {
      type: 'case.opened',
      subjectId: CASE,
      orgUnitId: 'grid-1',
      // Registered on the phone two weeks after the case was accepted on paper.
      occurredAt: '2024-05-15T09:00:00+08:00',
      data: {
        disputeType: '03',
        source: 'application',
        summary: '宅基地边界',
        parties: [{ role: 'applicant', name: '张大山' }],
        ...dates,
      },
    },
  ]);
}

function cell(header: string): string | undefined {
  const th = [...host.querySelectorAll('th')].find((t) => t.textContent?.trim() === header);
  return th?.nextElementSibling?.textContent?.trim();
}

async function show() {
  history.replaceState(null, '', `/cases/${CASE}/print/register`);
  render(
    <LocationProvider>
      <Router>
        <Route path="/cases/:id/print/register" component={PrintRegister} />
        <Route default component={() => <p>没有这个页面</p>} />
      </Router>
    </LocationProvider>,
    host,
  );
  await waitUntil(
    () => host.querySelector('.print-table') !== null,
    'the register',
    () => host.textContent ?? '',
  );
}

describe('受理登记表', () => {
  test('prints the acceptance date and the date the dispute arose, not the registration time', async () => {
    await openCase({ acceptedOn: '2024-05-01', occurredOn: '2024-04-20' });
    await show();
    expect(cell('受理日期')).toBe('2024年5月1日');
    expect(cell('纠纷发生日期')).toBe('2024年4月20日');
    expect(host.querySelector('.sign-date')?.textContent).toBe('2024年5月1日');
  });

  test('a registration that named no committee is sealed by the committee that numbered it', async () => {
    session.value = { ...session.value!, unitNames: [{ id: 'cmt-1', parentId: 'town', kind: 'committee', name: '向阳村人民调解委员会' }] };
    await openCase({});
    const numbered = {
      id: '0193a000-0000-7000-8000-000000000012',
      type: 'case.numbered',
      subjectId: CASE,
      orgUnitId: 'grid-1',
      occurredAt: '2024-05-15T09:05:00+08:00',
      recordedAt: '2024-05-15T01:05:00Z',
      deviceId: 'server',
      deviceSeq: 7,
      data: { caseNumber: '（2024）向阳人调字第007号', year: 2024, committeeId: 'cmt-1', sequence: 7 },
      seq: 2,
      authorId: 'system',
      receivedAt: '2024-05-15T01:05:00Z',
    } as StoredEvent;
    await applyPulled([numbered], 2);
    await show();
    expect(host.textContent).toContain('向阳村人民调解委员会（印章）');
    expect(host.textContent).toContain('（2024）向阳人调字第007号');
  });

  test('without acceptedOn it falls back to the registration day, and leaves out an unrecorded 纠纷发生日期', async () => {
    await openCase({});
    await show();
    expect(cell('受理日期')).toBe('2024年5月15日');
    expect(cell('纠纷发生日期')).toBeUndefined();
  });
});
