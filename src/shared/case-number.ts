// Official case numbers: "（2024）江口人调字第001号" = （year）+ committee short name + 人调字第 +
// sequence + 号. The server allocates the sequence per (committee, year) when a case first
// arrives, so that two offline phones never mint the same number.

export interface CaseNumberParts {
  year: number;
  committeeShortName: string;
  sequence: number;
}

/** "（2024）江口人调字第001号": full-width parentheses, sequence zero-padded to 3 digits. */
export function formatCaseNumber(year: number, committeeShortName: string, sequence: number): string {
  return `（${year}）${committeeShortName.trim()}人调字第${String(sequence).padStart(3, '0')}号`;
}

const CASE_NUMBER = /^[（(]\s*(\d{4})\s*[）)]\s*(.*?)\s*人调字\s*第\s*(\d+)\s*号$/u;

/** Reads a case number typed or printed either with full-width or ASCII parentheses. */
export function parseCaseNumber(text: string): CaseNumberParts | undefined {
  const m = CASE_NUMBER.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
  const sequence = Number(m[3]);
  if (!Number.isSafeInteger(sequence) || sequence < 1) return undefined;
  return { year: Number(m[1]), committeeShortName: m[2], sequence };
}
