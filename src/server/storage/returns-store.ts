// What the returns (月报) need from the store beyond the office reads: the flagged cases of a
// town whatever year they were accepted in, the month's return frozen at 结账, the admin's
// mapping of local dispute types to the codes reported upward, and each mediator's 专职/兼职.
import type { MediatorEmployment } from '#shared/codes';
import type { CaseState } from '#shared/fold/index';
import type { UnitFilter } from './event-store.ts';

export interface ReturnSnapshot {
  /** The period close (period_closes.id) it was kept with. */
  closeId: string;
  orgUnitId: string;
  year: number;
  month: number;
  /** JSON of the return as it stood at closing. */
  body: string;
}

export interface UpwardTypeEntry {
  localCode: string;
  upwardCode: string;
  upwardLabel: string;
}

export interface ReturnsStore {
  /** Cases (not voided) of the units with at least one 结果标记 set. */
  listFlaggedCases(units: UnitFilter): Promise<CaseState[]>;
  /** 'duplicate' when the unit's month already has one (nothing is written). */
  insertReturnSnapshot(snapshot: ReturnSnapshot): Promise<'ok' | 'duplicate'>;
  returnSnapshot(orgUnitId: string, year: number, month: number): Promise<ReturnSnapshot | undefined>;
  /** The mapping, by local code. */
  listUpwardTypes(): Promise<UpwardTypeEntry[]>;
  /** Replaces the whole mapping in one transaction. */
  replaceUpwardTypes(entries: readonly UpwardTypeEntry[], by: string, at: Date): Promise<void>;
  listMediatorEmployment(): Promise<{ userId: string; employment: MediatorEmployment }[]>;
  setMediatorEmployment(userId: string, employment: MediatorEmployment, at: Date): Promise<void>;
}
