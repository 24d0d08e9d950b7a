// @vitest-environment happy-dom
// 机关台账 follows the `kind=` the report's figures link with: the form registers that kind, the
// list shows only its entries, and changing the kind keeps it in the URL (a reload or a shared
// link shows the same). The server is a stubbed fetch, the one thing the office screen talks to.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider } from 'preact-iso';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import OfficeScreen from '../../../../src/app/screens/Office/index.tsx';
import { ledgerKindOf } from '../../../../src/app/screens/Office/Ledgers.tsx';
import { session } from '../../../../src/app/session/state.ts';
import { todayLocal } from '../../../../src/app/format.ts';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;

const item = (subjectId: string, entry: Record<string, unknown>) => ({
  subjectId,
  eventId: `e-${subjectId}`,
  orgUnitId: 'town',
  authorId: 'u',
  occurredAt: '2024-06-01T09:00:00+08:00',
  voided: false,
  entry,
});
const LIST = {
  items: [item('s1', { kind: 'disclosure', count: 63, title: '财政预算' }), item('s2', { kind: 'study', form: 'collective', count: 2 })],
  figures: { disclosureItems: 63, studySessions: 2 },
};

beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
  session.value = {
    token: 't',
    user: { id: 'u', username: 'u', displayName: '王主任', roles: [{ role: 'office', orgUnitId: 'town' }] },
    orgUnits: [{ id: 'town', parentId: null, kind: 'town', name: '江口镇' }],
    expiresAt: Date.now() + 1e9,
  };
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(LIST), { status: 200, headers: { 'content-type': 'application/json' } }));
});
afterEach(() => {
  render(null, host);
  host.remove();
  session.value = null;
  vi.unstubAllGlobals();
});

const rows = () => [...host.querySelectorAll('.office-table tbody tr')].map((r) => r.textContent ?? '');
const kindSelect = () => {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('台账类型'));
  return label?.querySelector('select') as HTMLSelectElement;
};

async function show(path: string) {
  history.replaceState(null, '', path);
  render(
    <LocationProvider>
      <OfficeScreen />
    </LocationProvider>,
    host,
  );
  await waitUntil(
    () => rows().length > 0,
    'the ledger list',
    () => host.textContent ?? '',
  );
}

describe('机关台账', () => {
  test('reads the kind from a link and ignores one it does not know', () => {
    expect(ledgerKindOf('year=2024&kind=disclosure')).toBe('disclosure');
    expect(ledgerKindOf('year=2024&kind=nonsense')).toBeUndefined();
    expect(ledgerKindOf('year=2024')).toBeUndefined();
  });

  test('a link with kind= shows only that kind, and the form registers it', async () => {
    await show('/office/ledgers?year=2024&orgUnitId=town&kind=disclosure');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toContain('政务公开');
    expect(kindSelect().value).toBe('disclosure');
  });

  test('without kind= every entry is listed; choosing a kind puts it in the URL and narrows the list', async () => {
    await show('/office/ledgers?year=2024&orgUnitId=town');
    expect(rows()).toHaveLength(2);
    await act(() => {
      const select = kindSelect();
      select.value = 'study';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitUntil(
      () => rows().length === 1,
      'the narrowed list',
      () => host.textContent ?? '',
    );
    expect(new URLSearchParams(location.search).get('kind')).toBe('study');
    expect(new URLSearchParams(location.search).get('orgUnitId')).toBe('town');
    expect(rows()[0]).toContain('学法');
    expect(kindSelect().value).toBe('study');
  });

  const dateInput = () => [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('日期'))!.querySelector('input')!;
  const posts = () => vi.mocked(fetch).mock.calls.filter(([, init]) => init?.method === 'POST');

  test('the date starts on the year’s last day, or today while the year runs', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(LIST), { status: 200, headers: { 'content-type': 'application/json' } })),
    );
    await show('/office/ledgers?year=2024&orgUnitId=town');
    expect(dateInput().value).toBe('2024-12-31');
    render(null, host);
    const now = new Date();
    await show(`/office/ledgers?year=${now.getFullYear()}&orgUnitId=town`);
    expect(dateInput().value).toBe(todayLocal());
  });

  test('a date outside the page’s year or after today is refused at the form, nothing sent', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(LIST), { status: 200, headers: { 'content-type': 'application/json' } })),
    );
    await show('/office/ledgers?year=2024&orgUnitId=town&kind=disclosure');
    const count = [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('公开条数'))!.querySelector('input')!;
    const submitWith = async (date: string) => {
      await act(() => {
        dateInput().value = date;
        dateInput().dispatchEvent(new Event('input', { bubbles: true }));
        count.value = '5';
        count.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await act(() => {
        host.querySelector('form.ledger-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      });
      return host.querySelector('[role="alert"]')?.textContent ?? '';
    };
    expect(await submitWith('2026-05-01')).toBe('日期应在2024年内（本页是2024年的台账）');
    expect(await submitWith('2023-12-31')).toBe('日期应在2024年内（本页是2024年的台账）');
    expect(posts()).toHaveLength(0);
    // Said at the date field, which gets the cursor.
    expect(dateInput().getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(dateInput().getAttribute('aria-describedby')!)?.textContent).toBe('日期应在2024年内（本页是2024年的台账）');
    expect(document.activeElement).toBe(dateInput());
  });

  const countInput = () => [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('公开条数'))!.querySelector('input')!;
  async function submitCount(value: string) {
    await act(() => {
      countInput().value = value;
      countInput().dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(() => {
      host.querySelector('form.ledger-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(() => new Promise((r) => setTimeout(r, 0)));
  }
  const fieldMessage = (input: HTMLElement) => document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent ?? '';

  test('a negative or decimal count is refused in Chinese at its field, focused; the browser has no say', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(LIST), { status: 200, headers: { 'content-type': 'application/json' } })),
    );
    await show('/office/ledgers?year=2024&orgUnitId=town&kind=disclosure');
    // No constraint the browser would check in its own (English) words.
    expect(host.querySelector<HTMLFormElement>('form.ledger-form')!.noValidate).toBe(true);
    expect(countInput().type).toBe('text');
    expect(countInput().hasAttribute('min')).toBe(false);
    for (const [typed, message] of [
      ['-3', '条数不能为负数'],
      ['1.5', '条数应为整数'],
    ] as const) {
      await submitCount(typed);
      expect(countInput().getAttribute('aria-invalid')).toBe('true');
      expect(fieldMessage(countInput())).toBe(message);
      expect(countInput().closest('label')!.querySelector('.field-error')?.textContent).toBe(message);
      expect(document.activeElement).toBe(countInput());
    }
    expect(posts()).toHaveLength(0);
  });

  test('the server’s refusal naming a field is said at that field; one naming none under the form', async () => {
    // As the server words a schema refusal: the field in `field`, and its path still leading the message for older apps.
    let refusal: Record<string, unknown> = { code: 'invalid_body', message: 'entry.count: 条数不能超过 100000', field: 'entry.count' };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'POST'
          ? new Response(JSON.stringify({ error: refusal }), { status: 422, headers: { 'content-type': 'application/json' } })
          : new Response(JSON.stringify(LIST), { status: 200, headers: { 'content-type': 'application/json' } }),
      ),
    );
    await show('/office/ledgers?year=2024&orgUnitId=town&kind=disclosure');
    await submitCount('5');
    await waitUntil(
      () => countInput().getAttribute('aria-invalid') === 'true',
      'the refusal at the count',
      () => host.textContent ?? '',
    );
    expect(fieldMessage(countInput())).toBe('条数不能超过 100000');
    expect(document.activeElement).toBe(countInput());
    expect(host.querySelector('.form-error')).toBeNull();

    refusal = { code: 'forbidden', message: '没有权限登记该单位的台账' };
    await submitCount('6');
    await waitUntil(
      () => host.querySelector('.form-error') !== null,
      'the refusal under the form',
      () => host.textContent ?? '',
    );
    expect(host.querySelector('.form-error')!.textContent).toBe('没有权限登记该单位的台账');
    expect(countInput().hasAttribute('aria-invalid')).toBe(false);
  });
});
