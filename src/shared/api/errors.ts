// Every error code the server answers with, as {error:{code, message, field?}}: the server's
// failure() takes only these, and the app branches on them (client_outdated, unauthorized …).
// The per-event codes of a push result (invalid_event, forbidden_type, …) are among them too.
import * as v from 'valibot';

const ERROR_CODES = [
  'account_disabled',
  'already_closed',
  'bad_request',
  'client_outdated',
  'database_busy',
  'database_unavailable',
  'duplicate',
  'duplicate_name',
  'empty_body',
  'export_too_large',
  'forbidden',
  'forbidden_org_unit',
  'forbidden_type',
  'hash_mismatch',
  'id_reuse',
  'implausible',
  'import_invalid',
  'internal',
  'invalid_body',
  'invalid_credentials',
  'invalid_csv',
  'invalid_event',
  'invalid_grant',
  'invalid_hash',
  'invalid_json',
  'invalid_parent',
  'invalid_text',
  'invalid_xlsx',
  'method_not_allowed',
  'not_an_image',
  'not_found',
  'payload_too_large',
  'protocol_unsupported',
  'push_budget',
  'rate_limited',
  'rejected',
  'self_lockout',
  'storage_full',
  'unauthorized',
  'unit_closed',
  'unknown_org_unit',
  'unknown_parent',
  'unsupported_media_type',
  'upload_budget',
  'upload_interrupted',
  'weak_password',
  'wrong_unit_level',
] as const;

export const ErrorCode = v.picklist(ERROR_CODES);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** A sheet import's row-by-row problems, sent with import_invalid. */
export const RowError = v.object({ row: v.number(), column: v.optional(v.string()), message: v.string() });
export type RowError = v.InferOutput<typeof RowError>;

/**
 * The request field a refusal is about, as its path ('username', 'roles.1', 'parentId'), so that
 * a form can say it at that field; absent when it is about the request as a whole.
 */
const RefusedField = v.optional(v.string());

/** Every refusal the server sends (4xx, 5xx). */
export const ErrorAnswer = v.object({
  error: v.object({ code: ErrorCode, message: v.string(), field: RefusedField, rows: v.optional(v.array(RowError)) }),
});
export type ErrorAnswer = v.InferOutput<typeof ErrorAnswer>;

/**
 * A refusal as the app reads it: a code this build does not know (from a newer server) is
 * still a refusal with the server's Chinese message, never a response that cannot be read.
 */
export const ErrorAnswerAsRead = v.object({
  error: v.object({ code: v.string(), message: v.string(), field: RefusedField, rows: v.optional(v.array(RowError)) }),
});

export const OkAnswer = v.object({ ok: v.literal(true) });
export type OkAnswer = v.InferOutput<typeof OkAnswer>;
