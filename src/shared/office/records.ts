// The drill-down contract: which records stand behind a figure. Every number on the office
// screens and in the annual report links to GET /api/office/records with these parameters,
// and the server lists the records the figure counts, filtered on the same columns the
// statistics group by. One schema for the link builder (app, report) and the route.
import * as v from 'valibot';

/** What a figure counts; see STAT_DEFINITIONS for each definition. */
export const RECORD_METRICS = [
  { code: 'accepted', label: '受理', kind: 'case' },
  { code: 'closed', label: '结案', kind: 'case' },
  { code: 'resolved', label: '化解', kind: 'case' },
  { code: 'failed', label: '未化解', kind: 'case' },
  { code: 'outreach', label: '法治宣讲', kind: 'outreach' },
  { code: 'sweeps', label: '矛盾纠纷排查', kind: 'sweep' },
  { code: 'zero_reports', label: '零报告', kind: 'sweep' },
] as const;
export type RecordMetric = (typeof RECORD_METRICS)[number]['code'];

const metricCodes = RECORD_METRICS.map((m) => m.code) as [RecordMetric, ...RecordMetric[]];

const intIn = (min: number, max: number, what: string) =>
  v.pipe(v.string(), v.regex(/^\d{1,4}$/, `${what}应为数字`), v.transform(Number), v.minValue(min, `${what}不对`), v.maxValue(max, `${what}不对`));
const code = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_:.-]{1,64}$/, '代码格式不对'));

/** Query-string form of a drill-down (all values are strings on the wire). */
export const RecordsQuery = v.object({
  metric: v.picklist(metricCodes, '未知的统计项'),
  year: intIn(2000, 2200, '年份'),
  orgUnitId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, '组织编号格式不对')),
  month: v.optional(intIn(1, 12, '月份')),
  quarter: v.optional(intIn(1, 4, '季度')),
  /** Narrow to the subtree of one unit below orgUnitId (a village, a grid); orgUnitId itself: its own records (本级). */
  unit: v.optional(code),
  type: v.optional(code),
  /** 对接渠道 as in #shared/stats/summary CHANNELS. */
  channel: v.optional(code),
  agreement: v.optional(code),
  form: v.optional(code),
  theme: v.optional(code),
  campaign: v.optional(code),
  page: v.optional(intIn(1, 9999, '页码')),
  pageSize: v.optional(intIn(1, 500, '每页条数')),
});
export type RecordsQuery = v.InferOutput<typeof RecordsQuery>;

export type RecordsLink = { metric: RecordMetric; year: number; orgUnitId: string } & Partial<
  Record<'month' | 'quarter', number> & Record<'unit' | 'type' | 'channel' | 'agreement' | 'form' | 'theme' | 'campaign', string>
>;

const LINK_KEYS = ['metric', 'year', 'orgUnitId', 'month', 'quarter', 'unit', 'type', 'channel', 'agreement', 'form', 'theme', 'campaign'] as const;

function searchOf(link: RecordsLink): string {
  const parts: string[] = [];
  for (const k of LINK_KEYS) {
    const value = link[k];
    if (value !== undefined) parts.push(`${k}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

/** The office screen that lists the records behind a figure. */
export function recordsPageHref(link: RecordsLink): string {
  return `/office/records?${searchOf(link)}`;
}

/** The API that returns them. */
export function recordsApiHref(link: RecordsLink): string {
  return `/api/office/records?${searchOf(link)}`;
}
