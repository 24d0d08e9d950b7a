// A register is streamed a page at a time (routes/exports.ts pagesOf). Each page starts after
// the last row of the one before (date, then subject id), not at an offset: a record that
// arrives between two pages — phones sync while the office downloads — neither repeats a row
// nor drops one. Then a register longer than a page comes out whole through HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseQuery } from '../../src/server/storage/office-store.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, push, seedTownship, TOWN, type Township } from './support/sync-fixtures.ts';

const day = (i: number) => `2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 2).padStart(2, '0')}T09:00:00+08:00`;

describe.each(storeCases())('register pages on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  it('a record arriving between two pages neither repeats nor drops a row', async () => {
    const first = Array.from({ length: 30 }, (_, i) => caseOpened(G1, day(i)));
    expect((await push(t(), town.tokens.grid1!, first)).status).toBe(200);
    const query: CaseQuery = { year: 2023, fromMonth: 1, toMonth: 12, units: [G1], basis: 'opened', limit: 10 };
    const page1 = await t().store.listCases(query);
    expect(page1.items).toHaveLength(10);

    // Five cases accepted on New Year's Day: they sort before every row already sent.
    const early = Array.from({ length: 5 }, () => caseOpened(G1, '2023-01-01T08:00:00+08:00'));
    expect((await push(t(), town.tokens.grid1!, early)).status).toBe(200);

    const rest = [];
    let last = page1.last;
    for (;;) {
      const page = await t().store.listCases({ ...query, after: last });
      rest.push(...page.items);
      if (page.items.length < query.limit) break;
      last = page.last;
    }
    const sent = [...page1.items, ...rest].map((c) => c.subjectId);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent).toEqual(expect.arrayContaining(first.map((e) => e.subjectId)));
    expect(sent).toHaveLength(30);
    // What an offset would have done: the second page starts five rows back, in what page 1 sent.
    const byOffset = await t().store.listCases({ ...query, offset: 10 });
    expect(byOffset.items.filter((c) => page1.items.some((p) => p.subjectId === c.subjectId))).toHaveLength(5);
  });

  it('a register longer than a page comes out whole, each case once', async () => {
    const cases = Array.from({ length: 2_100 }, (_, i) => caseOpened(G1, day(i).replace('2023', '2022')));
    for (let i = 0; i < cases.length; i += 500) expect((await push(t(), town.tokens.grid1!, cases.slice(i, i + 500))).status).toBe(200);
    const res = await t().request('GET', `/api/exports/cases.csv?year=2022&orgUnitId=${TOWN}`, { token: town.tokens.office! });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(2_100);
    expect(new Set(lines.map((l) => l.split(',')[0])).size).toBe(2_100);
  });
});
