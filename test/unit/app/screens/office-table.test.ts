// The office records table's order and page live in the URL next to the filters: sorting orders
// every loaded row (empty cells last), and the API never sees the table's own keys.
import { describe, expect, test } from 'vitest';
import { filtersOnly, sortRows, tableViewOf, withTableView } from '../../../../src/app/screens/Office/table.ts';

const rows = [
  { caseNumber: '（2024）江口村人调字第010号', openedDate: '2024-03-01', audience: 5 },
  { caseNumber: '（2024）江口村人调字第002号', openedDate: '', audience: 40 },
  { caseNumber: '（2024）复兴村人调字第001号', openedDate: '2024-01-05', audience: null },
];

describe('records table', () => {
  test('sorts case numbers by their number, dates and counts, empty cells last both ways', () => {
    expect(sortRows(rows, 'caseNumber', 'asc').map((r) => r.caseNumber)).toEqual([
      '（2024）复兴村人调字第001号',
      '（2024）江口村人调字第002号',
      '（2024）江口村人调字第010号',
    ]);
    expect(sortRows(rows, 'openedDate', 'desc').map((r) => r.openedDate)).toEqual(['2024-03-01', '2024-01-05', '']);
    expect(sortRows(rows, 'audience', 'asc').map((r) => r.audience)).toEqual([5, 40, null]);
    expect(sortRows(rows, 'audience', 'desc').map((r) => r.audience)).toEqual([40, 5, null]);
    expect(sortRows(rows, undefined, 'asc')).toEqual(rows);
  });

  test('the view round-trips through the URL and keeps the filters', () => {
    const search = 'metric=resolved&year=2024&orgUnitId=500235110&type=03';
    const next = withTableView(search, { sort: 'openedDate', dir: 'desc', page: 3 });
    expect(tableViewOf(next)).toEqual({ sort: 'openedDate', dir: 'desc', page: 3 });
    expect(new URLSearchParams(next).get('type')).toBe('03');
    expect(filtersOnly(next).toString()).toBe(search);
    expect(withTableView(next, { sort: undefined, page: 1 })).toBe(search);
  });
});
