// @vitest-environment happy-dom
// The phone's start (src/app/first-screen.ts) over fake-indexeddb: the entry reads the cached
// session and, on /cases, the list's first page before the app renders, each handed out once;
// the case list's first render already shows that page (its first rows, the rest a task
// later); and deferred work waits for the first screen to say it is shown.
import 'fake-indexeddb/auto';
import { expect, test, vi } from 'vitest';
import { settle, useScreenHost, waitUntil } from './screens/support/screen.ts';
import { META_SESSION, writeMeta } from '../../../src/app/storage/meta.ts';
import { closeDb, recordEvents, type NewEvent } from '../../../src/app/storage/index.ts';

let host: HTMLElement;
useScreenHost((h) => (host = h));

const uuid = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

function opened(n: number): NewEvent {
  return {
    type: 'case.opened',
    subjectId: uuid(n),
    orgUnitId: 'grid-1',
    occurredAt: `2024-05-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00+08:00`,
    data: { disputeType: '02', source: 'application', summary: '宅基地边界', parties: [{ role: 'applicant', name: `张${n}` }] },
  };
}

/** The module as a fresh page loads it (its reads and its "shown" are per page). */
async function freshStart() {
  vi.resetModules();
  return import('../../../src/app/first-screen.ts');
}

test('the session read the entry started is the controller’s first load, once', async () => {
  await writeMeta(META_SESSION, { token: 't' });
  await closeDb();
  const start = await freshStart();
  expect(start.takeSessionRead()).toBeUndefined();
  start.startFirstScreen('/', '');
  await expect(start.takeSessionRead()).resolves.toEqual({ token: 't' });
  expect(start.takeSessionRead()).toBeUndefined();
});

test('only an unfiltered start on /cases reads the list’s first page early', async () => {
  const other = await freshStart();
  other.startFirstScreen('/cases/new', '');
  expect(other.takeFirstCasePage()).toBeUndefined();
  const filtered = await freshStart();
  filtered.startFirstScreen('/cases', '?due=followup');
  expect(filtered.takeFirstCasePage()).toBeUndefined();
  const list = await freshStart();
  list.startFirstScreen('/cases', '');
  const page = list.takeFirstCasePage();
  await expect(page?.promise).resolves.toEqual({ rows: [], total: 0 });
  expect(list.takeFirstCasePage()).toBeUndefined();
});

test('the case list’s first render shows the page the entry read: its first rows, then the rest', async () => {
  await recordEvents(Array.from({ length: 30 }, (_, i) => opened(i + 1)));
  await closeDb();
  const start = await freshStart();
  start.startFirstScreen('/cases', '');
  // The app's chunk arrives after the read (here: imported once the read is in).
  await waitUntil(async () => {
    await settle();
    return true;
  }, 'the early read');
  // Imported after the fresh start, so that the list and the test share its module state.
  const [{ render }, { LocationProvider, Route, Router }, { CaseList }] = await Promise.all([
    import('preact'),
    import('preact-iso'),
    import('../../../src/app/screens/CaseList/CaseList.tsx'),
  ]);
  render(
    <LocationProvider>
      <Router>{[<Route key="list" default component={CaseList} />]}</Router>
    </LocationProvider>,
    host,
  );
  // Synchronously after the first render, before any effect or query of the list has run.
  expect(host.querySelector('[role=status]')?.textContent).toBe('共 30 件');
  expect(host.querySelectorAll('.record-list li')).toHaveLength(12);
  await waitUntil(() => host.querySelectorAll('.record-list li').length === 30, 'the rest of the page');
});

test('deferred work waits until the first screen is shown', async () => {
  const start = await freshStart();
  let ran = false;
  void start.afterFirstScreen().then(() => (ran = true));
  await new Promise((r) => setTimeout(r, 300));
  expect(ran).toBe(false);
  start.firstScreenShown();
  await vi.waitFor(() => expect(ran).toBe(true));
});
