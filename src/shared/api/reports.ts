// GET /api/reports/annual?format=json: the annual report draft as a document model (the
// docx and html formats are downloads and a print page).
import * as v from 'valibot';

const Span = v.variant('kind', [
  v.object({ kind: v.literal('text'), text: v.string() }),
  v.object({ kind: v.literal('figure'), key: v.string(), text: v.string(), href: v.optional(v.string()) }),
  v.object({ kind: v.literal('placeholder'), text: v.string() }),
]);
/** After 结账, once late records arrived: each closed figure as reported (报送) beside the live one. */
export const ReportedFigures = v.object({
  /** "2024年全年" */
  label: v.string(),
  closedAt: v.string(),
  closedByName: v.string(),
  lateCount: v.number(),
  figures: v.array(v.object({ key: v.string(), label: v.string(), atClose: v.number(), now: v.number(), change: v.number() })),
});
export type ReportedFigures = v.InferOutput<typeof ReportedFigures>;

export const AnnualReportResponse = v.object({
  year: v.number(),
  orgUnitId: v.string(),
  title: v.string(),
  /** 草稿 until office staff finalise it (定稿). */
  status: v.optional(v.picklist(['draft', 'final']), 'draft'),
  finalisedAt: v.optional(v.string()),
  finalisedByName: v.optional(v.string()),
  rounded: v.optional(v.boolean(), false),
  paragraphs: v.array(v.object({ style: v.string(), lead: v.optional(v.string()), spans: v.array(Span) })),
  /** Every figure by key. */
  figures: v.record(v.string(), v.string()),
  placeholders: v.array(v.string()),
  reported: v.optional(ReportedFigures),
});
export type AnnualReportResponse = v.InferOutput<typeof AnnualReportResponse>;
