// Which field a server's refusal is about, for the forms that put it there (管理, 机关台账).
// Apart from http.ts, which the phone loads before its first screen: no capture form needs it.

/**
 * The field a refusal is about: the answer's `field`, else a message's leading "roles.0: " (the
 * schema's refusals keep it for older clients, as do a few routes): split off, never shown.
 */
const FIELD_PREFIX = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_?]+)*): /;
export function splitField(message: string, field: string | undefined): { message: string; field?: string } {
  const m = FIELD_PREFIX.exec(message);
  if (m && (field === undefined || m[1] === field)) return { field: m[1]!, message: message.slice(m[0].length) };
  return field ? { field, message } : { message };
}
