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

/** Why office staff open a party's details: a short list, and free text (required for 其他). */
export const REVEAL_REASONS = [
  { code: 'contact', label: '联系当事人（回访、送达）' },
  { code: 'verify', label: '核实当事人身份' },
  { code: 'petition', label: '信访、诉讼衔接' },
  { code: 'supervision', label: '案件质量检查' },
  { code: 'other', label: '其他' },
] as const;
export type RevealReason = (typeof REVEAL_REASONS)[number]['code'];

export const RevealRequest = v.pipe(
  v.object({
    subjectId: v.pipe(v.string('记录编号应为文字'), v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '记录编号格式不对')),
    /** The party's position in the case's list of parties (0-based). */
    party: v.pipe(v.number('请指明当事人'), v.integer('请指明当事人'), v.minValue(0, '请指明当事人'), v.maxValue(49, '请指明当事人')),
    reason: v.picklist(
      REVEAL_REASONS.map((r) => r.code),
      '请选择查看原因',
    ),
    note: v.optional(v.pipe(v.string('说明应为文字'), v.trim(), v.maxLength(200, '说明不超过 200 字'))),
  }),
  v.forward(
    v.check((r) => r.reason !== 'other' || (r.note ?? '').length >= 2, '选择“其他”时请写明原因'),
    ['note'],
  ),
);
export type RevealRequest = v.InferOutput<typeof RevealRequest>;

/** One party's details as the record holds them, shown for `until` and never stored on the device. */
export const RevealedParty = v.object({
  name: v.string(),
  phone: v.optional(v.string()),
  idNumber: v.optional(v.string()),
  address: v.optional(v.string()),
});
export type RevealedParty = v.InferOutput<typeof RevealedParty>;

export const RevealResponse = v.object({ ok: v.literal(true), subjectId: v.string(), party: v.number(), until: v.string(), details: RevealedParty });
