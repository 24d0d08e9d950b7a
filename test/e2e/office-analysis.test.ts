// Office staff at 1366×768: the pivot and the 同比/环比 table show the numbers computed from a
// known set of pushed events, a pivot cell opens exactly its records, the completeness table
// marks grids that did not report, and the one-page summary prints on one A4 page.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhone, type Phone } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { createUser, loginInUi, seedTown, type SeededTown } from './support/session.ts';

let seq = 0;
const event = (type: string, subjectId: string, orgUnitId: string, occurredAt: string, data: Record<string, unknown>) => ({
  id: uuidv7(),
  subjectId,
  orgUnitId,
  occurredAt,
  recordedAt: occurredAt,
  deviceId: 'dev-e2e-analysis',
  deviceSeq: ++seq,
  type,
  data,
});
/** A case opened and closed on the given local dates. */
function kase(orgUnitId: string, openedOn: string, closedOn: string, result: 'success' | 'failure', disputeType = '02') {
  const id = uuidv7();
  return [
    event('case.opened', id, orgUnitId, `${openedOn}T09:00:00+08:00`, {
      disputeType,
      source: 'application',
      summary: '邻里之间因排水沟发生争执',
      parties: [
        { role: 'applicant', name: '张某' },
        { role: 'respondent', name: '李某' },
      ],
    }),
    event('case.closed', id, orgUnitId, `${closedOn}T10:00:00+08:00`, { result, agreementForm: result === 'success' ? 'written' : 'none' }),
  ];
}

describe('office analysis: pivot, 同比/环比, completeness, one-page summary', () => {
  let server: RunningServer;
  let phone: Phone;
  let town: SeededTown;
  beforeAll(async () => {
    server = await startServer();
    town = await seedTown(server.url);
    await createUser(server.url, town.adminToken, {
      username: 'office1',
      password: 'office-pass-123',
      displayName: '综治办',
      roles: [{ role: 'office', orgUnitId: town.townId }],
    });
    const events = [
      // January 2024: two resolved (婚姻家庭 in grid 1, 邻里 in grid 2); February: one failed at the committee.
      ...kase(town.gridId, '2024-01-05', '2024-01-10', 'success', '01'),
      ...kase(town.otherGridId, '2024-01-06', '2024-01-20', 'success', '02'),
      ...kase(town.committeeId, '2024-02-01', '2024-02-10', 'failure', '02'),
      // 同比 base: one resolved in January 2023; 环比 base: four resolved in December 2023.
      ...kase(town.gridId, '2023-01-03', '2023-01-15', 'success'),
      ...[1, 2, 3, 4].flatMap((d) => kase(town.gridId, `2023-12-0${d}`, `2023-12-1${d}`, 'success')),
      // Only grid 1 swept in January 2024.
      event('sweep.recorded', uuidv7(), town.gridId, '2024-01-15T09:00:00+08:00', { households: 30, disputesFound: 0 }),
    ];
    const r = await fetch(`${server.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${town.adminToken}` },
      body: JSON.stringify({ deviceId: 'dev-e2e-analysis', events }),
    });
    const body = (await r.json()) as { results: { status: string }[] };
    expect(body.results.every((x) => x.status === 'applied')).toBe(true);
    phone = await openPhone();
    await phone.page.setViewportSize({ width: 1366, height: 768 });
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('the pivot shows the events counted by type × month and by result, and a cell opens its records', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office/pivot?year=2024&orgUnitId=${town.townId}&measure=resolved&rows=type&cols=month`);
    await loginInUi(page, 'office1', 'office-pass-123');
    const table = page.getByTestId('pivot-table');
    const cell = (row: string, col: string) => table.locator(`tr[data-row="${row}"] [data-col="${col}"]`);
    await expect.poll(() => cell('01', '1').textContent(), { timeout: 30_000 }).toBe('1');
    expect(await cell('02', '1').textContent()).toBe('1');
    expect(await cell('02', '2').textContent()).toBe('0');
    expect(await cell('total', 'total').textContent()).toBe('2');

    await page.getByLabel('指标').selectOption('closed');
    await page.getByLabel('行').selectOption('result');
    await page.getByLabel('对比').selectOption('yoy');
    await page.waitForURL(/measure=closed&rows=result&cols=month&compare=yoy/);
    await expect.poll(() => cell('not_success', '2').textContent(), { timeout: 30_000 }).toBe('1');
    expect(await cell('success', '1').textContent()).toBe('2');
    expect(await cell('total', 'total').textContent()).toBe('3');
    // 同比 on the total: 3 closed against 5 in 2023.
    expect(await cell('total', 'change').textContent()).toBe('-40.0%');

    await cell('success', '1').getByRole('link').click();
    await page.waitForURL(/\/office\/records\?metric=resolved/);
    await expect.poll(() => page.getByTestId('records-total').textContent(), { timeout: 30_000 }).toBe('2');
  });

  it('the dashboard’s 同比/环比: January against last January and last December, "—" on a zero base', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office?year=2024&month=1&orgUnitId=${town.townId}`);
    const table = page.getByTestId('compare-table');
    await expect.poll(() => table.getByTestId('yoy-resolved').textContent(), { timeout: 30_000 }).toBe('+100.0%');
    expect(await table.getByTestId('mom-resolved').textContent()).toBe('-50.0%');
    expect(await table.getByText('上期（2023年12月）').count()).toBe(1);
    expect(await table.getByTestId('yoy-sessions').textContent()).toBe('—');
    expect(await table.getByTestId('yoy-sweeps').textContent()).toBe('—');
  });

  it('completeness marks the grid that did not report; the one-page summary fits one A4 page', async () => {
    const { page } = phone;
    await page.goto(`${server.url}/office/completeness?year=2024&month=1&orgUnitId=${town.townId}`);
    const grid = page.getByTestId('completeness-grid');
    await expect.poll(() => grid.locator(`tr[data-grid="${town.otherGridId}"] td[data-month="1"]`).textContent(), { timeout: 30_000 }).toBe('未报');
    // Received now, long after January 2024's deadline: reported, but late.
    expect(await grid.locator(`tr[data-grid="${town.gridId}"] td[data-month="1"]`).textContent()).toBe('迟报（1次）');
    expect(await page.getByTestId('completeness-rates').locator('tr[data-village="total"]').textContent()).toContain('50%');

    // This month's deadline has not passed: a grid without a sweep is still 待报, not 未报.
    const [y, m] = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7).split('-').map(Number) as [number, number];
    await page.goto(`${server.url}/office/completeness?year=${y}&month=${m}&orgUnitId=${town.townId}`);
    await expect
      .poll(() => grid.locator(`tr[data-grid="${town.otherGridId}"] td[data-month="${m}"]`).textContent(), { timeout: 30_000 })
      .toMatch(/^待报（\d\d-\d\d前）$/);

    await page.goto(`${server.url}/office/meeting-summary?year=2024&orgUnitId=${town.townId}`);
    await page.getByTestId('meeting-completeness').waitFor({ timeout: 30_000 });
    await page.getByTestId('compare-table').waitFor();
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages).toHaveLength(1);
  });
});
