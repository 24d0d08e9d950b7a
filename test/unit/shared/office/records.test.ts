// The drill-down link: what the report and the dashboard build is what the route accepts.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { recordsApiHref, recordsPageHref, RecordsQuery } from '#shared/office/records';

function queryOf(href: string): Record<string, string> {
  return Object.fromEntries(new URL(href, 'http://x').searchParams);
}

describe('records links', () => {
  it('round-trips through the route schema with every filter', () => {
    const link = { metric: 'resolved', year: 2024, orgUnitId: 'jk', month: 12, unit: 'jk-v1', type: '01', channel: 'court' } as const;
    const parsed = v.parse(RecordsQuery, queryOf(recordsPageHref(link)));
    expect(parsed).toEqual(link);
    expect(recordsApiHref(link)).toBe('/api/office/records?metric=resolved&year=2024&orgUnitId=jk&month=12&unit=jk-v1&type=01&channel=court');
  });

  it('escapes values and leaves out what is not set', () => {
    expect(recordsPageHref({ metric: 'outreach', year: 2024, orgUnitId: 'a.b', campaign: 'x&y' })).toBe(
      '/office/records?metric=outreach&year=2024&orgUnitId=a.b&campaign=x%26y',
    );
  });

  it('refuses unknown metrics, bad years and months', () => {
    expect(v.safeParse(RecordsQuery, { metric: 'everything', year: '2024', orgUnitId: 'jk' }).success).toBe(false);
    expect(v.safeParse(RecordsQuery, { metric: 'resolved', year: '24', orgUnitId: 'jk' }).success).toBe(false);
    expect(v.safeParse(RecordsQuery, { metric: 'resolved', year: '2024', orgUnitId: 'jk', month: '13' }).success).toBe(false);
    expect(v.safeParse(RecordsQuery, { metric: 'resolved', year: '2024', orgUnitId: "jk' OR 1=1" }).success).toBe(false);
  });
});
