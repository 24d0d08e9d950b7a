// The audit log (GET /api/admin/audit, admins; the .csv form is a download) and
// POST /api/audit/reveal, opening one record's masked personal data on purpose.
import * as v from 'valibot';

export const AuditEntry = v.object({
  id: v.number(),
  at: v.string(),
  actorId: v.nullable(v.string()),
  actorName: v.nullable(v.string()),
  action: v.string(),
  subjectId: v.nullable(v.string()),
  orgUnitId: v.nullable(v.string()),
  reason: v.nullable(v.string()),
  detail: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
});
export type AuditEntry = v.InferOutput<typeof AuditEntry>;

export const AuditPage = v.object({ entries: v.array(AuditEntry), nextBefore: v.nullable(v.number()) });
export type AuditPage = v.InferOutput<typeof AuditPage>;

export const RevealRequest = v.object({
  subjectId: v.pipe(v.string('记录编号应为文字'), v.minLength(1, '请指明记录'), v.maxLength(64, '记录编号过长')),
  orgUnitId: v.pipe(v.string('组织编号应为文字'), v.minLength(1, '请指明记录所属组织'), v.maxLength(64, '组织编号过长')),
  reason: v.pipe(v.string('原因应为文字'), v.trim(), v.minLength(2, '请填写查看原因'), v.maxLength(200, '原因不超过 200 字')),
});
export const RevealResponse = v.object({ ok: v.literal(true), subjectId: v.string(), until: v.string() });
