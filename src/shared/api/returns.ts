// The returns' API (/api/returns/*): the monthly return of a town (office and admin within
// their scope), its .xlsx, the upward dispute-type mapping (read by office, edited by admin) and
// each mediator's 专职/兼职 (admin). The return's own shapes are #shared/returns/monthly.
import * as v from 'valibot';
import { codesOf, MEDIATOR_EMPLOYMENT } from '../codes.ts';

const counts = v.record(v.string(), v.number());
const Period = v.object({ from: v.string(), to: v.string() });
const ReturnRow = v.object({
  unitId: v.string(),
  name: v.string(),
  level: v.picklist(['village', 'town', 'total']),
  month: counts,
  ytd: counts,
  lastYear: counts,
});
const LeagueRow = v.object({
  unitId: v.string(),
  name: v.string(),
  rank: v.number(),
  /** Added after the first returns were frozen: those were all shown ranked. */
  ranked: v.optional(v.boolean(), true),
  quality: v.number(),
  mediated: v.number(),
  resolved: v.number(),
  successRate: v.number(),
});
const Half = v.object({ count: v.number(), zeroReports: v.number(), disputesFound: v.number() });

export const MonthlyReturnBody = v.object({
  orgUnitId: v.string(),
  unitName: v.string(),
  title: v.string(),
  periodLabel: v.string(),
  madeAt: v.string(),
  report: v.object({
    year: v.number(),
    month: v.number(),
    periods: v.object({ month: Period, ytd: Period, lastYear: Period }),
    rows: v.array(ReturnRow),
    league: v.array(LeagueRow),
  }),
  upwardTypes: v.array(v.object({ code: v.string(), label: v.string(), month: v.number(), ytd: v.number(), lastYear: v.number() })),
  halfMonth: v.array(v.object({ id: v.string(), name: v.string(), parentName: v.string(), first: Half, second: Half })),
  registry: v.object({
    committees: counts,
    committeeTotal: v.number(),
    mediators: v.object({ total: v.number(), fullTime: v.number(), partTime: v.number() }),
  }),
});
export type MonthlyReturnBody = v.InferOutput<typeof MonthlyReturnBody>;

/** GET /api/returns/monthly: the return, frozen when its month is closed (结账). */
export const MonthlyReturnResponse = v.object({
  ...MonthlyReturnBody.entries,
  frozen: v.nullable(
    v.object({
      closedAt: v.string(),
      closedByName: v.string(),
      /** Whether the return was kept at closing (closes made before returns existed kept none: the figures are today's). */
      kept: v.boolean(),
      lateCount: v.number(),
      late: v.array(
        v.object({
          id: v.string(),
          type: v.string(),
          subjectId: v.string(),
          orgUnitName: v.string(),
          occurredAt: v.string(),
          receivedAt: v.string(),
        }),
      ),
    }),
  ),
});
export type MonthlyReturnResponse = v.InferOutput<typeof MonthlyReturnResponse>;

const Code = v.pipe(v.string('请填写上报代码'), v.trim(), v.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$/, '上报代码为 1–20 位字母、数字、点、横线或下划线'));
const Label = v.pipe(v.string('请填写上报名称'), v.trim(), v.minLength(1, '请填写上报名称'), v.maxLength(40, '上报名称不超过 40 字'));

const UpwardTypeEntry = v.object({
  localCode: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  upwardCode: Code,
  upwardLabel: Label,
});

/** GET /api/returns/type-map: every local type with what it reports as (mapped or default). */
export const TypeMapResponse = v.object({
  types: v.array(
    v.object({
      localCode: v.string(),
      localLabel: v.string(),
      upwardCode: v.string(),
      upwardLabel: v.string(),
      /** Set by the admin (else the default: the national category). */
      mapped: v.boolean(),
    }),
  ),
});
export type TypeMapResponse = v.InferOutput<typeof TypeMapResponse>;

/** PUT /api/returns/type-map: the whole mapping (rows equal to the default may be left out). */
export const TypeMapRequest = v.object({ entries: v.pipe(v.array(UpwardTypeEntry), v.maxLength(500, '对照表不超过 500 行')) });
export type TypeMapRequest = v.InferInput<typeof TypeMapRequest>;

const Employment = v.picklist(codesOf(MEDIATOR_EMPLOYMENT), '请选择专职或兼职');

/** GET /api/returns/mediators?orgUnitId=…: the mediators the return counts, with 专职/兼职. */
export const MediatorsResponse = v.object({
  mediators: v.array(
    v.object({ userId: v.string(), username: v.string(), displayName: v.string(), units: v.string(), employment: Employment, disabled: v.boolean() }),
  ),
});
export type MediatorsResponse = v.InferOutput<typeof MediatorsResponse>;

/** PUT /api/returns/mediators/:userId. */
export const EmploymentRequest = v.object({ employment: Employment });
