// The office ledgers' figures for the annual report (法律顾问, 行政复议/诉讼, 行政执法, 政务公开,
// 应急, 学法). They are events of their own types in the same log; until a year has any, every
// one of these figures stays a placeholder in the draft.
import type { LedgerFigures } from '../reports/model.ts';
import type { OfficeStore } from '../storage/office-store.ts';

export async function ledgerFiguresOf(_store: OfficeStore, _units: readonly string[], _year: number, _timeZone: string): Promise<LedgerFigures> {
  return {};
}
