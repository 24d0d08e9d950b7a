import { describe, expect, test } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from '#shared/case-number';

describe('case numbers', () => {
  test('format with full-width parentheses and a 3-digit sequence', () => {
    expect(formatCaseNumber(2024, '江口', 1)).toBe('（2024）江口人调字第001号');
    expect(formatCaseNumber(2024, '江口', 42)).toBe('（2024）江口人调字第042号');
    expect(formatCaseNumber(2025, '向阳村', 1234)).toBe('（2025）向阳村人调字第1234号');
  });

  test('parse what was formatted, and ASCII parentheses', () => {
    expect(parseCaseNumber('（2024）江口人调字第001号')).toEqual({ year: 2024, committeeShortName: '江口', sequence: 1 });
    expect(parseCaseNumber('(2024)江口人调字第12号')).toEqual({ year: 2024, committeeShortName: '江口', sequence: 12 });
    expect(parseCaseNumber('江口人调字第001号')).toBeUndefined();
    expect(parseCaseNumber('（2024）江口人调字第000号')).toBeUndefined();
  });
});
