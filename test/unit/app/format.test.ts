// A date typed into a form becomes an instant only when it is on the calendar: 2月30日 is kept
// as typed for the event schema to refuse at its field, never rolled over to 3月2日.
import { describe, expect, test } from 'vitest';
import { parseEvent } from '#shared/events';
import { asciiForms, caseStatusLabel, countProblem, localInputToIso, parseAmount, parseCount } from '../../../src/app/format.ts';

describe('localInputToIso', () => {
  test('a real date becomes an instant on that day', () => {
    expect(localInputToIso('2024-02-29', '09:30').slice(0, 16)).toBe('2024-02-29T09:30');
  });

  test.each(['2025-02-30', '2023-02-29', '2024-04-31', '2024-13-01'])('%s is kept as typed and refused by the schema', (date) => {
    const at = localInputToIso(date);
    expect(at).toBe(date);
    const parsed = parseEvent({
      id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      type: 'sweep.recorded',
      subjectId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
      orgUnitId: 'grid-1',
      occurredAt: at,
      recordedAt: '2025-01-02T08:01:12.345Z',
      deviceId: 'dev-1',
      deviceSeq: 1,
      data: { households: 1, disputesFound: 0 },
    });
    expect([...new Set(parsed.ok ? [] : parsed.issues.map((i) => i.path))]).toEqual(['occurredAt']);
  });
});

describe('numbers as a Chinese keyboard types them', () => {
  test('full-width digits, point, minus and X are their ASCII twins; the ideographic space a space', () => {
    expect(asciiForms('１２．５－Ｘ　ａ')).toBe('12.5-X a');
    expect(parseCount('１２')).toBe(12);
    expect(parseAmount('３０００．５')).toBe(3000.5);
  });
  test('an amount with thousands separators or a trailing 元 is the amount; a bad grouping is not', () => {
    expect(parseAmount('5,000')).toBe(5000);
    expect(parseAmount('1,234,567.89')).toBe(1234567.89);
    expect(parseAmount('5，000 元')).toBe(5000);
    expect(parseAmount('5000元')).toBe(5000);
    expect(parseAmount('50,00')).toBeNaN();
    expect(parseAmount('')).toBeUndefined();
  });
  test('why a count is not one, named by its field', () => {
    expect(countProblem('涉及人数', '-1')).toBe('涉及人数不能为负数');
    expect(countProblem('涉及人数', '－３')).toBe('涉及人数不能为负数');
    expect(countProblem('年龄', '2.5')).toBe('年龄应为整数');
    expect(countProblem('年龄', '四十')).toBe('年龄应为数字');
  });
});

describe('the status a case reads', () => {
  const open = { status: 'open' as const, reopened: false, hasOpened: true };
  test('an open case no session was recorded for waits for its mediator: 待调解; with one it is 调解中', () => {
    expect(caseStatusLabel({ ...open, mediated: false })).toBe('待调解');
    expect(caseStatusLabel({ ...open, mediated: true })).toBe('调解中');
    // A list summary from before the field says nothing: as before.
    expect(caseStatusLabel(open)).toBe('调解中');
  });
  test('closed, voided, reopened and unregistered cases read as before, sessions or not', () => {
    expect(caseStatusLabel({ ...open, status: 'closed', closure: { result: 'success' }, mediated: false })).toBe('调解成功');
    expect(caseStatusLabel({ ...open, status: 'voided', mediated: false })).toBe('已作废');
    expect(caseStatusLabel({ ...open, reopened: true, mediated: false })).toBe('重新调解中');
    expect(caseStatusLabel({ ...open, hasOpened: false, mediated: false })).toBe('待登记信息');
  });
});
