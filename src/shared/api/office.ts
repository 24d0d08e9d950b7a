// The office screens' API (/api/office/*, office and admin within their scope): the records
// behind a figure, sweeps per grid, office ledgers, data quality and closing periods.
import * as v from 'valibot';
import { LedgerEntry } from '../office/ledgers.ts';
import { DeviceSync } from './devices.ts';

const counts = v.record(v.string(), v.number());
const UnitId = v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长'));

export const RecordsResponse = v.object({
  kind: v.picklist(['case', 'outreach', 'sweep']),
  total: v.number(),
  page: v.number(),
  pageSize: v.number(),
  period: v.optional(v.string()),
  rows: v.array(v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()]))),
});
export type RecordsResponse = v.InferOutput<typeof RecordsResponse>;

export const GridsResponse = v.object({
  period: v.string(),
  silent: v.number(),
  grids: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      parentName: v.string(),
      count: v.number(),
      zeroReports: v.number(),
      disputesFound: v.number(),
      lastDate: v.string(),
    }),
  ),
});
export type GridsResponse = v.InferOutput<typeof GridsResponse>;

export const LedgerRequest = v.object({
  orgUnitId: UnitId,
  date: v.pipe(v.string('请填写日期'), v.isoDate('日期应为 YYYY-MM-DD')),
  entry: LedgerEntry,
});
export type LedgerRequest = v.InferInput<typeof LedgerRequest>;
export const LedgerCreated = v.object({ subjectId: v.string(), id: v.string() });

export const LedgerVoidRequest = v.object({
  orgUnitId: UnitId,
  reason: v.pipe(v.string('请填写作废原因'), v.trim(), v.minLength(1, '请填写作废原因'), v.maxLength(500, '作废原因不超过 500 字')),
});
export type LedgerVoidRequest = v.InferInput<typeof LedgerVoidRequest>;

export const LedgerListResponse = v.object({
  items: v.array(
    v.object({
      subjectId: v.string(),
      eventId: v.string(),
      orgUnitId: v.string(),
      authorId: v.string(),
      occurredAt: v.string(),
      voided: v.boolean(),
      entry: v.record(v.string(), v.unknown()),
    }),
  ),
  figures: counts,
});
export type LedgerListResponse = v.InferOutput<typeof LedgerListResponse>;

const QualityItem = v.object({ subjectId: v.string(), orgUnitId: v.string(), orgUnitName: v.string(), date: v.string(), what: v.string() });
export const QualityResponse = v.object({
  /** The period the lists cover, as a person reads it ("2024年第1季度"). */
  period: v.optional(v.string()),
  overdueCases: v.array(QualityItem),
  followupsDue: v.array(QualityItem),
  resolvedWithoutAgreement: v.array(QualityItem),
  outreachWithoutPhotos: v.array(QualityItem),
  audienceOutliers: v.array(QualityItem),
  silentDevices: v.array(v.object({ ...DeviceSync.entries, lastSeenAt: v.nullable(v.string()) })),
});
export type QualityResponse = v.InferOutput<typeof QualityResponse>;

export const ClosePeriodRequest = v.object({
  orgUnitId: UnitId,
  year: v.pipe(v.number('年份应为数字'), v.integer('年份应为整数'), v.minValue(2000, '年份不对'), v.maxValue(2200, '年份不对')),
  month: v.optional(v.pipe(v.number('月份应为数字'), v.integer('月份应为整数'), v.minValue(1, '月份应为 1–12'), v.maxValue(12, '月份应为 1–12'))),
});
export type ClosePeriodRequest = v.InferInput<typeof ClosePeriodRequest>;
export const PeriodClosed = v.object({
  id: v.string(),
  year: v.number(),
  month: v.number(),
  closedAt: v.string(),
  closedByName: v.string(),
  summary: v.unknown(),
});

export const PeriodsResponse = v.object({
  periods: v.array(
    v.object({
      id: v.string(),
      year: v.number(),
      month: v.number(),
      label: v.string(),
      closedAt: v.string(),
      closedByName: v.string(),
      lateCount: v.number(),
      late: v.array(
        v.object({
          id: v.string(),
          type: v.string(),
          subjectId: v.string(),
          orgUnitId: v.string(),
          occurredAt: v.string(),
          receivedAt: v.string(),
          orgUnitName: v.string(),
        }),
      ),
      changes: v.array(v.object({ key: v.string(), label: v.string(), atClose: v.number(), now: v.number(), change: v.number() })),
    }),
  ),
});
export type PeriodsResponse = v.InferOutput<typeof PeriodsResponse>;
