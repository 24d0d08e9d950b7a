// @vitest-environment happy-dom
// The annual report screen offers 定稿 for the current year and earlier, never for a year not yet
// begun (the server refuses it: its frozen text would stand with none of the year's records).
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { localDateOf } from '#shared/time';
import type { OfficeApi, ReportAnswer } from '../../../../src/app/screens/Office/api.ts';
import { ReportView } from '../../../../src/app/screens/Office/ReportView.tsx';
import { waitUntil } from './support/screen.ts';

let host: HTMLElement;
beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
});
afterEach(() => {
  render(null, host);
  host.remove();
});

const draftOf = (year: number): ReportAnswer => ({
  year,
  orgUnitId: 'town',
  title: `江口镇${year}年度法治政府建设情况报告`,
  status: 'draft',
  rounded: false,
  paragraphs: [{ style: 'body', spans: [{ kind: 'text', text: '正文' }] }],
  figures: {},
  placeholders: [],
});
const apiFor = (year: number) => ({ report: async () => ({ ok: true, status: 200, body: draftOf(year) }) }) as unknown as OfficeApi;

async function show(year: number) {
  render(<ReportView api={apiFor(year)} search={`?year=${year}&orgUnitId=town`} />, host);
  await waitUntil(
    () => !!host.querySelector('article'),
    'the draft',
    () => host.textContent ?? '',
  );
}
const finaliseButton = () => [...host.querySelectorAll('button')].find((b) => b.textContent === '定稿');
const thisYear = Number(localDateOf(new Date().toISOString()).slice(0, 4));

describe('定稿 button', () => {
  test('is offered for the current year', async () => {
    await show(thisYear);
    expect(finaliseButton()).toBeDefined();
  });

  test('is not offered for a year not yet begun, and says why', async () => {
    await show(thisYear + 1);
    expect(finaliseButton()).toBeUndefined();
    expect(host.textContent).toContain(`${thisYear + 1}年尚未开始，不能定稿`);
  });
});
